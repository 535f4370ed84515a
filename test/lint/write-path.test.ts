import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// One write path (APP-LOGIC.md §1): every insert, update and delete of a record goes through
// src/core/record/record-save.ts, so that what every write does (hooks, events, auth ids) is
// done once. Outside the engine layer (src/db, which knows tables, not records), only the
// modules below may write rows, each to the system table named, never a collection's table.

const ROOT = join(import.meta.dirname, '..', '..');

/** Modules that write rows, and the only tables they may name. */
const ALLOWED: Record<string, readonly string[]> = {
  'src/core/record/record-save.ts': ['collection.name'],
  'src/core/record/record-insert.ts': ['collection.name'],
  'src/core/collection/collection-store.ts': ["'_collections'"],
  'src/core/auth/auth-ids.ts': ["'_authIds'"],
  'src/core/settings/settings-store.ts': ["'_params'"],
  'src/core/idempotency/idempotency-store.ts': ["'_idempotencyKeys'"],
  'src/core/jobs/job-store.ts': ["'_jobs'"],
  'src/core/record/record-etag-key.ts': ["'_params'"],
  'src/core/cron/cron-ticks.ts': ['CRON_TICKS_TABLE'],
  // migrate-data empties the target's system tables before its copy (APP-LOGIC.md §1 sets
  // migrate-data aside: it copies rows, it does not write records).
  'src/core/data-copy/data-copy-target.ts': ['table'],
};

/** A write: Kysely's builders, or SQL text that writes. */
const WRITE = /\.(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(\s*([^)]*?)\s*\)/g;
const RAW_WRITE = /sql`\s*(insert|update|delete|replace|merge)\b/gi;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every row write outside src/db: `file: builder(table)`. */
function writesOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(WRITE)].map((m) => `${m[1] ?? ''}(${m[2] ?? ''})`);
  const raw = [...text.matchAll(RAW_WRITE)].map((m) => `sql\`${m[1] ?? ''}\``);
  return [...found, ...raw];
}

describe('the one write path of records (issue 16 item 1)', () => {
  const files = ['core', 'http', 'cli']
    .flatMap((layer) => sourceFiles(join(ROOT, 'src', layer)))
    .map((path) => ({ path, name: relative(ROOT, path) }));

  it('finds the save path itself (the check can see writes)', () => {
    const save = files.find((f) => f.name === 'src/core/record/record-save.ts');
    expect(save && writesOf(save.path)).toEqual([
      'updateTable(collection.name)',
      'deleteFrom(collection.name)',
    ]);
  });

  it('leaves every other row write to a listed module and its own table', () => {
    const stray: string[] = [];
    for (const file of files) {
      const allowed = ALLOWED[file.name] ?? [];
      for (const write of writesOf(file.path)) {
        const table = /\(([^)]*)\)/.exec(write)?.[1] ?? '';
        if (!allowed.includes(table)) stray.push(`${file.name}: ${write}`);
      }
    }
    expect(stray).toEqual([]);
  });
});
