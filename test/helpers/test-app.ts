import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { App } from '../../src/core/app.js';
import type { QueryListener } from '../../src/db/adapter.js';
import type { Clock } from '../../src/lib/clock.js';
import type { RealtimeOptions } from '../../src/core/realtime/realtime.js';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { buildServer, closeServer } from '../../src/http/server.js';
import { createEngineDatabase } from './test-engine.js';

/** A Basalt app on a fresh data directory, with its server (not listening). */
export interface TestApp {
  readonly app: App;
  readonly server: FastifyInstance;
  readonly dir: string;
  close(): Promise<void>;
}

/**
 * Opens an app in a new temporary directory, on the run's engine (a new database on the
 * engine's server for PostgreSQL); `close()` removes both.
 */
export async function createTestApp(
  options: {
    onQuery?: QueryListener;
    logger?: Logger;
    realtime?: RealtimeOptions;
    encryptionKey?: string;
    transactionTimeLimitMs?: number;
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'basalt-test-'));
  const database = await createEngineDatabase();
  const app = await App.open({ dataDir: dir, databaseUrl: database.url, ...options });
  const server = await buildServer(app);
  return {
    app,
    server,
    dir,
    async close() {
      await closeServer(server, 500);
      await app.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a superuser and returns a token for it. */
export async function superuserToken(
  t: TestApp,
  email = 'admin@example.com',
  password = 'correct-horse-1',
): Promise<string> {
  await createSuperuser(t.app, email, password);
  const res = await t.server.inject({
    method: 'POST',
    url: '/api/collections/_superusers/auth-with-password',
    payload: { identity: email, password },
  });
  const body: unknown = res.json();
  if (
    res.statusCode !== 200 ||
    typeof body !== 'object' ||
    body === null ||
    !('token' in body) ||
    typeof body.token !== 'string'
  ) {
    throw new Error(`superuser login failed: ${res.statusCode} ${res.body}`);
  }
  return body.token;
}
