import { createServer, connect, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbAdapter } from '../../src/db/adapter.js';
import { selectFirstRow } from '../../src/db/immediate-read.js';
import { createPostgresAdapter } from '../../src/db/postgres/adapter.js';
import { LOWER_ALPHANUMERIC, randomString } from '../../src/lib/security/random.js';
import { postgresAdminUrl } from '../helpers/test-engine.js';

// The PostgreSQL adapter sends a transaction's BEGIN in the same write as the transaction's
// first query when that query only reads (pipelined-driver.ts). Every connection goes through
// a proxy that counts what the client writes, as the chunks the proxy receives.
let proxy: Server;
let adapter: DbAdapter;
let chunks = 0;
/** The proxy's sockets, both sides of every connection. */
const sockets = new Set<Socket>();
/** A table of this run's own in the shared database. */
const probe = sql.id(`basalt_pipeline_${randomString(12, LOWER_ALPHANUMERIC)}`);

beforeAll(async () => {
  const target = new URL(postgresAdminUrl());
  proxy = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    client.on('data', () => chunks++);
    client.pipe(upstream);
    upstream.pipe(client);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (typeof address !== 'object' || address === null) throw new Error('no proxy port');
  const url = new URL(postgresAdminUrl());
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  adapter = createPostgresAdapter({ url: url.toString() });
});
afterAll(async () => {
  await adapter.destroy();
  // The pool has ended its connections; a proxied socket whose close has not come through
  // yet would keep close() waiting (seen under load), and the proxy is only this test's.
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => proxy.close(resolve));
});

/** The writes the client made while `run` ran (a connection is warm, so none opens). */
async function writesOf(run: () => Promise<unknown>): Promise<number> {
  await sql`select 1`.execute(adapter.db);
  chunks = 0;
  await run();
  return chunks;
}

describe('pipelined transactions on PostgreSQL', () => {
  it('sends BEGIN with a first query that reads: two writes for begin, select, commit', async () => {
    const writes = await writesOf(() =>
      adapter.transaction(async (tx) => {
        await tx.selectNoFrom(sql<number>`1`.as('one')).execute();
      }),
    );
    expect(writes).toBe(2);
  });

  it('counts a SELECT given as SQL text through selectFirstRow as a read too', async () => {
    const writes = await writesOf(() =>
      adapter.transaction(async (tx) => {
        await selectFirstRow(tx, 'select 1 as one where 1 = $1', [1]);
      }),
    );
    expect(writes).toBe(2);
  });

  it('runs that first read inside the transaction', async () => {
    const seen = await adapter.transaction(async (tx) => {
      // A transaction-local setting outlives its statement only inside a transaction.
      await tx.selectNoFrom(sql<string>`set_config('basalt.probe', 'in', true)`.as('v')).execute();
      const row = await tx
        .selectNoFrom(sql<string | null>`current_setting('basalt.probe', true)`.as('v'))
        .executeTakeFirstOrThrow();
      return row.v;
    });
    expect(seen).toBe('in');
  });

  it('waits for BEGIN before a first query that writes, and rolls it back with the rest', async () => {
    await sql`create table if not exists ${probe} (x int)`.execute(adapter.db);
    try {
      const writes = await writesOf(() =>
        adapter
          .transaction(async (tx) => {
            await sql`insert into ${probe} values (1)`.execute(tx);
            throw new Error('undo');
          })
          .catch(() => undefined),
      );
      // begin, the insert, rollback: the write never shares BEGIN's round trip.
      expect(writes).toBe(3);
      const { rows } = await sql<{
        n: string;
      }>`select count(*) as n from ${probe}`.execute(adapter.db);
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await sql`drop table ${probe}`.execute(adapter.db);
    }
  });

  it('fails the first query of a transaction whose BEGIN failed, and the transaction with it', async () => {
    await expect(
      adapter.transaction(async (tx) => {
        // Ends this session's connection while BEGIN and the select are on their way.
        await tx
          .selectNoFrom(sql<boolean>`pg_terminate_backend(pg_backend_pid())`.as('x'))
          .execute();
      }),
    ).rejects.toThrow();
    // The pool replaces the connection: the adapter still answers.
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(adapter.db);
    expect(rows[0]?.one).toBe(1);
  });
});
