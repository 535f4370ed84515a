import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';

/** How many prepared statements the connection keeps. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The one better-sqlite3 connection as Kysely sees it. Each distinct SQL text is prepared once
 * and reused (least recently used statements are dropped past the cache size): preparing costs
 * more than running a point lookup. Statements re-prepare themselves after schema changes.
 */
class CachedConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly conn: BetterSqlite3.Database) {}

  private statement(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (stmt) {
      this.statements.delete(sql);
    } else {
      stmt = this.conn.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.statements.keys().next();
        if (!oldest.done) this.statements.delete(oldest.value);
      }
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  /** Runs a read synchronously (the caller holds the connection). */
  selectNow(query: CompiledQuery): unknown[] {
    return this.statement(query.sql).all([...query.parameters]);
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
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
  private readonly connection: CachedConnection;

  constructor(conn: BetterSqlite3.Database) {
    this.connection = new CachedConnection(conn);
  }

  async init(): Promise<void> {
    // The connection is opened and configured by the adapter.
  }

  /**
   * Runs a read now when the connection is free (no transaction open, no query queued), else
   * undefined. Synchronous, so nothing can take the connection in between.
   */
  readNow(query: CompiledQuery): unknown[] | undefined {
    return this.lock.free ? this.connection.selectNow(query) : undefined;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    return this.connection;
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

  /** Runs a read synchronously when the connection is free; see SqliteDriver.readNow. */
  readNow(query: CompiledQuery): unknown[] | undefined {
    return this.driver.readNow(query);
  }
}
