import { sql } from 'kysely';
import type { DbAdapter, Executor } from '../../db/adapter.js';

/**
 * The system table of cron ticks: one row per job id that ran, with the last tick any process
 * claimed and how the last run (on any process) ended. Claiming a tick is one guarded UPDATE,
 * so of several processes (nodes) that wake for the same tick exactly one runs it.
 */
export const CRON_TICKS_TABLE = '_cronTicks';

/** The longest error message kept in `lastError`. */
const MAX_ERROR_TEXT = 2000;

/** What `_cronTicks` says about one job (zeros and '' when it never ran anywhere). */
export interface CronRunState {
  /** The scheduled time (ms since the epoch) of the last tick a process claimed. */
  readonly lastTick: number;
  /** When the last run ended (ms since the epoch, the app's clock). */
  readonly lastRun: number;
  /** `ok`, `error`, or '' before the first run. */
  readonly lastStatus: string;
  /** The last failed run's error message (null after a successful run). */
  readonly lastError: string | null;
}

/** The database side the tick functions need. */
export type TicksDb = Pick<DbAdapter, 'db' | 'isUniqueViolation'>;

/** Creates `_cronTicks` (system migration `0008_cron`). */
export async function createCronTicksTable(exec: Executor): Promise<void> {
  await exec.schema
    .createTable(CRON_TICKS_TABLE)
    .ifNotExists()
    .addColumn('id', sql`varchar(100)`, (c) => c.primaryKey().notNull())
    .addColumn('lastTick', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lastRun', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lastStatus', sql`varchar(20)`, (c) => c.notNull().defaultTo(''))
    .addColumn('lastError', 'text')
    .execute();
}

/** Inserts the job's row; false when another process inserted it first. */
async function insertRow(
  adapter: TicksDb,
  id: string,
  values: { lastTick: number; lastRun: number; lastStatus: string; lastError: string | null },
): Promise<boolean> {
  try {
    await adapter.db
      .insertInto(CRON_TICKS_TABLE)
      .values({ id, ...values })
      .execute();
    return true;
  } catch (error) {
    if (adapter.isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Claims the tick `tick` (its scheduled time, identical on every process) of job `id`: true
 * for exactly one caller across all processes sharing the database. One guarded statement,
 * `UPDATE ... SET lastTick = tick WHERE id = ? AND lastTick < tick`; the first tick ever of a
 * job inserts its row instead, and a process that loses that race (unique violation) loses the
 * tick. Runs outside any transaction, so it commits at once.
 */
export async function claimTick(adapter: TicksDb, id: string, tick: number): Promise<boolean> {
  const updated = await adapter.db
    .updateTable(CRON_TICKS_TABLE)
    .set({ lastTick: tick })
    .where('id', '=', id)
    .where('lastTick', '<', tick)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 1) return true;
  return insertRow(adapter, id, { lastTick: tick, lastRun: 0, lastStatus: '', lastError: null });
}

/** Records how a run of job `id` ended at `at` (the app's clock): `error` when it failed. */
export async function recordRun(
  adapter: TicksDb,
  id: string,
  at: number,
  error: string | undefined,
): Promise<void> {
  const values = {
    lastRun: at,
    lastStatus: error === undefined ? 'ok' : 'error',
    lastError: error === undefined ? null : error.slice(0, MAX_ERROR_TEXT),
  };
  const updated = await adapter.db
    .updateTable(CRON_TICKS_TABLE)
    .set(values)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  // A job run on demand before any tick: its row does not exist yet.
  if (!(await insertRow(adapter, id, { lastTick: 0, ...values }))) {
    await adapter.db.updateTable(CRON_TICKS_TABLE).set(values).where('id', '=', id).execute();
  }
}

/** What `_cronTicks` holds for job `id`. */
export async function readRunState(exec: Executor, id: string): Promise<CronRunState> {
  const row = await exec
    .selectFrom(CRON_TICKS_TABLE)
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return {
    lastTick: Number(row?.lastTick ?? 0),
    lastRun: Number(row?.lastRun ?? 0),
    lastStatus: row?.lastStatus ?? '',
    lastError: row?.lastError ?? null,
  };
}
