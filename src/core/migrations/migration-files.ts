import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordApplied } from '../../db/migrator.js';
import type { App } from '../app.js';
import type { MigrationText } from './migration-template.js';

/**
 * The Unix time (seconds) that names a new migration file: now, or one more than the latest
 * file's when that is not earlier, so that files written in one second still apply in the
 * order they were written.
 */
export function nextMigrationTime(dir: string, nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  if (!existsSync(dir)) return now;
  const times = readdirSync(dir)
    .map((name) => /^(\d+)_/.exec(name)?.[1])
    .filter((t): t is string => t !== undefined)
    .map(Number);
  return Math.max(now, ...times.map((t) => t + 1));
}

/** Writes a new migration file `<time>_<action>.ts` into `dir`; returns its name. */
export function writeMigrationFile(dir: string, migration: MigrationText): string {
  const file = nextFileName(dir, migration);
  mkdirSync(dir, { recursive: true });
  // `wx`: never overwrite a file (another process may have written the same name).
  writeFileSync(join(dir, file), migration.text, { flag: 'wx' });
  return file;
}

/** The name the next migration file of `dir` with this action gets. */
function nextFileName(dir: string, migration: MigrationText): string {
  return `${String(nextMigrationTime(dir, Date.now()))}_${migration.action}.ts`;
}

/**
 * Writes a migration file for a change that already happened and records it as applied, in
 * one transaction: when the file cannot be written, nothing is recorded.
 */
export async function writeAppliedMigration(
  app: App,
  dir: string,
  migration: MigrationText,
): Promise<string> {
  return app.transaction(async (scope) => {
    const file = nextFileName(dir, migration);
    await recordApplied(scope.db, file);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, file), migration.text, { flag: 'wx' });
    return file;
  });
}
