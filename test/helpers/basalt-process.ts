import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');

/** The superuser every Basalt process of the tests is given. */
export const PROCESS_SUPERUSER = { email: 'admin@example.com', password: 'correct-horse-1' };

/** A `basalt serve` child process (the built CLI) listening on a free loopback port. */
export interface BasaltProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string | null>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** Sends `signal` and waits for the exit (SIGKILL after `killAfterMs`). */
  stop(signal?: NodeJS.Signals, killAfterMs?: number): Promise<number | string | null>;
}

/** A TCP port on 127.0.0.1 that nothing listens on (at the time of asking). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Polls `url`/api/health every 100 ms until it answers 200 (true), `alive()` turns false or
 * 15 s pass (false).
 */
export async function waitForHealth(
  url: string,
  alive: () => boolean = () => true,
): Promise<boolean> {
  for (let i = 0; i < 150 && alive(); i++) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function dataArgs(dir: string, dbUrl: string): string[] {
  return dbUrl === '' ? [`--dir=${dir}`] : [`--dir=${dir}`, `--db=${dbUrl}`];
}

/**
 * Creates the superuser (through the CLI, on `setupDbUrl`, the database itself) and starts
 * `basalt serve` on `dbUrl` (which may lead through a proxy); resolves once /api/health
 * answers.
 */
export async function startBasaltProcess(
  dir: string,
  dbUrl: string,
  setupDbUrl: string = dbUrl,
  env: Record<string, string> = {},
  args: readonly string[] = [],
): Promise<BasaltProcess> {
  const setup = spawnSync(
    process.execPath,
    [
      BIN,
      'superuser',
      'upsert',
      PROCESS_SUPERUSER.email,
      PROCESS_SUPERUSER.password,
      ...dataArgs(dir, setupDbUrl),
    ],
    { encoding: 'utf8', env: { ...process.env, BASALT_LOG_LEVEL: 'warn' } },
  );
  if (setup.status !== 0) throw new Error(`superuser upsert failed: ${setup.stderr}`);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [BIN, 'serve', `--http=127.0.0.1:${String(port)}`, ...dataArgs(dir, dbUrl), ...args],
    { env: { ...process.env, BASALT_LOG_LEVEL: 'warn', ...env } },
  );
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdout.resume();
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve(code ?? signal);
    });
  });
  const url = `http://127.0.0.1:${String(port)}`;
  const alive = () => child.exitCode === null && child.signalCode === null;
  if (!(await waitForHealth(url, alive)) && !alive()) {
    throw new Error(`basalt serve exited: ${err}`);
  }
  return {
    url,
    child,
    exited,
    stderr: () => err,
    alive,
    async stop(signal = 'SIGTERM', killAfterMs = 30_000) {
      if (!alive()) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Signs the superuser in and returns its token. */
export async function processSuperuserToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      identity: PROCESS_SUPERUSER.email,
      password: PROCESS_SUPERUSER.password,
    }),
  });
  const body = (await res.json()) as { token?: string };
  if (!res.ok || typeof body.token !== 'string') throw new Error(`login failed: ${res.status}`);
  return body.token;
}

/**
 * Creates a public base collection `items` with a `title` text field (anyone may list, view
 * and create) and turns batch requests on.
 */
export async function createPublicItems(url: string, token: string): Promise<void> {
  const headers = { 'content-type': 'application/json', authorization: token };
  const created = await fetch(`${url}/api/collections`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'items',
      type: 'base',
      fields: [{ name: 'title', type: 'text' }],
      listRule: '',
      viewRule: '',
      createRule: '',
    }),
  });
  if (!created.ok) throw new Error(`collection create failed: ${await created.text()}`);
  const settings = await fetch(`${url}/api/settings`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify({ batch: { enabled: true, maxRequests: 100, timeout: 30 } }),
  });
  if (!settings.ok) throw new Error(`settings failed: ${await settings.text()}`);
}
