import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbAdapter } from '../../src/db/adapter.js';
import { openAdapter } from '../../src/db/open-adapter.js';
import { createEngineDatabase, testEngine, type EngineDatabase } from '../helpers/test-engine.js';

// Views over a superuser's SELECT (view collections), on the run's engine: created over a
// collection table, read through Kysely, columns cast to text where asked, dropped, and taken
// back with the transaction that made or dropped them (MariaDB: through its DDL journal).

const engine = testEngine();
/** The type names each engine gives a text column of a view. */
const TEXT_TYPE = { sqlite: /^text$/i, postgres: /^text$/, mysql: /^(varchar|longtext)$/ }[engine];

let adapter: DbAdapter;
let database: EngineDatabase;
const dir = mkdtempSync(join(tmpdir(), 'basalt-views-'));

beforeAll(async () => {
  database = await createEngineDatabase();
  adapter = await openAdapter({ url: database.url, dataDir: dir });
  await adapter.createTable(adapter.db, 'posts', [
    { name: 'id', kind: 'primaryKey' },
    { name: 'title', kind: 'text' },
    { name: 'score', kind: 'number' },
  ]);
  await adapter.db
    .insertInto('posts')
    .values([
      { id: 'p1', title: 'first', score: 1 },
      { id: 'p2', title: 'second', score: 2 },
      { id: 'p3', title: 'third', score: 3 },
    ])
    .execute();
});

afterAll(async () => {
  await adapter.destroy();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const NUMBERED = 'select row_number() over (order by posts.id) as id, title, score from posts';

/** Views whose names MariaDB's journal set aside (never listed, gone once a change ends). */
async function trashedViews(): Promise<string[]> {
  if (engine !== 'mysql') return [];
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = database() and table_name like '\\_basalt\\_trash\\_%'`.execute(
    adapter.db,
  );
  return result.rows.map((r) => r.name);
}

describe('createView', () => {
  it('makes a view of the query: rows, columns in order with their types', async () => {
    const columns = await adapter.createView(
      adapter.db,
      'v_posts',
      'select id, title, score from posts',
      ['id'],
    );
    expect(columns.map((c) => c.name)).toEqual(['id', 'title', 'score']);
    expect(columns[0]?.type).toMatch(TEXT_TYPE);
    expect(columns[1]?.type).toMatch(TEXT_TYPE);
    expect(columns[2]?.type).not.toMatch(TEXT_TYPE);
    expect(await adapter.listColumns(adapter.db, 'v_posts')).toEqual(columns);
    const rows = await adapter.db.selectFrom('v_posts').selectAll().orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'p1', title: 'first', score: 1 },
      { id: 'p2', title: 'second', score: 2 },
      { id: 'p3', title: 'third', score: 3 },
    ]);
    expect(await adapter.listViews(adapter.db)).toContain('v_posts');
    expect(await adapter.listTables(adapter.db)).not.toContain('v_posts');
    expect(await adapter.listTables(adapter.db)).toContain('posts');
  });

  it('casts a column named in textColumns to text when the engine types it otherwise', async () => {
    const columns = await adapter.createView(adapter.db, 'v_numbered', NUMBERED, ['id', 'title']);
    expect(columns.map((c) => c.name)).toEqual(['id', 'title', 'score']);
    expect(columns[0]?.type).toMatch(TEXT_TYPE);
    const found = await adapter.db
      .selectFrom('v_numbered')
      .selectAll()
      .where('id', '=', '2')
      .execute();
    expect(found).toEqual([{ id: '2', title: 'second', score: 2 }]);
    // The cast id compares with a table's text column (MariaDB: no mix of collations).
    const joined = await adapter.db
      .selectFrom('posts')
      .innerJoin('v_numbered', 'v_numbered.id', 'posts.id')
      .select('posts.id')
      .execute();
    expect(joined).toEqual([]);
  });

  it('leaves a column not named in textColumns as the engine types it', async () => {
    const columns = await adapter.createView(adapter.db, 'v_uncast', NUMBERED, []);
    expect(columns[0]?.type).not.toMatch(TEXT_TYPE);
    await adapter.dropView(adapter.db, 'v_uncast');
  });

  it.each([
    ['an unknown table', 'select id from nosuch'],
    ['an unknown column', 'select nosuch from posts'],
    ['a syntax error', 'selec id from posts'],
  ])('rejects a query with %s and leaves no view', async (_what, query) => {
    await expect(adapter.createView(adapter.db, 'v_bad', query, ['id'])).rejects.toThrow();
    expect(await adapter.listViews(adapter.db)).not.toContain('v_bad');
  });
});

describe('dropView', () => {
  it('drops a view, and does nothing for a view that does not exist', async () => {
    await adapter.createView(adapter.db, 'v_gone', 'select id from posts', []);
    await adapter.dropView(adapter.db, 'v_gone');
    await adapter.dropView(adapter.db, 'v_gone');
    expect(await adapter.listViews(adapter.db)).not.toContain('v_gone');
    await expect(adapter.db.selectFrom('v_gone').selectAll().execute()).rejects.toThrow();
  });
});

describe('views in transactions', () => {
  it('a view made in a transaction that rolls back is gone', async () => {
    await expect(
      adapter.transaction(async (tx) => {
        const columns = await adapter.createView(tx, 'v_tx', NUMBERED, ['id']);
        expect(columns[0]?.type).toMatch(TEXT_TYPE);
        expect(await tx.selectFrom('v_tx').select('title').where('id', '=', '3').execute()).toEqual(
          [{ title: 'third' }],
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await adapter.listViews(adapter.db)).not.toContain('v_tx');
    expect(await trashedViews()).toEqual([]);
  });

  it('a view whose query fails in a transaction leaves nothing once it rolls back', async () => {
    await expect(
      adapter.transaction(async (tx) => {
        await adapter.createView(tx, 'v_first', 'select id from posts', []);
        await adapter.createView(tx, 'v_broken', 'select id from nosuch', []);
      }),
    ).rejects.toThrow();
    const views = await adapter.listViews(adapter.db);
    expect(views).not.toContain('v_first');
    expect(views).not.toContain('v_broken');
  });

  it('a view dropped in a transaction that rolls back is back', async () => {
    await adapter.createView(adapter.db, 'v_keep', 'select id, title from posts', []);
    await expect(
      adapter.transaction(async (tx) => {
        await adapter.dropView(tx, 'v_keep');
        expect(await adapter.listViews(tx)).not.toContain('v_keep');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await adapter.listViews(adapter.db)).toContain('v_keep');
    expect(await adapter.db.selectFrom('v_keep').select('id').execute()).toHaveLength(3);
    expect(await trashedViews()).toEqual([]);
  });

  it('views made and dropped in a committed transaction stay so', async () => {
    await adapter.createView(adapter.db, 'v_old', 'select id from posts', []);
    await adapter.transaction(async (tx) => {
      await adapter.dropView(tx, 'v_old');
      await adapter.createView(tx, 'v_new', NUMBERED, ['id']);
    });
    const views = await adapter.listViews(adapter.db);
    expect(views).toContain('v_new');
    expect(views).not.toContain('v_old');
    expect(await trashedViews()).toEqual([]);
    expect(await adapter.listColumns(adapter.db, 'v_new')).toHaveLength(3);
  });

  it('lists views sorted by name, without tables', async () => {
    const views = await adapter.listViews(adapter.db);
    expect(views).toEqual([...views].sort());
    expect(views).not.toContain('posts');
  });
});
