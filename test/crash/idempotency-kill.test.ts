import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  processSuperuserToken,
  startBasaltProcess,
  type BasaltProcess,
} from '../helpers/basalt-process.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// kill -9 of the server while a record create with an Idempotency-Key is inside its
// transaction: after a restart, a retry with the same key (once the claim's lease is over)
// creates the record exactly once, and later retries replay it.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let root: string;
let dataDir: string;
let database: EngineDatabase;
let server: BasaltProcess | undefined;

// The hook holds a create of "held" inside its transaction while the file `hold` exists,
// after writing `entered`, so the test kills the process at that point.
const HOOK = (dir: string) => `import { existsSync, writeFileSync } from 'node:fs';
import { defineHooks } from 'basalt';

const hold = ${JSON.stringify(join(dir, 'hold'))};
const entered = ${JSON.stringify(join(dir, 'entered'))};

export default defineHooks((app) => {
  app.onRecordCreate('payments', async (e) => {
    await e.next();
    if (e.record.get('title') !== 'held') return;
    writeFileSync(entered, 'yes');
    while (existsSync(hold)) await new Promise((r) => setTimeout(r, 50));
  });
});
`;

function start(): Promise<BasaltProcess> {
  return startBasaltProcess(dataDir, database.url ?? '', database.url ?? '', {}, [
    '--idempotency-lease=2',
  ]);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'basalt-idem-kill-'));
  dataDir = join(root, 'basalt_data');
  mkdirSync(join(root, 'basalt_hooks'));
  writeFileSync(join(root, 'basalt_hooks', 'payments.ts'), HOOK(root));
  database = await createEngineDatabase();
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await database.drop();
  rmSync(root, { recursive: true, force: true });
});

function create(url: string, key: string): Promise<Response> {
  return fetch(`${url}/api/collections/payments/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ title: 'held' }),
  });
}

async function count(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/api/collections/payments/records?filter=title%3D'held'`, {
    headers: { authorization: token },
  });
  const body = (await res.json()) as { totalItems: number };
  return body.totalItems;
}

describe('Idempotency-Key across a kill -9', () => {
  it('a retry after the restart creates the record exactly once', async () => {
    server = await start();
    let token = await processSuperuserToken(server.url);
    const created = await fetch(`${server.url}/api/collections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({
        name: 'payments',
        type: 'base',
        createRule: '',
        idempotency: 'required',
        fields: [{ name: 'title', type: 'text' }],
      }),
    });
    expect(created.status).toBe(200);

    writeFileSync(join(root, 'hold'), 'yes');
    const inFlight = create(server.url, 'pay-kill').then(
      (r) => r.status,
      () => 'cut',
    );
    for (let i = 0; i < 300 && !existsSync(join(root, 'entered')); i++) await sleep(100);
    expect(existsSync(join(root, 'entered'))).toBe(true);
    await server.stop('SIGKILL');
    expect(await inFlight).toBe('cut');
    rmSync(join(root, 'hold'));

    server = await start();
    token = await processSuperuserToken(server.url);
    expect(await count(server.url, token)).toBe(0);
    // Until the dead request's lease is over the key answers 409; then the retry runs.
    let res = await create(server.url, 'pay-kill');
    for (let i = 0; i < 300 && res.status === 409; i++) {
      await sleep(100);
      res = await create(server.url, 'pay-kill');
    }
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
    const record = (await res.json()) as { id: string };
    const again = await create(server.url, 'pay-kill');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(record.id);
    expect(await count(server.url, token)).toBe(1);
    await server.stop('SIGTERM');
  }, 180_000);
});
