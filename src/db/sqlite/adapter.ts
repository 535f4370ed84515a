import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import type {
  ColumnKind,
  ColumnSpec,
  DbAdapter,
  Executor,
  QueryListener,
  UniqueViolation,
} from '../adapter.js';
import { NOT_NOW, registerImmediateReader, type ImmediateReader } from '../immediate-read.js';
import { AmbientTransactions } from '../ambient-transaction.js';
import { kyselyLog } from '../query-log.js';
import { BasaltSqliteDialect } from './sqlite-driver.js';
import { SqliteTransactions } from './sqlite-transaction.js';
import type { IndexDefinition } from '../index-definition.js';
import type { Database } from '../schema-types.js';
import { addSqliteColumn, createSqliteIndex, createSqliteTable } from './ddl.js';
import { listSqliteColumns, listSqliteIndexes, listSqliteTables } from './introspect.js';
import { sqliteDialect } from './sql-dialect.js';
import { createSqliteView, dropSqliteView, listSqliteViews } from './view-ddl.js';
import { SqliteDatabase } from './sqlite-native.js';

/** Options of the embedded SQLite database. */
export interface SqliteOptions {
  /** Path of the database file, or `:memory:`. */
  readonly file: string;
  /** How long a write waits for another process's lock, in ms. */
  readonly busyTimeoutMs?: number;
  /** Called with the SQL of every executed query (diagnostics and tests). */
  readonly onQuery?: QueryListener | undefined;
}

function openConnection(options: SqliteOptions): BetterSqlite3.Database {
  const conn = new SqliteDatabase(options.file, { timeout: options.busyTimeoutMs ?? 10_000 });
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  conn.pragma('foreign_keys = ON');
  conn.pragma(`busy_timeout = ${String(options.busyTimeoutMs ?? 10_000)}`);
  conn.pragma('temp_store = MEMORY');
  return conn;
}

/**
 * The reader beside the writer `openConnection` opened (which put the file in WAL mode), or
 * undefined for an in-memory database, whose data no other connection sees. It refuses writes
 * (`query_only`): only statements that read are sent to it.
 */
function openReader(options: SqliteOptions): BetterSqlite3.Database | undefined {
  if (options.file === ':memory:' || options.file === '') return undefined;
  const conn = new SqliteDatabase(options.file, { timeout: options.busyTimeoutMs ?? 10_000 });
  conn.pragma(`busy_timeout = ${String(options.busyTimeoutMs ?? 10_000)}`);
  conn.pragma('query_only = ON');
  conn.pragma('temp_store = MEMORY');
  return conn;
}

/**
 * Converts a column between a single value and a JSON array in place: a new column of the
 * target kind is filled from the old one, which is then replaced.
 */
async function convertSqliteColumn(
  exec: Executor,
  table: string,
  column: string,
  from: ColumnKind,
  to: ColumnKind,
): Promise<void> {
  const temp = `${column}__basalt_tmp`;
  const ref = sql.ref(column);
  let value;
  if (from === 'jsonArray' && to === 'text') {
    value = sql`coalesce(json_extract(${ref}, '$[#-1]'), '')`;
  } else if (from === 'text' && to === 'jsonArray') {
    value = sql`case when ${ref} is null or ${ref} = '' then '[]' else json_array(${ref}) end`;
  } else {
    throw new RangeError(`convertColumn: cannot convert ${from} to ${to}`);
  }
  await addSqliteColumn(exec, table, { name: temp, kind: to });
  await sql`update ${sql.table(table)} set ${sql.ref(temp)} = ${value}`.execute(exec);
  await exec.schema.alterTable(table).dropColumn(column).execute();
  await exec.schema.alterTable(table).renameColumn(temp, column).execute();
}

function isSqliteUniqueViolation(error: unknown): error is Error {
  return (
    error instanceof SqliteDatabase.SqliteError &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
  );
}

/**
 * A unique violation lists the index's columns, `UNIQUE constraint failed: t.a, t.b`, or
 * names an index on expressions, `UNIQUE constraint failed: index 'idx'`.
 */
function sqliteUniqueViolation(error: unknown): UniqueViolation | undefined {
  if (!isSqliteUniqueViolation(error)) return undefined;
  const failed = /constraint failed: (.*)$/.exec(error.message)?.[1];
  if (failed === undefined) return {};
  const index = /^index '(.*)'$/.exec(failed)?.[1];
  if (index !== undefined) return { index };
  return { columns: failed.split(', ').map((c) => c.slice(c.lastIndexOf('.') + 1)) };
}

/** An immediate reader whose reads are reported to `onQuery` like any other query. */
function reported(reader: ImmediateReader, onQuery: QueryListener | undefined): ImmediateReader {
  if (!onQuery) return reader;
  const report = <T>(sql: string, parameters: readonly unknown[], read: () => T): T => {
    const start = performance.now();
    const result = read();
    if (result !== NOT_NOW) onQuery({ sql, parameters, durationMs: performance.now() - start });
    return result;
  };
  return {
    all: (sql, parameters) => report(sql, parameters, () => reader.all(sql, parameters)),
    first: (sql, parameters) => report(sql, parameters, () => reader.first(sql, parameters)),
  };
}

/**
 * The SQLite engine: one better-sqlite3 writer connection in WAL mode with foreign keys on and
 * a busy timeout, and one reader beside it for the reads made outside transactions (they run at
 * once, even while a write transaction is open; see BasaltSqliteDialect). Write transactions
 * begin IMMEDIATE so that a transaction that reads and then writes waits for another
 * process's lock instead of failing. Code running inside a transaction that queries through
 * `db` joins it (AmbientTransactions).
 */
export function createSqliteAdapter(options: SqliteOptions): DbAdapter {
  const conn = openConnection(options);
  let reader: BetterSqlite3.Database | undefined;
  try {
    reader = openReader(options);
  } catch (error) {
    conn.close();
    throw error;
  }
  const dialect = new BasaltSqliteDialect(conn, reader);
  const db = new Kysely<Database>({
    dialect,
    ...(options.onQuery ? { log: kyselyLog(options.onQuery) } : {}),
  });
  // Reads on the root handle run synchronously on the reader (or the free writer).
  const rootReader: ImmediateReader = {
    all: (text, parameters) => dialect.readNow(text, parameters),
    first: (text, parameters) => dialect.readFirstNow(text, parameters),
  };
  registerImmediateReader(db, reported(rootReader, options.onQuery));
  const transactions = new SqliteTransactions(dialect, options.onQuery);
  registerImmediateReader(transactions.handle, reported(transactions.reader(), options.onQuery));
  const ambient = new AmbientTransactions(db);
  return {
    engine: 'sqlite',
    get db() {
      return ambient.db;
    },
    dialect: sqliteDialect,
    initialize: async () => {
      // SQLite's JSON and math functions are built in.
    },
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    createTable: (exec, table, columns: readonly ColumnSpec[]) =>
      createSqliteTable(exec, table, columns),
    dropTable: async (exec, table) => {
      await exec.schema.dropTable(table).execute();
    },
    renameTable: async (exec, from, to) => {
      await exec.schema.alterTable(from).renameTo(to).execute();
    },
    addColumn: (exec, table, column) => addSqliteColumn(exec, table, column),
    dropColumn: async (exec, table, column) => {
      await exec.schema.alterTable(table).dropColumn(column).execute();
    },
    renameColumn: async (exec, table, from, to) => {
      await exec.schema.alterTable(table).renameColumn(from, to).execute();
    },
    convertColumn: convertSqliteColumn,
    createIndex: (exec, index: IndexDefinition) => createSqliteIndex(exec, index),
    dropIndex: async (exec, _table, name) => {
      await exec.schema.dropIndex(name).ifExists().execute();
    },
    createView: createSqliteView,
    dropView: dropSqliteView,
    listViews: listSqliteViews,
    listTables: listSqliteTables,
    listColumns: listSqliteColumns,
    listIndexes: listSqliteIndexes,
    transaction: (fn) => transactions.run((tx) => ambient.run(tx, fn)),
    // Migrations re-check their state inside an IMMEDIATE transaction, which already
    // serialises concurrent processes on SQLite.
    withMigrationLock: (fn) => fn(),
    isUniqueViolation: isSqliteUniqueViolation,
    uniqueViolation: sqliteUniqueViolation,
    isSchemaMismatch: (error) =>
      error instanceof SqliteDatabase.SqliteError &&
      error.code === 'SQLITE_ERROR' &&
      /^no such (table|column)|has no column named/.test(error.message),
    // One writer at a time: transactions never deadlock; SQLITE_BUSY waits out busy_timeout.
    isTransientConflict: () => false,
    // Another process held the database's lock for longer than the busy timeout.
    isUnavailable: (error) =>
      error instanceof SqliteDatabase.SqliteError && error.code.startsWith('SQLITE_BUSY'),
    // datatype mismatch (an out-of-range integer), string or blob too big.
    isRefusedValue: (error) =>
      error instanceof SqliteDatabase.SqliteError &&
      (error.code === 'SQLITE_MISMATCH' || error.code === 'SQLITE_TOOBIG'),
    optimize: async () => {
      // Outside a transaction: the checkpoint takes the writer's lock for itself. `optimize`
      // reads as read-only to better-sqlite3, so it runs in a transaction to reach the
      // writer (the reader is query_only; ANALYZE writes).
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
      await transactions.run(async (tx) => {
        await sql`PRAGMA optimize`.execute(tx);
      });
    },
    destroy: () => db.destroy(),
  };
}
