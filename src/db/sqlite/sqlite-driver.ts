import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import { NOT_NOW } from '../immediate-read.js';
import { StatementCache } from './statement-cache.js';

/** How many prepared statements the connection keeps. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The one better-sqlite3 connection as Kysely sees it. Each distinct SQL text is prepared once
 * and reused (StatementCache). Statements re-prepare themselves after schema changes.
 */
export class CachedConnection implements DatabaseConnection {
  private readonly statements: StatementCache<BetterSqlite3.Statement>;

  constructor(private readonly conn: BetterSqlite3.Database) {
    this.statements = new StatementCache((sql) => conn.prepare(sql), STATEMENT_CACHE_SIZE);
  }

  private statement(sql: string): BetterSqlite3.Statement {
    return this.statements.get(sql);
  }

  /** Runs a read synchronously (the caller holds the connection). */
  selectNow(sql: string, parameters: readonly unknown[]): unknown[] {
    return this.statement(sql).all(parameters);
  }

  /** Runs a statement without results, synchronously (the caller holds the connection). */
  runNow(sql: string): void {
    this.statement(sql).run();
  }

  /** True while a transaction is open on the connection. */
  get inTransaction(): boolean {
    return this.conn.inTransaction;
  }

  /** The first row of a read, synchronously (the caller holds the connection). */
  selectFirstNow(sql: string, parameters: readonly unknown[]): unknown {
    return this.statement(sql).get(parameters);
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.execute<R>(query);
  }

  /**
   * Runs any statement. executeQuery calls this; Kysely's query logging replaces the
   * executeQuery of the connection objects it sees, so other handles sharing the connection
   * call this one to be logged only by their own Kysely.
   */
  execute<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.statement(query.sql);
    const parameters = [...query.parameters];
    if (stmt.reader) return Promise.resolve({ rows: stmt.all(parameters) as R[] });
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    });
  }

  // eslint-disable-next-line require-yield -- streaming is not offered on SQLite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on SQLite.');
  }

  close(): void {
    this.statements.clear();
    this.conn.close();
  }
}

/**
 * A first-in-first-out lock around the single connection. Kysely's own SQLite mutex wakes
 * every waiter on each release (they then race and sleep again), which costs quadratic work
 * under concurrent requests; this one hands the connection to exactly the next waiter.
 */
class FifoLock {
  private held = false;

  /** True when nobody holds or waits for the lock. */
  get free(): boolean {
    return !this.held;
  }

  private readonly waiters: (() => void)[] = [];

  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

class SqliteDriver implements Driver {
  private readonly lock = new FifoLock();
  /** The one connection; use it only while holding the lock (see exclusive). */
  readonly connection: CachedConnection;

  constructor(conn: BetterSqlite3.Database) {
    this.connection = new CachedConnection(conn);
  }

  async init(): Promise<void> {
    // The connection is opened and configured by the adapter.
  }

  /**
   * Runs a read now when the connection is free (no transaction open, no query queued), else
   * answers NOT_NOW. Synchronous, so nothing can take the connection in between.
   */
  readNow(sql: string, parameters: readonly unknown[]): unknown[] | typeof NOT_NOW {
    return this.lock.free ? this.connection.selectNow(sql, parameters) : NOT_NOW;
  }

  /** The first row of a read, now when the connection is free (see readNow), else NOT_NOW. */
  readFirstNow(sql: string, parameters: readonly unknown[]): unknown {
    return this.lock.free ? this.connection.selectFirstNow(sql, parameters) : NOT_NOW;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    return this.connection;
  }

  /** Runs `fn` holding the connection: no other query runs until it settles. */
  async exclusive<T>(fn: (connection: CachedConnection) => Promise<T>): Promise<T> {
    await this.lock.acquire();
    try {
      return await fn(this.connection);
    } finally {
      this.lock.release();
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.lock.release();
  }

  async destroy(): Promise<void> {
    this.connection.close();
  }
}

/** Kysely's SQLite dialect (compiler, adapter, introspector) over Basalt's driver. */
export class BasaltSqliteDialect extends SqliteDialect {
  private readonly driver: SqliteDriver;

  constructor(conn: BetterSqlite3.Database) {
    super({ database: conn });
    this.driver = new SqliteDriver(conn);
  }

  override createDriver(): Driver {
    return this.driver;
  }

  /** The one connection; use it only while holding it (see exclusive). */
  get connection(): CachedConnection {
    return this.driver.connection;
  }

  /** Runs `fn` holding the connection; see SqliteDriver.exclusive. */
  exclusive<T>(fn: (connection: CachedConnection) => Promise<T>): Promise<T> {
    return this.driver.exclusive(fn);
  }

  /** Runs a read synchronously when the connection is free; see SqliteDriver.readNow. */
  readNow(sql: string, parameters: readonly unknown[]): unknown[] | typeof NOT_NOW {
    return this.driver.readNow(sql, parameters);
  }

  /** The first row of a read when the connection is free; see SqliteDriver.readFirstNow. */
  readFirstNow(sql: string, parameters: readonly unknown[]): unknown {
    return this.driver.readFirstNow(sql, parameters);
  }
}
