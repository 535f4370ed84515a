import { sql, type Expression, type Selectable } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import type { JobsTable } from '../../db/schema-types.js';
import { newRecordId } from '../../lib/security/random.js';
import type { App } from '../app.js';
import type { JobState } from './job-types.js';

// Every write to `_jobs` is in this file (test/lint/write-path.test.ts keeps it so).

/** A time in ms bound as the engine compares it best with a bigint column (SqlDialect.number). */
function msValue(app: App, ms: number): Expression<number> {
  return sql<number>`${app.db.dialect.number(ms)}`;
}

/** A stored job, its numbers read as numbers (PostgreSQL returns bigints as text). */
export interface JobRow {
  readonly id: string;
  readonly name: string;
  readonly payload: string;
  readonly key: string | null;
  readonly state: JobState;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: number;
  readonly lockedUntil: number | null;
  readonly lockedBy: string | null;
  readonly lastError: string | null;
  readonly created: number;
  readonly updated: number;
}

/** A job to store. */
export interface NewJob {
  readonly name: string;
  readonly payload: string;
  readonly key: string | null;
  readonly maxAttempts: number;
  readonly runAt: number;
}

const STATES: ReadonlySet<string> = new Set<JobState>(['pending', 'running', 'done', 'failed']);

function stateOf(text: string): JobState {
  if (!STATES.has(text)) throw new Error(`_jobs holds an unknown state "${text}".`);
  return text as JobState;
}

/** A bigint column's value as a number (pg returns text, the other drivers numbers). */
function num(value: unknown): number {
  return Number(value);
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** A row as read from the database, normalised. */
export function jobRowOf(row: Selectable<JobsTable>): JobRow {
  return {
    id: row.id,
    name: row.name,
    payload: row.payload,
    key: row.key,
    state: stateOf(row.state),
    attempts: num(row.attempts),
    maxAttempts: num(row.maxAttempts),
    runAt: num(row.runAt),
    lockedUntil: numberOrNull(row.lockedUntil),
    lockedBy: row.lockedBy,
    lastError: row.lastError,
    created: num(row.created),
    updated: num(row.updated),
  };
}

/** The job `id`, or undefined. */
export async function readJob(exec: Executor, id: string): Promise<JobRow | undefined> {
  const row = await exec.selectFrom('_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && jobRowOf(row);
}

/**
 * Stores a job through `app.db.db`, so inside a transaction it is written in it (and exists
 * only if that commits). With a key, a job already stored under it wins: nothing is added
 * and its id is returned. Race-safe: the insert skips a duplicate key (the dialect's
 * insert-or-ignore on the UNIQUE index; a concurrent insert of the key waits for the other
 * transaction), then the key is read back.
 */
export function insertJob(app: App, job: NewJob): Promise<string> {
  return app.transaction((scope) => insertIn(app, scope.db, job));
}

async function insertIn(app: App, exec: Executor, job: NewJob): Promise<string> {
  const now = app.clock.now();
  const id = newRecordId();
  const insert = exec.insertInto('_jobs').values({
    id,
    name: job.name,
    payload: job.payload,
    key: job.key,
    state: 'pending',
    attempts: 0,
    maxAttempts: job.maxAttempts,
    runAt: job.runAt,
    lockedUntil: null,
    lockedBy: null,
    lastError: null,
    created: now,
    updated: now,
  });
  if (job.key === null) {
    await insert.execute();
    return id;
  }
  await app.db.dialect.insertOrIgnore(insert, 'key').execute();
  const stored = await exec
    .selectFrom('_jobs')
    .select('id')
    .where('key', '=', job.key)
    .executeTakeFirst();
  if (!stored) throw new Error(`The job with key "${job.key}" was neither stored nor found.`);
  return stored.id;
}

/** How a claim picks and holds jobs. */
export interface ClaimRequest {
  /** The names this process can run (others are left to other processes). */
  readonly names: readonly string[];
  readonly limit: number;
  readonly workerId: string;
  /** The lease of a job of `name`, in ms. */
  readonly leaseMs: (name: string) => number;
}

/** What the claim's transaction found: jobs now held, and expired jobs that ran out. */
export interface Claimed {
  readonly jobs: JobRow[];
  /** Running jobs whose lease expired with no attempt left: now failed. */
  readonly exhausted: JobRow[];
}

/** The message stored for a job whose last lease expired. */
export const LEASE_EXPIRED =
  'The lease of the last attempt expired (its worker stopped, or it ran past timeoutMs).';

/**
 * Claims up to `limit` due jobs in one short transaction: pending jobs whose runAt has come
 * and running jobs whose lease has expired (a worker that stopped), oldest runAt first. On
 * engines with row locks the SELECT is `FOR UPDATE SKIP LOCKED`, so concurrent claimers take
 * different rows without waiting; SQLite's write transaction excludes other claimers. Each
 * row becomes running, attempts + 1, held by `workerId` until now + its lease; an expired
 * one without attempts left becomes failed instead.
 */
export async function claimJobs(app: App, request: ClaimRequest): Promise<Claimed> {
  if (request.names.length === 0 || request.limit <= 0) return { jobs: [], exhausted: [] };
  return app.transaction(async (scope) => {
    const now = app.clock.now();
    const nowValue = msValue(app, now);
    let select = scope.db
      .selectFrom('_jobs')
      .selectAll()
      .where('name', 'in', request.names)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb('runAt', '<=', nowValue)]),
          eb.and([eb('state', '=', 'running'), eb('lockedUntil', '<', nowValue)]),
        ]),
      )
      .orderBy('runAt')
      .orderBy('created')
      .orderBy('id')
      .limit(request.limit);
    // PostgreSQL and MariaDB (10.6+) skip the rows another claimer holds.
    if (app.db.dialect.rowLocks) select = select.forUpdate().skipLocked();
    const rows = (await select.execute()).map(jobRowOf);
    const jobs: JobRow[] = [];
    const exhausted: JobRow[] = [];
    for (const row of rows) {
      if (row.state === 'running' && row.attempts >= row.maxAttempts) {
        exhausted.push(await failExpired(scope.db, row, now));
        continue;
      }
      jobs.push(await holdJob(scope.db, row, now, request));
    }
    return { jobs, exhausted };
  });
}

async function holdJob(exec: Executor, row: JobRow, now: number, request: ClaimRequest) {
  const held: JobRow = {
    ...row,
    state: 'running',
    attempts: row.attempts + 1,
    lockedUntil: now + request.leaseMs(row.name),
    lockedBy: request.workerId,
    updated: now,
  };
  await exec
    .updateTable('_jobs')
    .set({
      state: held.state,
      attempts: held.attempts,
      lockedUntil: held.lockedUntil,
      lockedBy: held.lockedBy,
      updated: now,
    })
    .where('id', '=', row.id)
    .execute();
  return held;
}

async function failExpired(exec: Executor, row: JobRow, now: number): Promise<JobRow> {
  await exec
    .updateTable('_jobs')
    .set({
      state: 'failed',
      lockedUntil: null,
      lockedBy: null,
      lastError: LEASE_EXPIRED,
      updated: now,
    })
    .where('id', '=', row.id)
    .execute();
  return { ...row, state: 'failed', lastError: LEASE_EXPIRED };
}

/** How an attempt ended. */
export type AttemptOutcome =
  | { readonly kind: 'done' }
  | { readonly kind: 'retry'; readonly runAt: number; readonly error: string }
  | { readonly kind: 'failed'; readonly error: string };

/**
 * Records the end of the attempt `job` (as claimed), only while this worker still holds it
 * (same worker, same attempt, still running): false when its lease expired and another
 * worker claimed it, or an administrator changed it meanwhile.
 */
export async function finishAttempt(
  app: App,
  job: JobRow,
  outcome: AttemptOutcome,
): Promise<boolean> {
  const now = app.clock.now();
  const base = { lockedUntil: null, lockedBy: null, updated: now };
  const values =
    outcome.kind === 'done'
      ? { ...base, state: 'done' }
      : outcome.kind === 'retry'
        ? { ...base, state: 'pending', runAt: outcome.runAt, lastError: outcome.error }
        : { ...base, state: 'failed', lastError: outcome.error };
  const result = await app.transaction((scope) =>
    scope.db
      .updateTable('_jobs')
      .set(values)
      .where('id', '=', job.id)
      .where('state', '=', 'running')
      .where('lockedBy', '=', job.lockedBy)
      .where('attempts', '=', job.attempts)
      .executeTakeFirst(),
  );
  return result.numUpdatedRows > 0n;
}

/** A page of jobs, newest first, optionally of one state and name. */
export async function listJobRows(
  exec: Executor,
  filter: { readonly state?: JobState | undefined; readonly name?: string | undefined },
  window: { readonly offset: number; readonly limit: number; readonly count: boolean },
): Promise<{ rows: JobRow[]; total: number | undefined }> {
  let query = exec.selectFrom('_jobs');
  if (filter.state !== undefined) query = query.where('state', '=', filter.state);
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  const rows = await query
    .selectAll()
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(window.limit)
    .offset(window.offset)
    .execute();
  if (!window.count) return { rows: rows.map(jobRowOf), total: undefined };
  const counted = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return { rows: rows.map(jobRowOf), total: Number(counted?.n ?? 0) };
}

/**
 * Makes a failed job pending again with its attempts reset, or a pending one due now; false
 * when the job is in another state (or missing).
 */
export function requeueJob(app: App, id: string): Promise<boolean> {
  return app.transaction((scope) => requeueIn(scope.db, id, app.clock.now()));
}

async function requeueIn(exec: Executor, id: string, now: number): Promise<boolean> {
  const failed = await exec
    .updateTable('_jobs')
    .set({
      state: 'pending',
      attempts: 0,
      runAt: now,
      lockedUntil: null,
      lockedBy: null,
      updated: now,
    })
    .where('id', '=', id)
    .where('state', '=', 'failed')
    .executeTakeFirst();
  if (failed.numUpdatedRows > 0n) return true;
  const pending = await exec
    .updateTable('_jobs')
    .set({ runAt: now, updated: now })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return pending.numUpdatedRows > 0n;
}

/** Deletes the job `id` unless a worker runs it; false when it runs (or is missing). */
export async function deleteJobRow(app: App, id: string): Promise<boolean> {
  const result = await app.transaction((scope) =>
    scope.db
      .deleteFrom('_jobs')
      .where('id', '=', id)
      .where('state', '<>', 'running')
      .executeTakeFirst(),
  );
  return result.numDeletedRows > 0n;
}

/** Deletes the jobs in `states` last changed before `before` (ms); returns how many. */
export async function deleteJobsBefore(
  app: App,
  states: readonly JobState[],
  before: number,
): Promise<number> {
  if (states.length === 0) return 0;
  const result = await app.transaction((scope) =>
    scope.db
      .deleteFrom('_jobs')
      .where('state', 'in', states)
      .where('updated', '<', msValue(app, before))
      .executeTakeFirst(),
  );
  return Number(result.numDeletedRows);
}
