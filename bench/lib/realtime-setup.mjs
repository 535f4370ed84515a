// Starts `basalt serve` on a new data directory for the realtime benchmark and creates the
// posts collection (BENCHMARKS.md's shape) over the public HTTP API as a superuser.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTS_COLLECTION } from './basalt-setup.mjs';
import { registerCleanup } from './cleanup.mjs';
import { SUPERUSER } from './dataset.mjs';
import { api, check } from './http.mjs';
import { freePort, run, startServer } from './process.mjs';

const root = new URL('../..', import.meta.url).pathname;
const basaltBin = join(root, 'dist/basalt.mjs');
const ENV = { BASALT_DATABASE_URL: '' };

/** A running Basalt on SQLite in a new temporary directory; `stop()` also removes it. */
export async function startBasaltServer(log) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-realtime-'));
  const removeDir = registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  await run(
    process.execPath,
    [basaltBin, 'superuser', 'upsert', SUPERUSER.email, SUPERUSER.password, `--dir=${dir}`],
    { env: { ...process.env, ...ENV } },
  );
  const port = await freePort();
  const server = await startServer({
    name: 'basalt',
    file: basaltBin,
    args: ['serve', `--http=127.0.0.1:${port}`, `--dir=${dir}`],
    port,
    env: { ...ENV, BASALT_LOG_LEVEL: 'warn' },
  });
  log(`basalt listening on ${server.baseUrl} (pid ${server.pid})`);
  return {
    ...server,
    stop: async () => {
      await server.stop();
      await removeDir();
    },
  };
}

/** Creates the posts collection (listRule "" so guests receive); returns a superuser token. */
export async function setUpRealtimeBasalt(baseUrl) {
  const auth = await api(baseUrl, 'POST', '/api/collections/_superusers/auth-with-password', {
    step: 'superuser login',
    body: { identity: SUPERUSER.email, password: SUPERUSER.password },
  });
  check(typeof auth?.token === 'string', 'superuser login', 'no token', auth);
  const collection = await api(baseUrl, 'POST', '/api/collections', {
    step: 'create the posts collection',
    token: auth.token,
    body: POSTS_COLLECTION,
  });
  check(
    collection?.name === 'posts',
    'create the posts collection',
    'unexpected answer',
    collection,
  );
  return auth.token;
}
