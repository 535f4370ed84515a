import {
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Executor, QueryListener } from '../adapter.js';
import { NOT_NOW, type ImmediateReader } from '../immediate-read.js';
import { kyselyLog } from '../query-log.js';
import type { Database } from '../schema-types.js';
import type { BasaltSqliteDialect, CachedConnection } from './sqlite-driver.js';

const SELECT_ONE = CompiledQuery.raw('select 1');

/**
 * The driver behind the handle that transactions run their queries on. The transaction holds
 * the main driver's lock for its whole life, so its queries take no lock: each runs on the
 * connection as soon as it reaches the driver. Queries outside an open transaction are refused
 * (a handle kept past its transaction would otherwise write outside it).
 */
class TransactionDriver implements Driver {
  /** True while a transaction is open on this driver's handle. */
  open = false;
  /** Queries that reached the driver and have not finished. */
  inFlight = 0;
  private readonly connection: DatabaseConnection;

  constructor(cached: CachedConnection) {
    // Its own object, calling `execute`: Kysely's query logging wraps the executeQuery of every
    // connection object it sees, and the root handle's logging wraps the cached connection's.
    this.connection = {
      executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        this.assertOpen();
        return cached.execute<R>(query);
      },
      streamQuery: <R>(): AsyncIterableIterator<QueryResult<R>> => cached.streamQuery<R>(),
    };
  }

  private assertOpen(): void {
    if (!this.open) throw new Error('A transaction handle was used after its transaction ended.');
  }

  async init(): Promise<void> {
    // Nothing to set up: the connection belongs to the main driver.
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    this.assertOpen();
    this.inFlight++;
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    this.inFlight--;
  }

  async beginTransaction(): Promise<void> {
    throw new Error('Transactions do not nest: the handle is already inside one.');
  }

  async commitTransaction(): Promise<void> {
    throw new Error('The transaction commits when its callback returns.');
  }

  async rollbackTransaction(): Promise<void> {
    throw new Error('The transaction rolls back when its callback throws.');
  }

  async destroy(): Promise<void> {
    // The main driver closes the connection.
  }
}

/**
 * Write transactions on the one SQLite connection. A transaction holds the connection from
 * BEGIN IMMEDIATE to COMMIT or ROLLBACK, which run directly on it; the callback gets one Kysely
 * handle, made once, whose queries run at once (no per-transaction Kysely instance, no lock
 * round trip per query). Reads through `reader` run synchronously while none of the
 * transaction's queries is under way, so they see its writes in order.
 */
export class SqliteTransactions {
  readonly handle: Kysely<Database>;
  private readonly driver: TransactionDriver;
  private initialised = false;

  constructor(
    private readonly dialect: BasaltSqliteDialect,
    private readonly onQuery: QueryListener | undefined,
  ) {
    this.driver = new TransactionDriver(dialect.connection);
    const driver = this.driver;
    const txDialect: Dialect = {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    };
    this.handle = new Kysely<Database>({
      dialect: txDialect,
      ...(onQuery ? { log: kyselyLog(onQuery) } : {}),
    });
  }

  /** The immediate reader of the transaction handle (see registerImmediateReader). */
  reader(): ImmediateReader {
    const cached = this.dialect.connection;
    const idle = () => this.driver.open && this.driver.inFlight === 0;
    return {
      all: (sql, parameters) => (idle() ? cached.selectNow(sql, parameters) : NOT_NOW),
      first: (sql, parameters) => (idle() ? cached.selectFirstNow(sql, parameters) : NOT_NOW),
    };
  }

  private control(connection: CachedConnection, sql: string): void {
    const start = performance.now();
    connection.runNow(sql);
    this.onQuery?.({ sql, parameters: [], durationMs: performance.now() - start });
  }

  /** Runs `fn` in a write transaction: committed when it returns, rolled back when it throws. */
  run<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    return this.dialect.exclusive(async (connection) => {
      this.driver.open = true;
      try {
        if (!this.initialised) {
          // Kysely initialises a driver on its first query, asynchronously. Once that is done,
          // a query reaches the driver synchronously when it starts, so `inFlight` sees it.
          await this.handle.executeQuery(SELECT_ONE);
          this.initialised = true;
        }
        this.control(connection, 'begin immediate');
        try {
          const result = await fn(this.handle);
          this.control(connection, 'commit');
          return result;
        } catch (error) {
          // SQLite may have rolled back already (e.g. after SQLITE_FULL).
          if (connection.inTransaction) this.control(connection, 'rollback');
          throw error;
        }
      } finally {
        this.driver.open = false;
      }
    });
  }
}
