// Starts the servers the records benchmark compares: Basalt and its raw baseline, for one
// storage engine. Each launcher returns a running, seeded server:
//   { name, pid, baseUrl, token, stop(), databasePids? }
// token: a user's auth token, sent with creates; databasePids(): on a database server, the
// local processes serving the server's database (their CPU is the server's work too).
import { SignJWT } from 'jose';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextEncoder } from 'node:util';
import { setUpBasalt } from './basalt-setup.mjs';
import { registerCleanup } from './cleanup.mjs';
import { SUPERUSER, USERS_COLLECTION_ID } from './dataset.mjs';
import { BenchFailure } from './errors.mjs';
import { createBenchDatabase, DEFAULT_POSTGRES_URL, parseServerUrl } from './postgres.mjs';
import { freePort, run, startServer } from './process.mjs';

const root = new URL('../..', import.meta.url).pathname;
const basaltBin = join(root, 'dist/basalt.mjs');

/**
 * What differs per storage engine; the scenarios, checks, load and report do not change.
 *   options     the engine's own command-line options (`--key=value`) and their defaults;
 *               checkOptions(options) throws a BenchFailure when one is unusable
 *   database    on a database server: `(options, label) -> { url, drop(), backendPids() }`,
 *               a new empty database for one server (Basalt and the baseline each get their own)
 *   basaltArgs  the `basalt superuser upsert` and `basalt serve` arguments of a server's storage
 *   rawServer   the baseline in bench/baseline/, and rawArgs the arguments of its storage
 * A server's storage is `{ dir, dbUrl, databasePids }`: a new temporary directory and, with
 * `database`, the URL of its new database and its backends; both are removed when it stops.
 */
export const ENGINES = {
  sqlite: {
    options: {},
    basaltArgs: () => [],
    rawServer: 'raw-records-server.mjs',
    rawArgs: (storage) => [`--dir=${storage.dir}`],
  },
  postgres: {
    options: { dbUrl: DEFAULT_POSTGRES_URL },
    checkOptions: (options) => parseServerUrl(options.dbUrl),
    database: (options, label) => createBenchDatabase(options.dbUrl, label),
    basaltArgs: (storage) => [`--db=${storage.dbUrl}`],
    rawServer: 'raw-records-pg-server.mjs',
    rawArgs: (storage) => [`--db=${storage.dbUrl}`],
  },
};

/**
 * Checks an engine name and the options given for it (`''`: not given). Returns the engine's
 * definition and its options, defaults filled in.
 */
export function engineOf(name, given) {
  const engine = ENGINES[name];
  if (!engine) {
    throw new BenchFailure(`unknown --engine=${name} (known: ${Object.keys(ENGINES).join(', ')})`);
  }
  const options = { ...engine.options };
  for (const [key, value] of Object.entries(given)) {
    if (value === '') continue;
    if (!(key in engine.options)) {
      throw new BenchFailure(`--${key} does not apply to --engine=${name}`);
    }
    options[key] = value;
  }
  engine.checkOptions?.(options);
  return { engine, options };
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

/**
 * Runs `start(storage)` on a new storage for the server `label`: a temporary directory and, on
 * a database server, a new database. Both are registered for clean-up and released when
 * starting fails; `storage.release()` removes them.
 */
async function withStorage({ engine, options }, label, start) {
  const dir = mkdtempSync(join(tmpdir(), `bench-records-${label}-`));
  const removeDir = registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  let database;
  try {
    database = await engine.database?.(options, label);
  } catch (err) {
    await removeDir();
    throw err;
  }
  const release = async () => {
    try {
      await database?.drop();
    } finally {
      await removeDir();
    }
  };
  try {
    return await start({ dir, dbUrl: database?.url, databasePids: database?.backendPids, release });
  } catch (err) {
    await release().catch((cleanupErr) => {
      err.message += `\n  and the clean-up failed: ${cleanupErr.message}`;
    });
    throw err;
  }
}

/** A started server as the benchmark sees it; stop() stops it, then releases its storage. */
function launched(name, server, storage, token) {
  const stop = async () => {
    try {
      await server.stop();
    } finally {
      await storage.release();
    }
  };
  const { pid, baseUrl } = server;
  return { name, pid, baseUrl, token, stop, databasePids: storage.databasePids };
}

/**
 * The environment of Basalt's commands: the engine is the one the arguments name, never the
 * caller's BASALT_DATABASE_URL.
 */
const BASALT_ENV = { BASALT_DATABASE_URL: '' };

/** A hooks folder in `dir` with one create handler that does nothing but `e.next()`. */
function trivialHooks(dir) {
  const hooks = join(dir, 'bench_hooks');
  mkdirSync(hooks, { recursive: true });
  writeFileSync(
    join(hooks, 'trivial.js'),
    "import { defineHooks } from 'basalt';\n" +
      'export default defineHooks((app) => {\n' +
      '  app.onRecordCreate(async (e) => {\n' +
      '    await e.next();\n' +
      '  });\n' +
      '});\n',
  );
  return hooks;
}

/** Starts `basalt serve` on a new storage and seeds it over HTTP. */
async function startBasalt({ engine, options, dataset, log }) {
  return withStorage({ engine, options }, 'basalt', async (storage) => {
    const storageArgs = [`--dir=${storage.dir}`, ...engine.basaltArgs(storage)];
    const hookArgs = options.hook === 'trivial' ? [`--hooksDir=${trivialHooks(storage.dir)}`] : [];
    await run(
      process.execPath,
      [basaltBin, 'superuser', 'upsert', SUPERUSER.email, SUPERUSER.password, ...storageArgs],
      { env: { ...process.env, ...BASALT_ENV } },
    );
    const port = await freePort();
    const server = await startServer({
      name: 'basalt',
      file: basaltBin,
      args: ['serve', `--http=127.0.0.1:${port}`, ...storageArgs, ...hookArgs],
      port,
      env: { ...BASALT_ENV, BASALT_LOG_LEVEL: 'warn' },
    });
    try {
      const token = await setUpBasalt(server.baseUrl, dataset, log);
      return launched('basalt', server, storage, token);
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

/** Starts the raw baseline on a new storage; it seeds itself in-process from the same generator. */
async function startRaw({ engine, options, dataset }) {
  const token = await rawToken(dataset, dataset.users[0]);
  return withStorage({ engine, options }, 'raw', async (storage) => {
    const port = await freePort();
    const server = await startServer({
      name: 'raw baseline',
      file: join(root, 'bench/baseline', engine.rawServer),
      args: [
        `--port=${port}`,
        `--seed=${dataset.seed}`,
        `--users=${dataset.users.length}`,
        `--posts=${dataset.posts.length}`,
        ...engine.rawArgs(storage),
      ],
      port,
    });
    return launched('raw', server, storage, token);
  });
}

/** The launchers, by target name. */
export const TARGETS = { basalt: startBasalt, raw: startRaw };
