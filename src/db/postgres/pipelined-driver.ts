import {
  CompiledQuery,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type pg from 'pg';
import { onlyReads } from '../read-only-query.js';

/** What a command's tag says about the rows it changed, as Kysely's own driver reports it. */
function affectedRows(result: pg.QueryResult): bigint | undefined {
  const { command, rowCount } = result;
  return command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE'
    ? BigInt(rowCount ?? 0)
    : undefined;
}

/**
 * A pooled pg client in pipeline mode (`pipeline: true` on the pool): a query is written to
 * the socket without waiting for the answer to the one before it. A transaction's BEGIN is
 * held in the corked socket and not awaited; when the first query of the transaction only
 * reads, it joins BEGIN in the same write, so BEGIN costs neither a round trip nor a system
 * call of its own. A write waits for BEGIN's answer first, so that no write can ever run
 * outside its transaction; the first query, read or write, fails when BEGIN failed.
 */
class PipelinedConnection implements DatabaseConnection {
  #begin: Promise<unknown> | undefined;
  #corked = false;

  constructor(readonly client: pg.PoolClient) {}

  /** Holds what is written next in the socket's buffer until the next query is sent. */
  cork(): void {
    this.client.connection.stream.cork();
    this.#corked = true;
  }

  #uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.client.connection.stream.uncork();
  }

  /** Records a BEGIN sent and not yet awaited (kept from being an unhandled rejection). */
  began(pending: Promise<unknown>): void {
    pending.catch(() => undefined);
    this.#begin = pending;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const begin = this.#begin;
    this.#begin = undefined;
    let pending: Promise<pg.QueryResult<R & pg.QueryResultRow>>;
    try {
      if (begin !== undefined && !onlyReads(compiledQuery)) {
        this.#uncork();
        await begin;
      }
      pending = this.client.query<R & pg.QueryResultRow>(compiledQuery.sql, [
        ...compiledQuery.parameters,
      ]);
    } finally {
      // BEGIN's own executeQuery leaves the socket corked for the query that follows it.
      if (begin !== undefined) this.#uncork();
    }
    if (begin !== undefined) {
      pending.catch(() => undefined);
      await begin;
    }
    const result = await pending;
    const numAffectedRows = affectedRows(result);
    return numAffectedRows === undefined
      ? { rows: result.rows }
      : { numAffectedRows, rows: result.rows };
  }

  // eslint-disable-next-line require-yield -- Basalt scans with DECLARE/FETCH (cursor-scan.ts)
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported: use scanRows');
  }
}

function pipelined(connection: DatabaseConnection): PipelinedConnection {
  if (!(connection instanceof PipelinedConnection)) throw new Error('not a pipelined connection');
  return connection;
}

/** Kysely's PostgreSQL driver over pipelined pg clients (see PipelinedConnection). */
class PipelinedDriver implements Driver {
  readonly #connections = new WeakMap<pg.PoolClient, PipelinedConnection>();

  constructor(private readonly pool: pg.Pool) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const client = await this.pool.connect();
    let connection = this.#connections.get(client);
    if (!connection) {
      connection = new PipelinedConnection(client);
      this.#connections.set(client, connection);
    }
    return connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      text = 'start transaction';
      if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) text += ` ${settings.accessMode}`;
    }
    // Through executeQuery, so that BEGIN is logged like every other query.
    const target = pipelined(connection);
    target.cork();
    target.began(connection.executeQuery(CompiledQuery.raw(text)));
    return Promise.resolve();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    pipelined(connection).client.release();
  }

  async destroy(): Promise<void> {
    await this.pool.end();
  }
}

/** Kysely's PostgreSQL dialect with the pipelined driver; `pool` must be in pipeline mode. */
export class PipelinedPostgresDialect extends PostgresDialect {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    super({ pool });
    this.#pool = pool;
  }

  override createDriver(): Driver {
    return new PipelinedDriver(this.#pool);
  }
}
