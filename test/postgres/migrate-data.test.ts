import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../src/db/sqlite/sqlite-native.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSameSite,
  migrateCli as migrate,
  seedSourceDir,
  type SeededSource,
} from '../helpers/migrate-cli.js';
import { EngineDatabases } from '../helpers/engine-databases.js';

const BULK_ROWS = 2600;

let root: string;
let source: SeededSource;
let sourceDir: string;
const databases = new EngineDatabases();
const newDatabase = () => databases.create();

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Tables and functions of the database's public schema: what a copy may have written. */
async function schemaObjects(url: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    url,
    `select table_name as name from information_schema.tables where table_schema = 'public'
     union all
     select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public'
     order by 1`,
  );
  return rows.map((r) => r.name);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'basalt-migrate-'));
  sourceDir = join(root, 'source');
  source = await seedSourceDir(sourceDir, BULK_ROWS);
});
afterAll(async () => {
  await databases.dropAll();
  rmSync(root, { recursive: true, force: true });
});

describe('basalt migrate-data with PostgreSQL', () => {
  let copyUrl: string;
  const backDir = () => join(root, 'back', 'nested');

  it('copies a SQLite data directory into PostgreSQL, rows in insertion order', async () => {
    // The source lists in insertion order, which is not id order.
    const bulk = source.state.records.bulk ?? [];
    expect(bulk).toHaveLength(BULK_ROWS);
    expect(bulk.slice(0, 2)).toMatchObject([
      { title: 'row 0', flag: false },
      { title: 'row 1', flag: true },
    ]);
    expect(source.state.records.everything).toHaveLength(11);
    expect(source.state.records.everything?.[1]).toMatchObject({
      published: true,
      tags: ['c', 'a'],
      meta: { n: 1, nested: { list: [1, 'two', null, true] }, text: 'é ü 字' },
      location: { lon: -3.75, lat: -0.5 },
    });
    expect(source.state.settings).toMatchObject({ meta: { appName: 'Copied App' } });

    copyUrl = await newDatabase();
    const res = migrate(sourceDir, copyUrl);
    expect(res.err).not.toContain('Error');
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/Copied 9 collections and [\d,]+ rows .* the row counts match\./);
    expect(res.err).toContain(`bulk: ${BULK_ROWS.toLocaleString('en-US')} rows`);
    const indexes = await query<{ name: string }>(
      copyUrl,
      "select indexname as name from pg_indexes where tablename = 'everything' order by 1",
    );
    expect(indexes.map((r) => r.name)).toContain('idx_everything_contact');
    await expectSameSite(source, join(root, 'pg-site'), copyUrl);
  });

  it('copies PostgreSQL back into a new SQLite data directory, leaving out foreign tables', async () => {
    await query(copyUrl, 'create table kept_by_hand (x int)');
    const res = migrate(copyUrl, backDir());
    expect(res.code).toBe(0);
    expect(res.out).toContain('the row counts match');
    expect(res.out).toContain("Not copied (tables that are not Basalt's): kept_by_hand.");
    await expectSameSite(source, backDir());
  });

  it('refuses a target that holds a Basalt database or foreign tables, writing nothing', async () => {
    const before = await schemaObjects(copyUrl);
    const basalt = migrate(sourceDir, copyUrl);
    expect(basalt.code).not.toBe(0);
    expect(basalt.err).toContain('already holds a Basalt database');
    expect(basalt.err).toContain('Nothing was written');
    expect(await schemaObjects(copyUrl)).toEqual(before);

    const foreignUrl = await newDatabase();
    await query(foreignUrl, 'create table someone_elses (x int)');
    const foreign = migrate(sourceDir, foreignUrl);
    expect(foreign.code).not.toBe(0);
    expect(foreign.err).toContain('tables that Basalt does not own (someone_elses)');
    expect(await schemaObjects(foreignUrl)).toEqual(['someone_elses']);

    const sqliteTarget = migrate(copyUrl, sourceDir);
    expect(sqliteTarget.code).not.toBe(0);
    expect(sqliteTarget.err).toContain('already holds a Basalt database');
    expect(migrate(sourceDir, sourceDir).err).toContain('the same database');
  });

  it('refuses an unreachable server and a wrong login, naming no password', async () => {
    const url = new URL(await newDatabase());
    const unreachable = new URL(url);
    unreachable.port = '1';
    const refused = migrate(sourceDir, unreachable.toString());
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('Cannot connect to');

    const wrongUser = new URL(url);
    wrongUser.username = 'no_such_role';
    wrongUser.password = 'secret-value';
    const asTarget = migrate(sourceDir, wrongUser.toString());
    const asSource = migrate(wrongUser.toString(), url.toString());
    for (const res of [asTarget, asSource]) {
      expect(res.code).not.toBe(0);
      expect(res.err).toContain('no_such_role');
      expect(res.err + res.out).not.toContain('secret-value');
    }
    expect(await schemaObjects(url.toString())).toEqual([]);
  });

  it('refuses a source that is missing or not Basalt, leaving no new directory', async () => {
    const emptyUrl = await newDatabase();
    const missing = migrate(join(root, 'no-such-dir'), emptyUrl);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('There is no database in');
    const empty = migrate(emptyUrl, join(root, 'never', 'made'));
    expect(empty.code).not.toBe(0);
    expect(empty.err).toContain('The source database is empty');
    expect(existsSync(join(root, 'never'))).toBe(false);
    expect(await schemaObjects(emptyUrl)).toEqual([]);

    const newer = new SqliteDatabase(join(backDir(), 'data.db'));
    newer.prepare("insert into _migrations (file, applied) values ('9999_future', 0)").run();
    newer.close();
    const refused = migrate(backDir(), emptyUrl);
    expect(refused.err).toContain('A newer Basalt wrote the source');
    expect(await schemaObjects(emptyUrl)).toEqual([]);
  });
});
