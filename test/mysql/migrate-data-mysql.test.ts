import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectSameSite,
  migrateCli as migrate,
  seedSourceDir,
  seedSourceWith,
  type SeededSource,
} from '../helpers/migrate-cli.js';
import { EngineDatabases } from '../helpers/engine-databases.js';
import { withMysql } from '../helpers/test-engine.js';

// This project runs with BASALT_TEST_ENGINE=mysql: createEngineDatabase() makes a MariaDB
// database.
let root: string;
let source: SeededSource;
const databases = new EngineDatabases();
const newDatabase = () => databases.create();

/** Every table of the database, hidden ones (set aside by a transaction) included. */
async function allTables(url: string): Promise<string[]> {
  return withMysql(async (conn) => {
    const [rows] = await conn.query<({ name: string } & RowDataPacket)[]>(
      'select table_name as name from information_schema.tables where table_schema = database()',
    );
    return rows.map((r) => r.name).sort();
  }, url);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'basalt-migrate-mysql-'));
  source = await seedSourceDir(join(root, 'source'), 1500);
});
afterAll(async () => {
  await databases.dropAll();
  rmSync(root, { recursive: true, force: true });
});

describe('basalt migrate-data with MariaDB', () => {
  it('copies a SQLite data directory into MariaDB and back into a new directory', async () => {
    const url = await newDatabase();
    const res = migrate(source.dir, url);
    expect(res.err).not.toContain('Error');
    expect(res.code).toBe(0);
    expect(res.out).toContain('the row counts match');
    await expectSameSite(source, join(root, 'mysql-site'), url);

    const back = join(root, 'back');
    expect(migrate(url, back)).toMatchObject({ code: 0 });
    await expectSameSite(source, back);
  });

  it('leaves no table behind when MariaDB refuses a value part way', async () => {
    const dir = join(root, 'bad-source');
    await seedSourceWith(dir, 1500, async (site, pb) => {
      await pb.collections.create({ name: 'notes', fields: [{ name: 'n', type: 'number' }] });
      await pb.collection('notes').create({ n: 1 });
      // Written by hand: SQLite keeps text in a numeric column, MariaDB's double refuses it.
      await site.app.db.db.updateTable('notes').set({ n: 'not a number' }).execute();
    });
    const url = await newDatabase();
    const res = migrate(dir, url);
    expect(res.code).not.toBe(0);
    expect(res.err).toContain('Copying table notes failed');
    expect(res.err).toContain('bulk: 1,500 rows');
    expect(await allTables(url)).toEqual([]);
  });

  it('refuses a target holding foreign tables, writing nothing', async () => {
    const url = await newDatabase();
    await withMysql((conn) => conn.query('create table someone_elses (x int)'), url);
    const res = migrate(source.dir, url);
    expect(res.code).not.toBe(0);
    expect(res.err).toContain('tables that Basalt does not own (someone_elses)');
    expect(await allTables(url)).toEqual(['someone_elses']);
  });
});
