import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { App } from '../app.js';
import { generateTypes, type TypegenOptions } from './generate-types.js';

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the types of `app`'s collections (generateTypes) to `file`, replacing it in one
 * step (a temporary file renamed over it), and only when the text changed, so that an editor
 * or a `tsc --watch` sees no change for a schema change that changes no type. Returns whether
 * it wrote. Call it again after each schema change to keep the file current (`--dev`).
 */
export function writeTypes(app: App, file: string, options: TypegenOptions = {}): boolean {
  const path = resolve(file);
  const text = generateTypes(app.collections.all(), options);
  if (readIfExists(path) === text) return false;
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${String(process.pid)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
  return true;
}
