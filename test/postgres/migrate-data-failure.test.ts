import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateData } from '../../src/core/data-copy/data-copy.js';
import { parseDatabaseLocation } from '../../src/db/open-for-copy.js';
import { openSite } from '../helpers/basalt-site.js';
import { seedSite, superuserClient } from '../helpers/copy-fixture.js';
import { migrateCli, seedSourceWith } from '../helpers/migrate-cli.js';
import { EngineDatabases } from '../helpers/engine-databases.js';

let root: string;
const databases = new EngineDatabases();
const newDatabase = () => databases.create();

async function run(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** Tables and functions of the public schema: everything a copy could have written. */
async function schemaObjects(url: string): Promise<string[]> {
  const result = await run(
    url,
    `select table_name as name from information_schema.tables where table_schema = 'public'
     union all
     select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public'`,
  );
  return result.rows.map((r: { name: string }) => r.name);
}

/** A Basalt database on PostgreSQL with collections `first` and `second` of three records each. */
async function postgresSource(): Promise<string> {
  const url = await newDatabase();
  const site = await openSite(join(root, 'pg-source-site'), url);
  try {
    await seedSite(site, 0);
    const pb = await superuserClient(site);
    for (const name of ['first', 'second']) {
      await pb.collections.create({ name, fields: [{ name: 'title', type: 'text' }] });
      for (const title of ['a', 'b', 'c']) await pb.collection(name).create({ title });
    }
  } finally {
    await site.close();
  }
  return url;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'basalt-migrate-fail-'));
});
afterAll(async () => {
  await databases.dropAll();
  rmSync(root, { recursive: true, force: true });
});

describe('basalt migrate-data failing part way', () => {
  it('rolls back when PostgreSQL refuses a value (a NUL in a text), leaving no table', async () => {
    const sourceDir = join(root, 'nul-source');
    await seedSourceWith(sourceDir, 3000, async (site, pb) => {
      await pb.collections.create({ name: 'notes', fields: [{ name: 'text', type: 'text' }] });
      await pb.collection('notes').create({ text: 'fine' });
      const held = await pb.collection('notes').create({ text: 'held' });
      // The API refuses NUL now, but SQLite data written by PocketBase or an older Basalt can
      // hold one; PostgreSQL text cannot.
      await site.app.db.db
        .updateTable('notes')
        .set({ text: 'a\u0000b' })
        .where('id', '=', held.id)
        .execute();
    });
    const url = await newDatabase();
    const res = migrateCli(sourceDir, url);
    expect(res.code).not.toBe(0);
    expect(res.err).toContain('Copying table notes failed');
    expect(res.err).toContain('Nothing was written');
    // bulk (3000 rows) was copied before notes failed; the rollback took it all back.
    expect(res.err).toContain('bulk: 3,000 rows');
    expect(await schemaObjects(url)).toEqual([]);
  });

  it('fails when the counts differ after the copy, removing the new SQLite directory', async () => {
    const url = await postgresSource();
    const target = join(root, 'counts', 'target');
    const copy = migrateData(parseDatabaseLocation(url), parseDatabaseLocation(target), {
      // The source changes once `first` is copied (a server left running, say).
      tableDone: async (table) => {
        if (table !== 'first') return;
        await run(url, `insert into first (id, title) values ('late0000000000x', 'late')`);
      },
    });
    await expect(copy).rejects.toThrow(
      'The row counts differ after the copy (first: 4 in the source, 3 copied)',
    );
    expect(existsSync(join(root, 'counts'))).toBe(false);
  });

  it('refuses a source table whose columns are not its collection fields, writing nothing', async () => {
    const url = await postgresSource();
    await run(url, 'alter table second add column extra text');
    const target = await newDatabase();
    const copy = migrateData(parseDatabaseLocation(url), parseDatabaseLocation(target));
    await expect(copy).rejects.toThrow(
      'The columns of table second differ (only in the source: extra)',
    );
    expect(await schemaObjects(target)).toEqual([]);
  });
});
