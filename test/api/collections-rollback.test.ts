import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { snapshotRows } from '../helpers/db-rows.js';
import { snapshotDb } from '../helpers/db-snapshot.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// A collection change that the database itself refuses, after other schema changes of the same
// request already ran, leaves schema, metadata and rows exactly as before, on every engine
// (MariaDB commits before each DDL statement, so its adapter takes its changes back itself).
let t: TestApp;
let su: ApiClient;

beforeEach(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
});
afterEach(async () => {
  await t.close();
});

async function everything(): Promise<unknown> {
  return { db: await snapshotDb(t.app), rows: await snapshotRows(t.app) };
}

async function createItems(): Promise<Record<string, unknown>[]> {
  const res = await su.post('/api/collections', {
    name: 'items',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'note', type: 'text' },
      { name: 'tag', type: 'select', values: ['a', 'b'], maxSelect: 1 },
    ],
    indexes: ['CREATE INDEX idx_items_note ON items (note)'],
  });
  expect(res.status).toBe(200);
  for (const [title, tag] of [
    ['same', 'a'],
    ['same', 'b'],
  ]) {
    expect(
      (await su.post('/api/collections/items/records', { title, note: 'n', tag })).status,
    ).toBe(200);
  }
  return res.body.fields as Record<string, unknown>[];
}

describe('collection changes the database refuses', () => {
  it('undo the renames, drops, conversions and indexes that ran before', async () => {
    const [id, title, note, tag] = await createItems();
    const before = await everything();
    const res = await su.patch('/api/collections/items', {
      name: 'things',
      fields: [
        id,
        { ...title, name: 'heading' },
        { ...tag, maxSelect: 2 },
        { name: 'extra', type: 'number' },
      ],
      // Two records share a title: the unique index fails after every other change ran.
      indexes: ['CREATE UNIQUE INDEX idx_things_heading ON things (heading)'],
    });
    expect(res.status).toBe(400);
    expect(note).toBeDefined();
    expect(await everything()).toEqual(before);
    const list = await su.get('/api/collections/items/records?sort=tag');
    expect(list.body.items).toMatchObject([
      { title: 'same', note: 'n', tag: 'a' },
      { title: 'same', note: 'n', tag: 'b' },
    ]);
    const fine = await su.patch('/api/collections/items', { name: 'things' });
    expect(fine.status).toBe(200);
    expect((await su.get('/api/collections/things/records')).body.totalItems).toBe(2);
  });

  it('restore a collection that a failing import had already deleted, with its records', async () => {
    await createItems();
    const target = await su.post('/api/collections', { name: 'target' });
    const keeper = await su.post('/api/collections', {
      name: 'keeper',
      fields: [{ name: 'ref', type: 'relation', collectionId: target.body.id, maxSelect: 1 }],
    });
    expect(keeper.status).toBe(200);
    const before = await everything();
    // `items` is deleted first; `target` cannot be, since `keeper` still points at it.
    const res = await su.send('PUT', '/api/collections/import', {
      collections: [keeper.body],
      deleteMissing: true,
    });
    expect(res.status).toBe(400);
    expect(await everything()).toEqual(before);
    expect((await su.get('/api/collections/items/records')).body.totalItems).toBe(2);
  });
});
