// Databases of the records benchmark on a PostgreSQL server: each measured server gets a new,
// empty database of its own, dropped when that server stops (or the benchmark fails or is
// interrupted: the drop is registered with lib/cleanup.mjs before the database is created).
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { registerCleanup } from './cleanup.mjs';
import { BenchFailure } from './errors.mjs';

/** The server the benchmark uses without --dbUrl: the one the test suites use. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The parsed --dbUrl; messages name it by host, port and database, never its password. */
export function parseServerUrl(adminUrl) {
  if (!URL.canParse(adminUrl))
    throw new BenchFailure('--dbUrl is not a URL (postgres://user@host:port/database)');
  return new URL(adminUrl);
}

/** Runs `work(client)` on a new connection to `server` (a URL), closed afterwards. */
async function withAdmin(server, step, work) {
  const client = new pg.Client({
    connectionString: server.toString(),
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    return await work(client);
  } catch (err) {
    throw new BenchFailure(
      `${step} on ${server.host}${server.pathname} failed: ` +
        (err instanceof Error ? err.message : String(err)),
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates `basalt_bench_<label>_<random>` on the server of `adminUrl` (a database the user may
 * create databases from). Returns its URL, `drop()`, which forces its connections closed, and
 * `backendPids()`, the local processes serving its connections (for the CPU figures).
 */
export async function createBenchDatabase(adminUrl, label) {
  const server = parseServerUrl(adminUrl);
  const name = `basalt_bench_${label}_${randomBytes(6).toString('hex')}`;
  const drop = registerCleanup(() =>
    withAdmin(server, `dropping database ${name}`, (c) =>
      c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`),
    ),
  );
  try {
    await withAdmin(server, `creating database ${name}`, (c) =>
      c.query(`create database ${c.escapeIdentifier(name)}`),
    );
  } catch (err) {
    await drop().catch(() => undefined); // the creation's error says more
    throw err;
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  const backendPids = () => databaseBackends(server, name);
  return { name, url: url.toString(), drop, backendPids };
}

/**
 * The process ids of the backends connected to database `name`, as far as this machine's /proc
 * shows them: a pid is kept only when its command line names that database, so a server in a
 * container or on another host gives none (and its CPU is not attributed).
 */
async function databaseBackends(server, name) {
  const { rows } = await withAdmin(server, `listing the backends of ${name}`, (c) =>
    c.query('select pid from pg_stat_activity where datname = $1', [name]),
  );
  return rows
    .map((r) => r.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${name} `);
      } catch {
        return false;
      }
    });
}
