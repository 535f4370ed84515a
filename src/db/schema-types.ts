/**
 * Table types that Kysely sees. System tables are typed; collection tables are dynamic, so
 * their rows are plain records whose columns come from the collection's fields.
 */

/** A row of `_collections`: one collection's metadata, with JSON columns kept as text. */
export type CollectionsTable = {
  id: string;
  name: string;
  type: string;
  system: number;
  fields: string;
  indexes: string;
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  options: string;
  created: string;
  updated: string;
};

/** A row of `_params`: one settings document (or other app-level value) as JSON text. */
export type ParamsTable = {
  id: string;
  value: string;
  created: string;
  updated: string;
};

/** A row of `_migrations`: one applied system migration. */
export type MigrationsTable = {
  file: string;
  applied: number;
};

/**
 * A row of `_authIds`: one auth record id, held by the auth collection whose record has it.
 * Its primary key makes auth record ids unique across all auth collections (API.md §1.2).
 */
export type AuthIdsTable = {
  id: string;
  collectionRef: string;
};

/**
 * A row of `_idempotencyKeys`: one Idempotency-Key of one caller, claimed by a request in
 * flight or holding the answer it stored (see core/idempotency/).
 */
export type IdempotencyKeysTable = {
  id: string;
  owner: string;
  fingerprint: string;
  state: string;
  leaseUntil: number;
  expires: number;
  status: number;
  headers: string;
  body: string;
  created: number;
};

/**
 * A row of `_jobs`: one durable job (APP-LOGIC.md §5). Times are milliseconds since the epoch
 * (PostgreSQL returns its bigints as text at run time: read them through Number()).
 */
export type JobsTable = {
  id: string;
  name: string;
  /** The payload as JSON text. */
  payload: string;
  /** The deduplication key; NULL when none was given. Unique. */
  key: string | null;
  /** `pending`, `running`, `done` or `failed`. */
  state: string;
  /** Attempts started so far (a claim counts one). */
  attempts: number;
  maxAttempts: number;
  /** When the job is due (pending) or was last made due. */
  runAt: number;
  /** Until when the worker that runs it holds it (running); NULL otherwise. */
  lockedUntil: number | null;
  /** The worker that holds it (running); NULL otherwise. */
  lockedBy: string | null;
  /** The message of the last failure; NULL when none. */
  lastError: string | null;
  created: number;
  updated: number;
};

/**
 * A row of `_cronTicks`: one cron job's last tick claimed by any process (ms since the epoch)
 * and how its last run on any process ended (core/cron/cron-ticks.ts).
 */
export type CronTicksTable = {
  id: string;
  /** bigint columns: PostgreSQL's driver reads them as text. */
  lastTick: number | string;
  lastRun: number | string;
  lastStatus: string;
  lastError: string | null;
};

/** A row of any collection table: column name to stored value. */
export type DynamicRow = Record<string, unknown>;

/** Every table Basalt knows, for Kysely's type parameter. */
export type Database = {
  _collections: CollectionsTable;
  _params: ParamsTable;
  _migrations: MigrationsTable;
  _authIds: AuthIdsTable;
  _idempotencyKeys: IdempotencyKeysTable;
  _jobs: JobsTable;
  _cronTicks: CronTicksTable;
} & Record<string, DynamicRow>;
