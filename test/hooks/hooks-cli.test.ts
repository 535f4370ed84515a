import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, waitForHealth } from '../helpers/basalt-process.js';
import { testEngine } from '../helpers/test-engine.js';
import { HooksAppDir } from './hooks-app-dir.js';

// `basalt serve` (the built CLI bundle) with the default hooks folder beside --dir: the
// bundle's own `basalt` API, source-mapped stack traces, and a start that a bad file stops.

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');

let appDir: HooksAppDir;
beforeEach(() => {
  appDir = new HooksAppDir();
});
afterEach(() => {
  appDir.remove();
});

/** Runs `basalt serve` in the app directory; the caller stops it with `kill`. */
async function serve(...extra: string[]) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [BIN, 'serve', `--http=127.0.0.1:${String(port)}`, '--dir=basalt_data', ...extra],
    { cwd: appDir.root, env: { ...process.env, BASALT_LOG_LEVEL: 'warn' } },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { url: `http://127.0.0.1:${String(port)}`, child, exited, output: () => stderr };
}

describe.skipIf(testEngine() !== 'sqlite')('basalt serve with basalt_hooks', () => {
  it('loads basalt_hooks beside the data directory; stack traces name the .ts line', async () => {
    appDir.write(
      'orders.ts',
      [
        "import { defineHooks, BadRequestError } from 'basalt';",
        "import { greet } from 'fake-greeting';",
        'type Count = { readonly n: number };',
        'const count: Count = { n: 1 };',
        'export default defineHooks((app) => {',
        "  app.routerAdd('GET', '/api/hi', () => greet(String(count.n)));",
        "  app.routerAdd('GET', '/api/bad', () => { throw new BadRequestError('Bad one.'); });",
        "  app.routerAdd('GET', '/api/crash', () => { throw new Error('crash here'); });",
        '});',
        '',
      ].join('\n'),
    );
    const server = await serve();
    try {
      expect(await waitForHealth(server.url, () => server.child.exitCode === null)).toBe(true);
      expect(await (await fetch(`${server.url}/api/hi`)).json()).toBe('hello 1');
      const bad = await fetch(`${server.url}/api/bad`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ status: 400, message: 'Bad one.', data: {} });
      expect((await fetch(`${server.url}/api/crash`)).status).toBe(500);
      await new Promise((r) => setTimeout(r, 200));
      expect(server.output()).toContain('basalt_hooks/orders.ts:8:52');
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  });

  it('does not start when a hooks file (of --hooksDir) throws at import, and says where', async () => {
    appDir.write(
      '../custom_hooks/orders.ts',
      [
        "import { defineHooks } from 'basalt';",
        'type X = { a: number };',
        'const x = undefined as X | undefined;',
        "if (!x) throw new Error('no x');",
        'export default defineHooks(() => {});',
        '',
      ].join('\n'),
    );
    const server = await serve('--hooksDir=custom_hooks');
    const code = await server.exited;
    expect(code).toBe(1);
    expect(server.output()).toContain('Error: custom_hooks/orders.ts:4:15: no x');
  });
});
