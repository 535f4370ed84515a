import { Kysely, MysqlDialect, sql } from 'kysely';
import type mysql from 'mysql2';
import type { DbAdapter, Executor, QueryListener, UniqueViolation } from '../adapter.js';
import { AmbientTransactions } from '../ambient-transaction.js';
import { kyselyLog } from '../query-log.js';
import type { Database } from '../schema-types.js';
import { TEXT_COLLATION } from './column-types.js';
import {
  addMysqlColumn,
  convertMysqlColumn,
  createMysqlTable,
  dropMysqlColumn,
  dropMysqlTable,
  renameMysqlColumn,
  renameMysqlTable,
} from './ddl.js';
import { isMysqlUnavailable } from './connection-faults.js';
import { DdlTransactions, dropJournalTable, type DdlCrashHook } from './ddl-journal.js';
import { recoverMysqlDdl } from './ddl-recovery.js';
import { createMysqlIndex, dropMysqlIndex } from './index-ddl.js';
import { longTextPlugin } from './long-text-plugin.js';
import { listMysqlColumns, listMysqlIndexes, listMysqlTables } from './introspect.js';
import { createMysqlPool, parseMysqlUrl, preparedPool, setUpSession } from './pool.js';
import { assertSupportedServer } from './server-version.js';
import { mysqlDialect } from './sql-dialect.js';
import { createStrftimeFunctions } from './strftime.js';
import { createMysqlView, dropMysqlView, listMysqlViews } from './view-ddl.js';

/** How many connections the pool opens at most. */
const POOL_SIZE = 10;
/** Connections for schema changes made inside transactions (see DdlTransactions). */
const DDL_POOL_SIZE = 2;
/** How long a migration waits for another process's migration lock, in seconds. */
const MIGRATION_LOCK_WAIT_S = 600;

/** Options of a MySQL/MariaDB database. */
export interface MysqlOptions {
  /** `mysql://user:password@host:port/database` (or `mariadb://`). */
  readonly url: string;
  /** Called with the SQL of every executed query (diagnostics and tests). */
  readonly onQuery?: QueryListener | undefined;
  /** Told when a pooled connection fails (the server ended it, the network cut it). */
  readonly onConnectionError?: ((error: Error) => void) | undefined;
  /** Tests only: stops schema changes at chosen points as if the process died there. */
  readonly crashHook?: DdlCrashHook | undefined;
}

function kyselyFor(pool: mysql.Pool, onQuery: QueryListener | undefined) {
  return new Kysely<Database>({
    dialect: new MysqlDialect({ pool: preparedPool(pool), onCreateConnection: setUpSession }),
    plugins: [longTextPlugin()],
    ...(onQuery ? { log: kyselyLog(onQuery) } : {}),
  });
}

function mysqlErrorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * A duplicate key names its key at the end of the message: MariaDB `... for key 'idx'`,
 * MySQL 8 `... for key 'table.idx'`.
 */
function mysqlUniqueViolation(error: unknown): UniqueViolation | undefined {
  if (mysqlErrorCode(error) !== 'ER_DUP_ENTRY' || !(error instanceof Error)) return undefined;
  const key = /for key '([^']*)'$/.exec(error.message)?.[1];
  return key === undefined ? {} : { index: key.slice(key.lastIndexOf('.') + 1) };
}

/** A column or table that does not exist (any more). */
const SCHEMA_MISMATCHES = new Set(['ER_BAD_FIELD_ERROR', 'ER_NO_SUCH_TABLE']);

/**
 * Errors after which InnoDB has rolled the whole transaction back because of other
 * transactions: a deadlock, or a row changed under a snapshot read (ER_CHECKREAD, with
 * innodb_snapshot_isolation). A lock wait timeout is not one: it ends only the statement,
 * after a long wait that a retry would repeat.
 */
const TRANSIENT_CONFLICTS = new Set(['ER_LOCK_DEADLOCK', 'ER_CHECKREAD']);

/** Errors of values MariaDB refuses in strict mode: out of range, wrong value or string. */
const REFUSED_VALUES: ReadonlySet<string> = new Set([
  'ER_WARN_DATA_OUT_OF_RANGE',
  'ER_TRUNCATED_WRONG_VALUE',
  'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD',
  'ER_INVALID_CHARACTER_STRING',
  'ER_DATA_TOO_LONG',
]);

/** Runs `fn` holding a server-wide named lock of this database (GET_LOCK). */
async function withNamedLock<T>(db: Kysely<Database>, fn: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    // Lock names are server-wide: the database's name keeps Basalt databases apart.
    const name = sql`concat('basalt_migrations:', md5(database()))`;
    const got = await sql<{ got: number | null }>`
      select get_lock(${name}, ${MIGRATION_LOCK_WAIT_S}) as got`.execute(conn);
    if (got.rows[0]?.got !== 1) {
      throw new Error(`Another process held the migration lock for ${MIGRATION_LOCK_WAIT_S} s.`);
    }
    try {
      return await fn();
    } finally {
      await sql`select release_lock(${name})`.execute(conn);
    }
  });
}

/**
 * Makes the database's default collation the one Basalt's columns use (for system tables), and
 * creates the functions the dialect calls.
 */
async function initializeDatabase(exec: Executor): Promise<void> {
  await sql`alter database character set utf8mb4 collate ${sql.raw(TEXT_COLLATION)}`.execute(exec);
  await createStrftimeFunctions(exec);
}

/**
 * The MySQL/MariaDB engine: a mysql2 pool behind Kysely's MySQL dialect, with prepared
 * statements. Transactions run at READ COMMITTED and updates lock the rows they read
 * (`rowLocks`), so concurrent updates are applied one after the other instead of being lost.
 * Schema changes inside a transaction commit or roll back with it (see DdlTransactions).
 */
export function createMysqlAdapter(options: MysqlOptions): DbAdapter {
  const target = parseMysqlUrl(options.url);
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  const db = kyselyFor(createMysqlPool(target, POOL_SIZE, onConnectionError), options.onQuery);
  const ddlDb = kyselyFor(
    createMysqlPool(target, DDL_POOL_SIZE, onConnectionError),
    options.onQuery,
  );
  const ddl = new DdlTransactions(ddlDb, options.crashHook);
  const ambient = new AmbientTransactions(db);
  return {
    engine: 'mysql',
    get db() {
      return ambient.db;
    },
    dialect: mysqlDialect,
    initialize: initializeDatabase,
    ping: async () => {
      if (target.database === '') {
        throw new Error('The URL names no database (mysql://user@host:port/database).');
      }
      await assertSupportedServer(db);
    },
    createTable: (exec, table, columns) => createMysqlTable(ddl.target(exec), table, columns),
    dropTable: (exec, table) => dropMysqlTable(ddl.target(exec), table),
    renameTable: (exec, from, to) => renameMysqlTable(ddl.target(exec), from, to),
    addColumn: (exec, table, column) => addMysqlColumn(ddl.target(exec), table, column),
    dropColumn: (exec, table, column) => dropMysqlColumn(ddl.target(exec), table, column),
    renameColumn: (exec, table, from, to) => renameMysqlColumn(ddl.target(exec), table, from, to),
    convertColumn: (exec, table, column, from, to) =>
      convertMysqlColumn(ddl.target(exec), table, column, from, to),
    createIndex: (exec, index) => createMysqlIndex(ddl.target(exec), index),
    dropIndex: (exec, table, name) => dropMysqlIndex(ddl.target(exec), table, name),
    createView: (exec, name, query, textColumns) =>
      createMysqlView(ddl.target(exec), name, query, textColumns),
    dropView: (exec, name) => dropMysqlView(ddl.target(exec), name),
    listViews: listMysqlViews,
    listTables: listMysqlTables,
    listColumns: listMysqlColumns,
    listIndexes: listMysqlIndexes,
    transaction: (fn) => ddl.run(db, (tx) => ambient.run(tx, fn)),
    recoverSchemaChanges: () => recoverMysqlDdl(ddlDb),
    dropOwnTables: () => dropJournalTable(ddlDb),
    withMigrationLock: (fn) => withNamedLock(db, fn),
    isUniqueViolation: (error) => mysqlErrorCode(error) === 'ER_DUP_ENTRY',
    uniqueViolation: mysqlUniqueViolation,
    isSchemaMismatch: (error) => SCHEMA_MISMATCHES.has(mysqlErrorCode(error) ?? ''),
    isTransientConflict: (error) => TRANSIENT_CONFLICTS.has(mysqlErrorCode(error) ?? ''),
    isUnavailable: isMysqlUnavailable,
    isRefusedValue: (error) => REFUSED_VALUES.has(mysqlErrorCode(error) ?? ''),
    destroy: async () => {
      await Promise.all([db.destroy(), ddlDb.destroy()]);
    },
  };
}
