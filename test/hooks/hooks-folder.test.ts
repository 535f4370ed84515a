import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { createBasalt, type Basalt } from '../../src/index.js';
import { HooksLoadError } from '../../src/http/hooks-load-error.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';
import { HooksAppDir } from './hooks-app-dir.js';

// The hooks folder (APP-LOGIC.md §6) loaded by createBasalt({ hooksDir }), on every engine.

const ORDERS_TS = `
import { defineHooks, BadRequestError, type HooksApp } from 'basalt';
import { greet } from 'fake-greeting';
import { TAX } from './lib/tax';

interface Total { readonly net: number }

export default defineHooks(async (app: HooksApp) => {
  app.onRecordCreate('orders', async (e) => {
    e.record.set('status', greet('pending'));
    await e.next();
  });
  app.routerAdd('GET', '/api/shop/hello/{name}', (e) => {
    const total: Total = { net: 100 };
    return { hello: greet(e.params.name), gross: total.net * (1 + TAX) };
  });
  app.routerAdd('POST', '/api/shop/fail', () => {
    throw new BadRequestError('Out of stock.', {});
  });
});
`;

let appDir: HooksAppDir;
let database: EngineDatabase;
let basalt: Basalt | undefined;

beforeEach(async () => {
  appDir = new HooksAppDir();
  database = await createEngineDatabase();
});
afterEach(async () => {
  await basalt?.close({ graceMs: 500 });
  basalt = undefined;
  await database.drop();
  appDir.remove();
});

function start(): Promise<Basalt> {
  return createBasalt({ dataDir: appDir.dataDir, db: database.url, hooksDir: appDir.hooksDir });
}

describe('a hooks folder', () => {
  it('loads a TypeScript file that imports an npm package, a helper and basalt', async () => {
    appDir.write('orders.ts', ORDERS_TS);
    appDir.write('lib/tax.ts', 'export const TAX: number = 0.25;\n');
    basalt = await start();
    expect(basalt.hooksFolder?.files).toEqual(['basalt_hooks/orders.ts']);
    // The bundles are removed once imported.
    expect(readdirSync(join(appDir.dataDir, '.hooks-cache'))).toEqual([]);
    await createCollection(basalt.app, {
      name: 'orders',
      createRule: '',
      viewRule: '',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'status', type: 'text' },
      ],
    });
    const created = await basalt.inject({
      method: 'POST',
      url: '/api/collections/orders/records',
      payload: { title: 'first' },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ title: 'first', status: 'hello pending' });
    const hello = await basalt.inject({ method: 'GET', url: '/api/shop/hello/ada' });
    expect(hello.statusCode).toBe(200);
    expect(hello.json()).toEqual({ hello: 'hello ada', gross: 125 });
    // BadRequestError from 'basalt' is this Basalt's class: the API's 400 shape.
    const fail = await basalt.inject({ method: 'POST', url: '/api/shop/fail' });
    expect(fail.statusCode).toBe(400);
    expect(fail.json()).toEqual({ status: 400, message: 'Out of stock.', data: {} });
  });

  it('loads the entries in name order; subfolders are not entries', async () => {
    const route = (answer: string) =>
      `import { defineHooks } from 'basalt';\n` +
      `export default defineHooks((app) => { app.routerAdd('GET', '/api/order', () => '${answer}'); });\n`;
    appDir.write('b.js', route('b'));
    appDir.write('a.ts', route('a'));
    appDir.write('helpers/c.ts', route('c'));
    appDir.write('types.d.ts', 'export {};\n');
    basalt = await start();
    expect(basalt.hooksFolder?.files).toEqual(['basalt_hooks/a.ts', 'basalt_hooks/b.js']);
    expect((await basalt.inject('/api/order')).json()).toBe('b');
  });

  it('rejects a file that does not build, naming file:line:column', async () => {
    appDir.write(
      'a.ts',
      "import { defineHooks } from 'basalt';\nexport default defineHooks(() => {});\n",
    );
    appDir.write('orders.ts', 'const ok = 1;\n\nexport default {\n  x: ok,,\n};\n');
    const failure = await start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(HooksLoadError);
    expect((failure as Error).message).toMatch(/^basalt_hooks\/orders\.ts:4:9: /);
  });

  it('rejects a file that throws at import or while registering, naming file:line', async () => {
    appDir.write(
      'orders.ts',
      "import { defineHooks } from 'basalt';\n" +
        'type Config = { readonly key: string };\n' +
        'const config: Config | undefined = undefined;\n' +
        "if (config === undefined) throw new Error('no config');\n" +
        'export default defineHooks(() => {});\n',
    );
    let failure = await start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).toBe('basalt_hooks/orders.ts:4:33: no config');

    appDir.write(
      'orders.ts',
      "import { defineHooks } from 'basalt';\n" +
        'export default defineHooks((app) => {\n' +
        "  app.routerAdd('GET', '/api/health', () => 'mine');\n" +
        '});\n',
    );
    failure = await start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).toMatch(
      /^basalt_hooks\/orders\.ts:3:7: Route GET \/api\/health: a built-in route serves this path/,
    );
    appDir.write('orders.ts', 'export const x = 1;\n');
    failure = await start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as Error).message).toMatch(/^basalt_hooks\/orders\.ts: the default export/);
  });

  it('starts without hooks when the folder is empty or missing', async () => {
    basalt = await start();
    expect(basalt.hooksFolder?.files).toEqual([]);
    await basalt.close();
    appDir.remove();
    basalt = await start();
    expect(basalt.hooksFolder?.files).toEqual([]);
  });
});
