import {
  CompiledQuery,
  type DatabaseConnection,
  type MysqlPool,
  type MysqlPoolConnection,
} from 'kysely';
import type { MysqlQueryResult, MysqlStreamOptions, MysqlStream } from 'kysely';
import mysql from 'mysql2';
import { TEXT_COLLATION } from './column-types.js';
import { guardPoolConnections } from './connection-faults.js';

/** Where a MariaDB database is and how to log in, read from a `mysql://` URL. */
export interface MysqlTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
}

/** Reads `mysql://user:password@host:port/database` (or `mariadb://`). */
export function parseMysqlUrl(url: string): MysqlTarget {
  const parsed = new URL(url);
  return {
    // An IPv6 host comes in brackets, which the socket API does not take.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
  };
}

/**
 * Opens a mysql2 pool. Values come back as the record layer reads them on SQLite: DOUBLE and
 * TINYINT as numbers, DECIMAL (sums) as numbers, BIGINT as numbers while they are exact, and
 * JSON function results as their text.
 */
export function createMysqlPool(
  target: MysqlTarget,
  size: number,
  onConnectionError: (error: Error) => void,
): mysql.Pool {
  const pool = mysql.createPool({
    ...target,
    connectionLimit: size,
    charset: 'UTF8MB4_UNICODE_CI',
    decimalNumbers: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: true,
    jsonStrings: true,
    timezone: 'Z',
    connectTimeout: 10_000,
    enableKeepAlive: true,
    // Prepared statements are per connection and the server caps them in total (16382 by
    // default), so each connection keeps only its most recent ones.
    maxPreparedStatements: 100,
  });
  // A connection that the server closes or the network cuts must not crash the process.
  guardPoolConnections(pool, onConnectionError);
  return pool;
}

/**
 * What every connection sets before its first query: text in the NO PAD binary collation (so
 * literals and bound values compare as the columns do), READ COMMITTED transactions (each
 * statement reads the latest committed rows; updates lock what they read), strict writes
 * (an oversized or invalid value fails instead of being cut), standard double-quoted
 * identifiers, and a bound on waits for another session's table lock (a schema change).
 */
const SESSION_SETUP = [
  `set names utf8mb4 collate ${TEXT_COLLATION}`,
  'set session transaction isolation level read committed',
  "set session sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,ANSI_QUOTES'",
  'set session lock_wait_timeout = 60',
].map((text) => CompiledQuery.raw(text));

/** Prepares a new connection (Kysely's `onCreateConnection`). */
export async function setUpSession(connection: DatabaseConnection): Promise<void> {
  for (const query of SESSION_SETUP) await connection.executeQuery(query);
}

type RawResult = mysql.ResultSetHeader | mysql.RowDataPacket[];

// A UTF-16 surrogate without its pair: text that has no UTF-8 form.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A value as a statement parameter. Objects and arrays are refused instead of serialised, and
 * so is text with an unpaired surrogate, which utf8mb4 cannot hold (the driver would store a
 * replacement character in its place).
 */
function bindable(value: unknown): string | number | bigint | boolean | Date | Buffer | null {
  if (value === null || value instanceof Date || Buffer.isBuffer(value)) return value;
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) {
        throw new RangeError('Text with an unpaired UTF-16 surrogate cannot be stored.');
      }
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return value;
    default:
      throw new TypeError(`Cannot bind a value of type ${typeof value} as a SQL parameter.`);
  }
}

/** The counts of a statement's OK packet, as the server sends them. */
interface OkCounts {
  readonly affectedRows: number;
  readonly changedRows: number;
  readonly insertId: number;
}

/** A mysql2 result as Kysely's MySQL driver reads it. */
function kyselyResult(result: RawResult): MysqlQueryResult {
  if (Array.isArray(result)) return result;
  // mysql2 deprecates `changedRows` in its types, but the packet still carries it.
  const counts: OkCounts = result;
  return {
    affectedRows: counts.affectedRows,
    changedRows: counts.changedRows,
    insertId: counts.insertId,
  };
}

/**
 * A pool connection whose queries with parameters run as server-side prepared statements:
 * values never pass through text substitution (mysql2's `query()` would also replace a `?`
 * that sits inside a string literal, such as an index condition's `'what?'`).
 */
class PreparedConnection implements MysqlPoolConnection {
  readonly #conn: mysql.PoolConnection;

  constructor(conn: mysql.PoolConnection) {
    this.#conn = conn;
  }

  query(
    sql: string,
    parameters: unknown[],
  ): { stream: <T>(options: MysqlStreamOptions) => MysqlStream<T> };
  query(
    sql: string,
    parameters: unknown[],
    callback: (error: unknown, result: MysqlQueryResult) => void,
  ): void;
  query(
    sql: string,
    parameters: unknown[],
    callback?: (error: unknown, result: MysqlQueryResult) => void,
  ): { stream: <T>(options: MysqlStreamOptions) => MysqlStream<T> } | undefined {
    if (!callback) throw new Error('Basalt does not stream MySQL query results.');
    const done = (error: mysql.QueryError | null, result: RawResult) => {
      if (error) callback(error, []);
      else callback(null, kyselyResult(result));
    };
    if (parameters.length === 0) this.#conn.query<RawResult>(sql, done);
    else this.#conn.execute<RawResult>(sql, parameters.map(bindable), done);
    return undefined;
  }

  release(): void {
    this.#conn.release();
  }
}

/**
 * The pool as Kysely's MySQL dialect takes it, with prepared statements. Each mysql2
 * connection keeps one wrapper, since Kysely recognises new connections by identity.
 */
export function preparedPool(pool: mysql.Pool): MysqlPool {
  const wrappers = new WeakMap<mysql.PoolConnection, PreparedConnection>();
  return {
    getConnection(callback) {
      pool.getConnection((error, conn) => {
        if (error) {
          // Kysely rejects with the error and never touches the connection.
          callback(error, new PreparedConnection(conn));
          return;
        }
        let wrapper = wrappers.get(conn);
        if (!wrapper) {
          wrapper = new PreparedConnection(conn);
          wrappers.set(conn, wrapper);
        }
        callback(null, wrapper);
      });
    },
    end(callback) {
      pool.end(callback);
    },
  };
}
