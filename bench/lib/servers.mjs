// Starts the servers the records benchmark compares: Basalt and its raw baseline, for one
// storage engine. Each launcher returns a running, seeded server:
//   { name, pid, baseUrl, token, stop() }   (token: a user's auth token, sent with creates)
import { SignJWT } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextEncoder } from 'node:util';
import { setUpBasalt } from './basalt-setup.mjs';
import { SUPERUSER, USERS_COLLECTION_ID } from './dataset.mjs';
import { BenchFailure } from './errors.mjs';
import { freePort, run, startServer } from './process.mjs';

const root = new URL('../..', import.meta.url).pathname;
const basaltBin = join(root, 'dist/basalt.mjs');

/**
 * What differs per storage engine. Adding PostgreSQL later means one more entry here, e.g.
 *   postgres: { basaltArgs: (o) => [`--db=${o.dbUrl}`], rawServer: 'raw-records-pg-server.mjs',
 *               rawArgs: (o) => [`--db=${o.dbUrl}`], needs: ['dbUrl'] }
 * plus a Fastify + pg baseline beside raw-records-server.mjs; nothing else changes.
 */
export const ENGINES = {
  sqlite: {
    basaltArgs: () => [],
    rawServer: 'raw-records-server.mjs',
    rawArgs: () => [],
    needs: [],
  },
};

/** Checks an engine name and its options; returns the engine's definition. */
export function engineOf(name, options) {
  const engine = ENGINES[name];
  if (!engine) {
    throw new BenchFailure(`unknown --engine=${name} (known: ${Object.keys(ENGINES).join(', ')})`);
  }
  for (const key of engine.needs) {
    if (!options[key]) throw new BenchFailure(`--engine=${name} needs --${key}`);
  }
  return engine;
}

/** Builds dist/ when it is older than the sources (scripts/build-if-needed.mjs). */
export async function buildBasaltIfNeeded() {
  try {
    await run(process.execPath, [join(root, 'scripts/build-if-needed.mjs')], { cwd: root });
  } catch (err) {
    if (err instanceof BenchFailure) {
      err.message = `building Basalt failed (--build=skip measures dist/ as it is): ${err.message}`;
    }
    throw err;
  }
}

async function withCleanup(dir, start) {
  try {
    return await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Starts `basalt serve` on a new data directory and seeds it over HTTP. */
async function startBasalt({ engine, options, dataset, log }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-records-basalt-'));
  return withCleanup(dir, async () => {
    await run(process.execPath, [
      basaltBin,
      'superuser',
      'upsert',
      SUPERUSER.email,
      SUPERUSER.password,
      `--dir=${dir}`,
    ]);
    const port = await freePort();
    const server = await startServer({
      name: 'basalt',
      file: basaltBin,
      args: ['serve', `--http=127.0.0.1:${port}`, `--dir=${dir}`, ...engine.basaltArgs(options)],
      port,
      env: { BASALT_LOG_LEVEL: 'warn' },
    });
    const stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    try {
      const token = await setUpBasalt(server.baseUrl, dataset, log);
      return { name: 'basalt', pid: server.pid, baseUrl: server.baseUrl, token, stop };
    } catch (err) {
      await server.stop();
      const output = server.output();
      if (output) err.message += `\n  basalt output:\n${output}`;
      throw err;
    }
  });
}

/** An auth token the raw baseline accepts: HS256, keyed by the user's tokenKey + the secret. */
function rawToken(dataset, user) {
  return new SignJWT({
    id: user.id,
    type: 'auth',
    collectionId: USERS_COLLECTION_ID,
    refreshable: true,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime('1d')
    .sign(new TextEncoder().encode(user.tokenKey + dataset.rawTokenSecret));
}

/** Starts the raw baseline, which seeds itself in-process from the same generator. */
async function startRaw({ engine, options, dataset }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-records-raw-'));
  return withCleanup(dir, async () => {
    const port = await freePort();
    const server = await startServer({
      name: 'raw baseline',
      file: join(root, 'bench/baseline', engine.rawServer),
      args: [
        `--port=${port}`,
        `--dir=${dir}`,
        `--seed=${dataset.seed}`,
        `--users=${dataset.users.length}`,
        `--posts=${dataset.posts.length}`,
        ...engine.rawArgs(options),
      ],
      port,
    });
    const stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    const token = await rawToken(dataset, dataset.users[0]);
    return { name: 'raw', pid: server.pid, baseUrl: server.baseUrl, token, stop };
  });
}

/** The launchers, by target name. */
export const TARGETS = { basalt: startBasalt, raw: startRaw };
