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
  _cronTicks: CronTicksTable;
} & Record<string, DynamicRow>;
