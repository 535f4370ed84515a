import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');
let dir: string;
let database: EngineDatabase;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-pg-cli-'));
  database = await createEngineDatabase();
});
afterEach(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function basalt(args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(process.execPath, [BIN, ...args, `--dir=${dir}`], {
    encoding: 'utf8',
    env: { ...process.env, BASALT_LOG_LEVEL: 'warn', ...env },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
    );
    return res.rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('basalt on PostgreSQL from the CLI', () => {
  it('creates its tables through --db and through BASALT_DATABASE_URL', async () => {
    const url = database.url ?? '';
    const first = basalt([
      'superuser',
      'upsert',
      'a@example.com',
      'long-password-1',
      `--db=${url}`,
    ]);
    expect(first).toMatchObject({ code: 0 });
    expect(await tables(url)).toEqual([
      '_collections',
      '_migrations',
      '_params',
      '_superusers',
      'users',
    ]);
    const second = basalt(['superuser', 'upsert', 'a@example.com', 'long-password-2'], {
      BASALT_DATABASE_URL: url,
    });
    expect(second.out).toContain('Updated the password');
  });

  it('refuses an unreachable server, a wrong login and a foreign database, writing nothing', async () => {
    const url = new URL(database.url ?? '');
    const unreachable = new URL(url);
    unreachable.port = '1';
    const refused = basalt(['serve', `--db=${unreachable.toString()}`]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('Cannot connect to');

    const wrongUser = new URL(url);
    wrongUser.username = 'no_such_role';
    wrongUser.password = 'secret-value';
    const denied = basalt(['serve', `--db=${wrongUser.toString()}`]);
    expect(denied.code).not.toBe(0);
    expect(denied.err).toContain('no_such_role');
    expect(denied.err).not.toContain('secret-value');

    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query('create table someone_elses (x int)');
    await client.end();
    const foreign = basalt(['serve', `--db=${url.toString()}`]);
    expect(foreign.code).not.toBe(0);
    expect(foreign.err).toContain('tables that Basalt does not own (someone_elses)');
    expect(await tables(url.toString())).toEqual(['someone_elses']);
  });
});
