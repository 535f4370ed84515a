import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPublicItems,
  processSuperuserToken,
  startBasaltProcess,
  type BasaltProcess,
} from '../helpers/basalt-process.js';
import { expectUnavailable, idOf, jsonInit, send, type Outcome } from '../helpers/http-outcome.js';
import {
  createEngineDatabase,
  postgresAdminUrl,
  testEngine,
  withMysql,
  type EngineDatabase,
} from '../helpers/test-engine.js';

// Issue 15, Data 2: the server ending Basalt's connections (pg_terminate_backend, KILL, a
// failover, a restart, an idle timeout) must fail the requests on them, never the process.

const engine = testEngine();

/**
 * Ends every connection to the database `name` except the caller's own: PostgreSQL's
 * pg_terminate_backend, MariaDB's KILL. Returns how many were ended.
 */
async function endConnections(name: string): Promise<number> {
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: postgresAdminUrl() });
    await client.connect();
    try {
      const res = await client.query<{ ended: boolean }>(
        'select pg_terminate_backend(pid) as ended from pg_stat_activity ' +
          'where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      return res.rows.filter((row) => row.ended).length;
    } finally {
      await client.end();
    }
  }
  return withMysql(async (conn) => {
    const [rows] = await conn.query(
      'select id from information_schema.processlist where db = ? and id <> connection_id()',
      [name],
    );
    let ended = 0;
    for (const row of rows as { id: number }[]) {
      // A connection may have closed since the list was read ("Unknown thread id").
      ended += await conn.query('kill ?', [row.id]).then(
        () => 1,
        () => 0,
      );
    }
    return ended;
  });
}

function databaseName(url: string): string {
  return new URL(url).pathname.slice(1);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(engine === 'sqlite')('database connections ended by the server', () => {
  let database: EngineDatabase;
  let dir: string;
  let basalt: BasaltProcess;
  let records: string;

  beforeEach(async () => {
    database = await createEngineDatabase();
    dir = mkdtempSync(join(tmpdir(), 'basalt-ended-'));
    basalt = await startBasaltProcess(dir, database.url ?? '');
    await createPublicItems(basalt.url, await processSuperuserToken(basalt.url));
    records = `${basalt.url}/api/collections/items/records`;
  });

  afterEach(async () => {
    await basalt.stop('SIGKILL');
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Every failure is the API's 503, the process lives, it serves again, and every create
   * that was acknowledged is stored.
   */
  async function expectRecovered(outcomes: Outcome[], acknowledged: string[]): Promise<void> {
    expect(basalt.alive(), basalt.stderr()).toBe(true);
    expect(basalt.stderr()).not.toContain("Unhandled 'error' event");
    for (const outcome of outcomes) {
      if (outcome.status !== 200) expectUnavailable(outcome);
    }
    await sleep(300);
    for (let i = 0; i < 10; i++) {
      expect((await send(records, jsonInit('POST', { title: `after ${String(i)}` }))).status).toBe(
        200,
      );
      expect((await send(`${records}?perPage=5`)).status).toBe(200);
    }
    for (const id of acknowledged) {
      expect((await send(`${records}/${id}`)).status, `created record ${id}`).toBe(200);
    }
  }

  it('survives terminations under ~40 requests/s of lists and creates', async () => {
    const name = databaseName(database.url ?? '');
    const requests: Promise<Outcome>[] = [];
    const creates: Promise<Outcome>[] = [];
    let ended = 0;
    const deadline = Date.now() + 4000;
    const killer = (async () => {
      while (Date.now() < deadline) {
        await sleep(200);
        ended += await endConnections(name);
      }
    })();
    for (let i = 0; Date.now() < deadline; i++) {
      if (i % 2 === 0) {
        const create = send(records, jsonInit('POST', { title: `load ${String(i)}` }));
        creates.push(create);
        requests.push(create);
      } else {
        requests.push(send(`${records}?perPage=5&sort=-id`));
      }
      await sleep(25);
    }
    await killer;
    const outcomes = await Promise.all(requests);
    expect(ended).toBeGreaterThan(0);
    expect(outcomes.length).toBeGreaterThan(100);
    const acknowledged = (await Promise.all(creates)).filter((o) => o.status === 200).map(idOf);
    expect(acknowledged.length).toBeGreaterThan(0);
    await expectRecovered(outcomes, acknowledged);
  });

  it('survives terminations while batches hold transactions open', async () => {
    const name = databaseName(database.url ?? '');
    const batches: Promise<Outcome>[] = [];
    let ended = 0;
    for (let round = 0; round < 8; round++) {
      const requests = Array.from({ length: 40 }, (_, i) => ({
        method: 'POST',
        url: '/api/collections/items/records',
        body: { title: `batch ${String(round)}.${String(i)}` },
      }));
      for (let k = 0; k < 3; k++) {
        batches.push(send(`${basalt.url}/api/batch`, jsonInit('POST', { requests })));
      }
      await sleep(20 + round * 10);
      ended += await endConnections(name);
    }
    const outcomes = await Promise.all(batches);
    expect(ended).toBeGreaterThan(0);
    const acknowledged: string[] = [];
    for (const outcome of outcomes) {
      if (outcome.status !== 200) continue;
      for (const item of outcome.body as { body: { id: string } }[])
        acknowledged.push(item.body.id);
    }
    await expectRecovered(outcomes, acknowledged);
  });

  it('replaces idle pooled connections the server ended, without a restart', async () => {
    const name = databaseName(database.url ?? '');
    // Several connections in the pool, all idle afterwards.
    const warm = await Promise.all(Array.from({ length: 8 }, () => send(`${records}?perPage=5`)));
    expect(warm.map((o) => o.status)).toEqual(Array.from({ length: 8 }, () => 200));
    expect(await endConnections(name)).toBeGreaterThan(0);
    await expectRecovered([], []);
  });
});
