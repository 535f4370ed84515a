import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPublicItems,
  processSuperuserToken,
  startBasaltProcess,
  type BasaltProcess,
} from '../helpers/basalt-process.js';
import { expectUnavailable, jsonInit, send } from '../helpers/http-outcome.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { createEngineDatabase, testEngine, type EngineDatabase } from '../helpers/test-engine.js';

// Issue 15, Data 4: while the database cannot be reached, the API answers 503 with
// Retry-After (clients retry 5xx, not 400), and serves again once it can, without a restart.

const engine = testEngine();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(engine === 'sqlite')('a database outage', () => {
  let database: EngineDatabase;
  let dir: string;
  let proxy: TcpProxy;
  let basalt: BasaltProcess;
  let records: string;

  beforeEach(async () => {
    database = await createEngineDatabase();
    const direct = new URL(database.url ?? '');
    proxy = await TcpProxy.start(direct.hostname, Number(direct.port));
    const proxied = new URL(direct);
    proxied.port = String(proxy.port);
    dir = mkdtempSync(join(tmpdir(), 'basalt-outage-'));
    basalt = await startBasaltProcess(dir, proxied.toString(), direct.toString());
    await createPublicItems(basalt.url, await processSuperuserToken(basalt.url));
    records = `${basalt.url}/api/collections/items/records`;
  });

  afterEach(async () => {
    await basalt.stop('SIGKILL');
    await proxy.cut();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while the server is cut off, then 200 again', async () => {
    const created = await send(records, jsonInit('POST', { title: 'before' }));
    expect(created.status).toBe(200);

    await proxy.cut();
    for (let i = 0; i < 4; i++) {
      expectUnavailable(await send(`${records}?perPage=5`));
      expectUnavailable(await send(records, jsonInit('POST', { title: `during ${String(i)}` })));
    }

    await proxy.restore();
    let first = await send(`${records}?perPage=50`);
    for (let i = 0; i < 50 && first.status !== 200; i++) {
      expectUnavailable(first);
      await sleep(100);
      first = await send(`${records}?perPage=50`);
    }
    expect(first.status).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect((await send(records, jsonInit('POST', { title: `after ${String(i)}` }))).status).toBe(
        200,
      );
    }
    const list = await send(`${records}?perPage=50`);
    const titles = (list.body as { items: { title: string }[] }).items.map((r) => r.title).sort();
    expect(titles).toEqual(['after 0', 'after 1', 'after 2', 'after 3', 'after 4', 'before']);
    expect(basalt.alive()).toBe(true);
  });
});
