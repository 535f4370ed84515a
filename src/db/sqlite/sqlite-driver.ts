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
 * A better-sqlite3 connection as Kysely sees it: the writer, or the reader beside it. Each
 * distinct SQL text is prepared once per connection and reused (StatementCache). Statements
 * re-prepare themselves after schema changes (made on the writer, seen by the reader once
 * committed).
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

  /**
   * The statement of `sql` when it only reads the database and returns rows (a SELECT, not an
   * INSERT ... RETURNING nor a transaction control statement), else undefined. A text that
   * does not prepare here is left to the writer, which reports its error.
   */
  private readOnlyStatement(sql: string): BetterSqlite3.Statement | undefined {
    let stmt: BetterSqlite3.Statement;
    try {
      stmt = this.statement(sql);
    } catch {
      return undefined;
    }
    return stmt.reader && stmt.readonly ? stmt : undefined;
  }

  /** All rows of `sql` when it only reads (see readOnlyStatement), else NOT_NOW. */
  readAll(sql: string, parameters: readonly unknown[]): unknown[] | typeof NOT_NOW {
    return this.readOnlyStatement(sql)?.all(parameters) ?? NOT_NOW;
  }

  /** The first row of `sql` when it only reads (see readOnlyStatement), else NOT_NOW. */
  readFirst(sql: string, parameters: readonly unknown[]): unknown {
    const stmt = this.readOnlyStatement(sql);
    return stmt ? stmt.get(parameters) : NOT_NOW;
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

/**
 * The connection the base handle's Kysely gets when a reader is open. It takes no lock to be
 * handed out: a read-only statement runs at once on the reader; any other statement takes the
 * writer's lock for itself. Between BEGIN and the release (a Kysely transaction on the base
 * handle) it holds the writer's lock and runs everything on the writer.
 */
class RoutedConnection implements DatabaseConnection {
  /** True while this connection holds the writer's lock for a transaction. */
  holding = false;

  constructor(
    private readonly driver: SqliteDriver,
    private readonly reader: CachedConnection,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const writer = this.driver.connection;
    if (this.holding) return writer.execute<R>(query);
    const rows = this.reader.readAll(query.sql, query.parameters);
    if (rows !== NOT_NOW) return Promise.resolve({ rows: rows as R[] });
    return this.driver.exclusive((connection) => connection.execute<R>(query));
  }

  // eslint-disable-next-line require-yield -- streaming is not offered on SQLite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on SQLite.');
  }
}

/**
 * One writer connection behind a FIFO lock (a write transaction holds it from BEGIN to COMMIT)
 * and, for a database file, one reader connection beside it. The database is in WAL mode, so
 * the reader sees the last committed state and never waits for the writer: reads outside a
 * transaction run on it at once, even while a transaction spanning awaits is open. One reader
 * is enough: better-sqlite3 runs each statement synchronously, start to end, so the reader
 * never holds a read transaction across an await. Without a reader (`:memory:`, whose data
 * another connection cannot see) every query takes the writer's lock.
 */
class SqliteDriver implements Driver {
  private readonly lock = new FifoLock();
  /** The writer; use it only while holding the lock (see exclusive). */
  readonly connection: CachedConnection;
  /** The reader, for statements that only read; undefined for an in-memory database. */
  private readonly reader: CachedConnection | undefined;
  /** Routed connections handed out before and released, for reuse. */
  private readonly idle: RoutedConnection[] = [];

  constructor(conn: BetterSqlite3.Database, reader: BetterSqlite3.Database | undefined) {
    this.connection = new CachedConnection(conn);
    this.reader = reader ? new CachedConnection(reader) : undefined;
  }

  async init(): Promise<void> {
    // The connections are opened and configured by the adapter.
  }

  /**
   * Runs a read now: on the reader when there is one and `sql` only reads; on the writer when
   * it is free (no transaction open, no query queued); else answers NOT_NOW. Synchronous, so
   * nothing can take the connection in between.
   */
  readNow(sql: string, parameters: readonly unknown[]): unknown[] | typeof NOT_NOW {
    if (this.reader) return this.reader.readAll(sql, parameters);
    return this.lock.free ? this.connection.selectNow(sql, parameters) : NOT_NOW;
  }

  /** The first row of a read, now (see readNow), else NOT_NOW. */
  readFirstNow(sql: string, parameters: readonly unknown[]): unknown {
    if (this.reader) return this.reader.readFirst(sql, parameters);
    return this.lock.free ? this.connection.selectFirstNow(sql, parameters) : NOT_NOW;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.reader) return this.idle.pop() ?? new RoutedConnection(this, this.reader);
    await this.lock.acquire();
    return this.connection;
  }

  /** Runs `fn` holding the writer: no other query runs on it until `fn` settles. */
  async exclusive<T>(fn: (connection: CachedConnection) => Promise<T>): Promise<T> {
    await this.lock.acquire();
    try {
      return await fn(this.connection);
    } finally {
      this.lock.release();
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof RoutedConnection) {
      await this.lock.acquire();
      connection.holding = true;
    }
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!(connection instanceof RoutedConnection)) {
      this.lock.release();
      return;
    }
    if (connection.holding) {
      connection.holding = false;
      this.lock.release();
    }
    this.idle.push(connection);
  }

  async destroy(): Promise<void> {
    this.reader?.close();
    this.connection.close();
  }
}

/** Kysely's SQLite dialect (compiler, adapter, introspector) over Basalt's driver. */
export class BasaltSqliteDialect extends SqliteDialect {
  private readonly driver: SqliteDriver;

  /**
   * @param conn the writer connection.
   * @param reader a second connection to the same database file, for reads outside
   *   transactions; undefined for an in-memory database.
   */
  constructor(conn: BetterSqlite3.Database, reader?: BetterSqlite3.Database) {
    super({ database: conn });
    this.driver = new SqliteDriver(conn, reader);
  }

  override createDriver(): Driver {
    return this.driver;
  }

  /** The writer connection; use it only while holding it (see exclusive). */
  get connection(): CachedConnection {
    return this.driver.connection;
  }

  /** Runs `fn` holding the connection; see SqliteDriver.exclusive. */
  exclusive<T>(fn: (connection: CachedConnection) => Promise<T>): Promise<T> {
    return this.driver.exclusive(fn);
  }

  /** Runs a read synchronously when it can; see SqliteDriver.readNow. */
  readNow(sql: string, parameters: readonly unknown[]): unknown[] | typeof NOT_NOW {
    return this.driver.readNow(sql, parameters);
  }

  /** The first row of a read when it can run now; see SqliteDriver.readFirstNow. */
  readFirstNow(sql: string, parameters: readonly unknown[]): unknown {
    return this.driver.readFirstNow(sql, parameters);
  }
}
