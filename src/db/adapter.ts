import type { Expression, Kysely } from 'kysely';
import type { IndexDefinition } from './index-definition.js';
import type { Database, DynamicRow } from './schema-types.js';
import type { SqlDialect } from './sql-dialect.js';

/** The database engines Basalt runs on. Only src/db/<engine>/ may act on this value. */
export type Engine = 'sqlite' | 'postgres' | 'mysql';

/**
 * How a column stores its values. Collections map each field to one of these; each engine maps
 * them to its own column types and defaults.
 * - `primaryKey`: the text `id` column.
 * - `text`: text, empty string by default (also dates, single select/relation/file values).
 * - `number`: a double, 0 by default.
 * - `bool`: false by default.
 * - `json`: any JSON value as text, NULL by default.
 * - `jsonArray`: a JSON array as text, `[]` by default (multi select/relation/file).
 * - `geoPoint`: a JSON object `{"lon":0,"lat":0}` by default.
 */
export type ColumnKind =
  'primaryKey' | 'text' | 'number' | 'bool' | 'json' | 'jsonArray' | 'geoPoint';

/** A column to create: its name and storage kind. */
export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
}

/** A column as the database reports it, for checks and tests. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly notNull: boolean;
}

/** Receives each executed query: its SQL text, bound parameters and duration. */
export type QueryListener = (event: {
  sql: string;
  parameters: readonly unknown[];
  durationMs: number;
}) => void;

/**
 * What a unique-constraint violation names: the violated index (PostgreSQL, MariaDB, SQLite
 * expression indexes) or the table's columns (SQLite). Empty when the error says neither.
 */
export interface UniqueViolation {
  readonly index?: string;
  readonly columns?: readonly string[];
}

/** What a start-up recovery did with the schema changes that a stopped process left. */
export interface SchemaRecovery {
  /** Changes whose transaction had committed, whose leftovers were removed. */
  readonly finished: number;
  /** Changes whose transaction had not committed, taken back. */
  readonly undone: number;
}

/** A database handle, or a transaction on one: both run queries and DDL. */
export type Executor = Kysely<Database>;

/**
 * THE interface for engine differences. Everything outside src/db/<engine>/ talks to the
 * database through Kysely plus these methods and never branches on the engine.
 */
export interface DbAdapter {
  /** The engine, for logs and diagnostics only; code must not branch on it. */
  readonly engine: Engine;
  /**
   * The handle for queries: inside a transaction of this adapter (code running in
   * `transaction(fn)`, directly or in anything it awaits) that transaction's handle, so that
   * such code joins it; elsewhere the Kysely instance over the pool (or the embedded
   * connection). Read it at each use: a handle kept past its transaction is dead.
   */
  readonly db: Kysely<Database>;
  /** The SQL pieces that differ between engines (JSON, LIKE, booleans, ...). */
  readonly dialect: SqlDialect;

  /**
   * Creates what the engine's SQL relies on (e.g. helper functions); run by the first system
   * migration, inside its transaction.
   */
  initialize(exec: Executor): Promise<void>;
  /** Checks that the database answers (a clear error at start instead of at the first request). */
  ping(): Promise<void>;

  /** Creates a collection table with the given columns (the first must be the primary key). */
  createTable(exec: Executor, table: string, columns: readonly ColumnSpec[]): Promise<void>;
  /** Drops a table. */
  dropTable(exec: Executor, table: string): Promise<void>;
  /** Renames a table. */
  renameTable(exec: Executor, from: string, to: string): Promise<void>;
  /** Adds a column, filling existing rows with the kind's default. */
  addColumn(exec: Executor, table: string, column: ColumnSpec): Promise<void>;
  /** Drops a column (indexes on it must be dropped first). */
  dropColumn(exec: Executor, table: string, column: string): Promise<void>;
  /** Renames a column. */
  renameColumn(exec: Executor, table: string, from: string, to: string): Promise<void>;
  /**
   * Changes a column between a single value (`text`) and a JSON array (`jsonArray`), converting
   * the stored values: `'a'` <-> `["a"]`, `''` <-> `[]`; going to single keeps the last item.
   */
  convertColumn(
    exec: Executor,
    table: string,
    column: string,
    from: ColumnKind,
    to: ColumnKind,
  ): Promise<void>;
  /** Creates an index from a parsed, validated definition. */
  createIndex(exec: Executor, index: IndexDefinition): Promise<void>;
  /** Drops an index by name. */
  dropIndex(exec: Executor, table: string, name: string): Promise<void>;

  /**
   * Creates the view `name` over `query`, the SQL text of one SELECT written by a superuser
   * (trusted text, executed as is, wrapped as `select * from (<query>) as <alias>` so that it
   * stays one query). Each column named in `textColumns` that the engine does not type as text
   * (e.g. an integer from row_number()) is cast to text in the view, keeping the column order.
   * Fails (the engine's error) when the query does not run; returns the view's columns in
   * order (type '' where the engine gives none).
   */
  createView(
    exec: Executor,
    name: string,
    query: string,
    textColumns: readonly string[],
  ): Promise<ColumnInfo[]>;
  /** Drops the view `name` when it exists. */
  dropView(exec: Executor, name: string): Promise<void>;
  /** Names of the views of the database (sorted like listTables). */
  listViews(exec: Executor): Promise<string[]>;

  /** Names of all user and system tables (engine-internal tables and views excluded). */
  listTables(exec: Executor): Promise<string[]>;
  /** Columns of a table (or a view) in definition order. */
  listColumns(exec: Executor, table: string): Promise<ColumnInfo[]>;
  /** Names of the indexes on a table (engine-internal indexes excluded). */
  listIndexes(exec: Executor, table: string): Promise<string[]>;

  /**
   * Runs a SELECT inside the transaction `exec` and yields its rows `size` at a time through a
   * server-side cursor, so that a large ordered result is sorted once and never held whole.
   * Optional: engines whose insertion-order key is the table's b-tree key (SQLite's rowid)
   * leave it out, and callers read such results a key range at a time instead.
   */
  scanRows?(exec: Executor, query: Expression<unknown>, size: number): AsyncIterable<DynamicRow[]>;

  /**
   * Runs `fn` in a transaction at the isolation this engine needs so that updates are not lost.
   * Commits when `fn` resolves and rolls back when it throws.
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /**
   * True when work that reads and then makes a single write needs no transaction: at READ
   * COMMITTED without foreign keys each statement reads what is committed when it starts,
   * inside a transaction or not, and takes no lock a later statement relies on; one write is
   * atomic on its own. runInTransaction then runs such work (its `oneWrite` option) without
   * BEGIN and COMMIT. PostgreSQL only: SQLite's write transaction holds the database from
   * its start to its commit, and MariaDB's transactions order themselves with its schema
   * changes (ddl-journal).
   */
  readonly oneWriteWithoutTransaction?: boolean;
  /**
   * Finishes or undoes the schema changes that a process stopped in the middle of (engines
   * whose DDL commits implicitly, outside the transaction of the metadata), so that every
   * table matches the committed metadata again. Run at start, under the migration lock,
   * before anything else. Engines with transactional DDL leave it out: a crash rolls back
   * table and metadata together.
   */
  recoverSchemaChanges?(): Promise<SchemaRecovery>;
  /**
   * Drops the tables the engine keeps for itself (MariaDB's journal of schema changes), which
   * `listTables` leaves out: for a database being emptied after a failed copy.
   */
  dropOwnTables?(): Promise<void>;
  /**
   * Routine maintenance the engine wants now and then, run by the `__pbDBOptimize__` cron job
   * (SQLite, as PocketBase: checkpoint the WAL into the database file and truncate it, then
   * `PRAGMA optimize`). Engines that need none leave it out (the job is then not registered).
   */
  optimize?(): Promise<void>;
  /**
   * Runs `fn` while holding the migration lock, so that only one process migrates at a time.
   */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  /** True when `error` is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /**
   * What a unique-constraint violation names (the index, or the columns), so that it can be
   * answered as a field error; undefined when `error` is not one.
   */
  uniqueViolation(error: unknown): UniqueViolation | undefined;
  /**
   * True when `error` says a table or column does not exist: SQL built from collections that
   * another process has changed since this one loaded them.
   */
  isSchemaMismatch(error: unknown): boolean;
  /**
   * True when `error` rolled a transaction back because of other transactions (a deadlock or
   * a serialization failure), so running it again may succeed. Never true on SQLite, whose
   * write transactions are serialised.
   */
  isTransientConflict(error: unknown): boolean;
  /**
   * True when `error` says the database cannot be reached or used for now, not that the
   * statement was wrong: connection refused, reset or ended by the server (an administrator's
   * termination, a failover, a restart), a pool or connect timeout, too many connections, a
   * lock held by another process beyond the busy timeout. The same request may succeed later.
   */
  isUnavailable(error: unknown): boolean;
  /**
   * True when `error` is the database refusing a value that a request supplied (text it cannot
   * hold, a number out of its range, a literal it cannot read as the other side's type): bad
   * input, answered 400 and logged below error level. Core and http validate first; this is
   * the net under what they miss.
   */
  isRefusedValue(error: unknown): boolean;
  /** Closes the pool or the embedded connection. */
  destroy(): Promise<void>;
}
