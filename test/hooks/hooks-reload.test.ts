import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { createBasalt, type Basalt } from '../../src/index.js';
import { SseClient } from '../helpers/sse-client.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';
import { HooksAppDir } from './hooks-app-dir.js';

// `--dev` (createBasalt({ hooksDir, dev: true })): a change in the hooks folder swaps hooks
// and routes while the server runs and serves, on every engine.

/** A hooks file whose route answers `version` and whose hook appends it to `status`. */
function ordersTs(version: string): string {
  return `
import { defineHooks } from 'basalt';

const VERSION: string = '${version}';

export default defineHooks(async (app) => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  app.onRecordCreate('orders', async (e) => {
    e.record.set('status', \`\${e.record.getString('status')}[\${VERSION}]\`);
    await e.next();
  });
  app.routerAdd('GET', '/api/shop/version', () => ({ version: VERSION }));
});
`;
}

let appDir: HooksAppDir;
let database: EngineDatabase;
let basalt: Basalt | undefined;
let base: string;

beforeEach(async () => {
  appDir = new HooksAppDir();
  database = await createEngineDatabase();
  appDir.write('orders.ts', ordersTs('v1'));
  basalt = await createBasalt({
    dataDir: appDir.dataDir,
    db: database.url,
    hooksDir: appDir.hooksDir,
    dev: true,
  });
  await createCollection(basalt.app, {
    name: 'orders',
    listRule: '',
    viewRule: '',
    createRule: '',
    fields: [{ name: 'status', type: 'text' }],
  });
  basalt.routerAdd('GET', '/api/embedder', () => 'still here');
  base = (await basalt.listen({ port: 0 })).url;
});
afterEach(async () => {
  await basalt?.close({ graceMs: 500 });
  basalt = undefined;
  await database.drop();
  appDir.remove();
});

async function version(): Promise<string> {
  const res = await fetch(`${base}/api/shop/version`);
  return ((await res.json()) as { version: string }).version;
}

async function createOrder(): Promise<{ status: number; body: { id?: string; status?: string } }> {
  const res = await fetch(`${base}/api/collections/orders/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: res.status, body: (await res.json()) as { status?: string } };
}

async function waitFor(check: () => Promise<boolean> | boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${String(ms)} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('--dev reload', () => {
  it('swaps hooks and routes under load: no failed request, the realtime stream stays', async () => {
    const sse = await SseClient.connect(base);
    expect((await sse.subscribe(['orders'])).status).toBe(204);
    const statuses = new Map<number, number>();
    const versions = new Set<string>();
    const orderStatuses = new Set<string>();
    let running = true;
    const loop = async (): Promise<void> => {
      while (running) {
        const res = await fetch(`${base}/api/shop/version`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        versions.add(((await res.json()) as { version: string }).version);
        const order = await createOrder();
        statuses.set(order.status, (statuses.get(order.status) ?? 0) + 1);
        orderStatuses.add(order.body.status ?? '');
      }
    };
    const loops = Array.from({ length: 20 }, loop);
    await new Promise((r) => setTimeout(r, 300));
    appDir.write('orders.ts', ordersTs('v2'));
    await waitFor(async () => (await version()) === 'v2');
    await new Promise((r) => setTimeout(r, 300));
    running = false;
    await Promise.all(loops);

    expect([...statuses.keys()]).toEqual([200]);
    expect([...versions].sort()).toEqual(['v1', 'v2']);
    // Each write ran the old hook or the new one, never both.
    expect([...orderStatuses].sort()).toEqual(['[v1]', '[v2]']);
    expect((await createOrder()).body.status).toBe('[v2]');
    expect(basalt?.hooksFolder?.generation).toBe(2);
    // The embedder's own route is not the folder's: the reload kept it.
    expect(await (await fetch(`${base}/api/embedder`)).json()).toBe('still here');
    // The stream never dropped: the same client, still open, still receiving.
    const created = (await createOrder()).body.id;
    const event = await sse.next(
      (m) => (m.json as { record?: { id?: string } }).record?.id === created,
    );
    expect(event.event).toBe('orders');
    expect(sse.ended).toBe(false);
    expect(sse.messages.some((m) => m.event === 'PB_CONNECT')).toBe(false);
    expect(sse.clientId).not.toBe('');
    sse.close();
  });

  it('keeps the previous code running when a reload fails to build or to import', async () => {
    appDir.write('orders.ts', ordersTs('v2'));
    await waitFor(async () => (await version()) === 'v2');

    appDir.write(
      'orders.ts',
      "import { defineHooks } from 'basalt';\nexport default defineHooks((app) => {\n  app.routerAdd('GET', '/x', () => 1;\n});\n",
    );
    await waitFor(() => basalt?.hooksFolder?.lastError !== undefined);
    expect(basalt?.hooksFolder?.lastError?.message).toMatch(/^basalt_hooks\/orders\.ts:3:37: /);
    expect(await version()).toBe('v2');
    expect((await createOrder()).body.status).toBe('[v2]');

    appDir.write('helper/fail.ts', 'export const boom: number = 1;\n');
    appDir.write(
      'orders.ts',
      "import { boom } from './helper/fail';\nif (boom) throw new TypeError('broken at import');\nexport default () => {};\n",
    );
    await waitFor(() => /broken at import/.test(basalt?.hooksFolder?.lastError?.message ?? ''));
    expect(basalt?.hooksFolder?.lastError?.message).toBe(
      'basalt_hooks/orders.ts:2:17: broken at import',
    );
    expect(await version()).toBe('v2');
    expect(basalt?.hooksFolder?.generation).toBe(2);

    appDir.write('orders.ts', ordersTs('v3'));
    await waitFor(async () => (await version()) === 'v3');
    expect(basalt?.hooksFolder?.lastError).toBeUndefined();
    expect((await createOrder()).body.status).toBe('[v3]');
  });

  it('reloads after a save by rename and after a change in a helper subfolder', async () => {
    const withHelper = (file: string) =>
      "import { defineHooks } from 'basalt';\n" +
      `import { VERSION } from './lib/${file}';\n` +
      "export default defineHooks((app) => { app.routerAdd('GET', '/api/shop/version', () => ({ version: VERSION })); });\n";
    appDir.replace('orders.ts', ordersTs('renamed-1'));
    await waitFor(async () => (await version()) === 'renamed-1');
    appDir.replace('orders.ts', ordersTs('renamed-2'));
    await waitFor(async () => (await version()) === 'renamed-2');
    appDir.write('lib/version.ts', "export const VERSION: string = 'helper-1';\n");
    appDir.write('orders.ts', withHelper('version'));
    await waitFor(async () => (await version()) === 'helper-1');
    appDir.write('lib/version.ts', "export const VERSION: string = 'helper-2';\n");
    await waitFor(async () => (await version()) === 'helper-2');
  });
});
