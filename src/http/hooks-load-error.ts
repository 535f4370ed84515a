import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where in a file of app code (hooks, migrations) something failed. */
export interface HooksLocation {
  /** The file as shown: relative to the hooks folder's parent, e.g. `basalt_hooks/orders.ts`. */
  readonly file: string;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
}

/**
 * A file of app code (hooks, migrations) that failed to build, to import or to register: its
 * message starts with the source location, `basalt_hooks/orders.ts:12:5: ...`, as a
 * compiler's does.
 */
export class CodeLoadError extends Error {
  override name = 'CodeLoadError';

  constructor(
    readonly location: HooksLocation,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${formatLocation(location)}: ${detail}`, options);
  }
}

/** A hooks file that failed to build, to import or to register (see CodeLoadError). */
export class HooksLoadError extends CodeLoadError {
  override name = 'HooksLoadError';
}

/** A migration file that failed to build or to import (see CodeLoadError). */
export class MigrationLoadError extends CodeLoadError {
  override name = 'MigrationLoadError';
}

/** The class of load errors a loader throws. */
export type CodeLoadErrorClass = new (
  location: HooksLocation,
  detail: string,
  options?: { cause?: unknown },
) => CodeLoadError;

/** `file:line:column` (or less when the line is unknown). */
export function formatLocation(location: HooksLocation): string {
  if (location.line === undefined) return location.file;
  if (location.column === undefined) return `${location.file}:${String(location.line)}`;
  return `${location.file}:${String(location.line)}:${String(location.column)}`;
}

/** A path as shown in messages: relative to `base` (the hooks folder's parent), with `/`. */
export function shownPath(base: string, path: string): string {
  const shown = isAbsolute(path) ? relative(base, path) : path;
  return shown.split(sep).join('/');
}

/**
 * The first frame of `error`'s stack inside the folder `hooksDir` (stack traces name the source
 * files: the bundles carry source maps and source maps are on), or undefined.
 */
export function locateInStack(
  error: unknown,
  hooksDir: string,
  base: string,
): HooksLocation | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack === undefined) return undefined;
  const frame = /((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)/g;
  for (const match of stack.matchAll(frame)) {
    const [, where = '', line = '', column = ''] = match;
    const path = where.startsWith('file:') ? fileURLToPath(where) : where;
    if (!path.startsWith(hooksDir + sep)) continue;
    return { file: shownPath(base, path), line: Number(line), column: Number(column) };
  }
  return undefined;
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
