import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';

/** The table of durable jobs (see JobsTable in db/schema-types.ts). */
export const JOBS_TABLE = '_jobs';

/**
 * Creates `_jobs` and its indexes (system migration `0007_jobs`). Times are bigint
 * milliseconds, compared with the app's clock. `key` is UNIQUE (NULLs never clash), which is
 * what makes a keyed enqueue race-safe. Claims look up due pending jobs by `(state, runAt)`
 * and expired leases by `(state, lockedUntil)`; the clean-up and the list use
 * `(state, updated)` and `created`. Every statement is "if not exists", so that a migration
 * interrupted on MariaDB (whose DDL commits at once) can run again.
 */
export async function createJobsTable(exec: Executor): Promise<void> {
  await exec.schema
    .createTable(JOBS_TABLE)
    .ifNotExists()
    .addColumn('id', sql`varchar(100)`, (c) => c.primaryKey().notNull())
    .addColumn('name', sql`varchar(255)`, (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('key', sql`varchar(255)`)
    .addColumn('state', sql`varchar(20)`, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('maxAttempts', 'integer', (c) => c.notNull())
    .addColumn('runAt', 'bigint', (c) => c.notNull())
    .addColumn('lockedUntil', 'bigint')
    .addColumn('lockedBy', sql`varchar(100)`)
    .addColumn('lastError', 'text')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('updated', 'bigint', (c) => c.notNull())
    .execute();
  const indexes: [string, string[], boolean][] = [
    ['_jobs_key_idx', ['key'], true],
    ['_jobs_state_runAt_idx', ['state', 'runAt'], false],
    ['_jobs_state_lockedUntil_idx', ['state', 'lockedUntil'], false],
    ['_jobs_state_updated_idx', ['state', 'updated'], false],
    ['_jobs_created_idx', ['created'], false],
  ];
  for (const [name, columns, unique] of indexes) {
    let index = exec.schema.createIndex(name).ifNotExists().on(JOBS_TABLE).columns(columns);
    if (unique) index = index.unique();
    await index.execute();
  }
}
