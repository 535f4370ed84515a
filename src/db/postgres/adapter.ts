import { Kysely, sql } from 'kysely';
import pg from 'pg';
import type { DbAdapter, QueryListener, UniqueViolation } from '../adapter.js';
import type { Database } from '../schema-types.js';
import { AmbientTransactions } from '../ambient-transaction.js';
import { kyselyLog } from '../query-log.js';
import {
  addPostgresColumn,
  convertPostgresColumn,
  createPostgresIndex,
  createPostgresTable,
} from './ddl.js';
import { guardPoolClients, isPostgresUnavailable } from './connection-faults.js';
import { PipelinedPostgresDialect } from './pipelined-driver.js';
import { scanPostgresRows } from './cursor-scan.js';
import { createPostgresFunctions } from './functions.js';
import { listPostgresColumns, listPostgresIndexes, listPostgresTables } from './introspect.js';
import { postgresDialect } from './sql-dialect.js';
import { createPostgresView, dropPostgresView, listPostgresViews } from './view-ddl.js';

/** The advisory lock key that serialises migrations across processes ("basl"). */
const MIGRATION_LOCK_KEY = 0x6261736c;

/** How many connections the pool opens at most. */
const POOL_SIZE = 10;
/**
 * How long a query waits for a connection (a free one, or a new one to open), in ms: past it
 * the request fails as unavailable instead of hanging while the server is unreachable.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/** Options of a PostgreSQL database. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly url: string;
  /** Called with the SQL of every executed query (diagnostics and tests). */
  readonly onQuery?: QueryListener | undefined;
  /** Told when a pooled connection fails (the server ended it, the network cut it). */
  readonly onConnectionError?: ((error: Error) => void) | undefined;
}

/**
 * SQLSTATEs of values PostgreSQL refuses: character_not_in_repertoire (NUL), untranslatable
 * character, invalid_text_representation, numeric_value_out_of_range, datetime field overflow,
 * invalid datetime format, undefined_function (an operator across types), datatype_mismatch,
 * statement_too_complex (a too deeply nested value).
 */
const REFUSED_VALUES: ReadonlySet<string> = new Set([
  '22021',
  '22P05',
  '22P02',
  '22003',
  '22008',
  '22007',
  '42883',
  '42804',
  '54001',
]);

function isPgError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}

/** A unique violation (23505) names the violated index as its constraint. */
function pgUniqueViolation(error: unknown): UniqueViolation | undefined {
  if (!isPgError(error) || error.code !== '23505') return undefined;
  return 'constraint' in error && typeof error.constraint === 'string'
    ? { index: error.constraint }
    : {};
}

/**
 * The PostgreSQL engine: a pg pool behind Kysely's PostgreSQL dialect. Transactions run at
 * READ COMMITTED; updates lock the rows they read (`rowLocks`), so concurrent updates are
 * applied one after the other instead of being lost.
 */
export function createPostgresAdapter(options: PostgresOptions): DbAdapter {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A server that vanished without closing the socket is noticed instead of waited on.
    keepAlive: true,
    // Queries are written without waiting for the previous answer (see pipelined-driver.ts).
    pipeline: true,
  });
  // A client that loses its connection, idle or checked out, must not crash the process.
  guardPoolClients(pool, options.onConnectionError ?? (() => undefined));
  const db = new Kysely<Database>({
    dialect: new PipelinedPostgresDialect(pool),
    ...(options.onQuery ? { log: kyselyLog(options.onQuery) } : {}),
  });
  const ambient = new AmbientTransactions(db);
  return {
    engine: 'postgres',
    get db() {
      return ambient.db;
    },
    dialect: postgresDialect,
    initialize: createPostgresFunctions,
    createTable: createPostgresTable,
    dropTable: async (exec, table) => {
      await exec.schema.dropTable(table).execute();
    },
    renameTable: async (exec, from, to) => {
      await exec.schema.alterTable(from).renameTo(to).execute();
    },
    addColumn: addPostgresColumn,
    dropColumn: async (exec, table, column) => {
      await exec.schema.alterTable(table).dropColumn(column).execute();
    },
    renameColumn: async (exec, table, from, to) => {
      await exec.schema.alterTable(table).renameColumn(from, to).execute();
    },
    convertColumn: convertPostgresColumn,
    createIndex: createPostgresIndex,
    dropIndex: async (exec, _table, name) => {
      await exec.schema.dropIndex(name).ifExists().execute();
    },
    createView: createPostgresView,
    dropView: dropPostgresView,
    listViews: listPostgresViews,
    listTables: listPostgresTables,
    listColumns: listPostgresColumns,
    listIndexes: listPostgresIndexes,
    scanRows: scanPostgresRows,
    transaction: (fn) => db.transaction().execute((tx) => ambient.run(tx, fn)),
    oneWriteWithoutTransaction: true,
    withMigrationLock: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    isUniqueViolation: (error) => isPgError(error) && error.code === '23505',
    uniqueViolation: pgUniqueViolation,
    // undefined_column, undefined_table
    isSchemaMismatch: (error) =>
      isPgError(error) && (error.code === '42703' || error.code === '42P01'),
    // deadlock_detected, serialization_failure
    isTransientConflict: (error) =>
      isPgError(error) && (error.code === '40P01' || error.code === '40001'),
    isUnavailable: isPostgresUnavailable,
    isRefusedValue: (error) => isPgError(error) && REFUSED_VALUES.has(error.code),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    destroy: () => db.destroy(),
  };
}
