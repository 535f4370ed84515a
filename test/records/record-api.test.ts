import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiError } from '../../src/core/errors.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// `app.records(collection)`: records from code, rules bypassed, the REST save path and errors,
// joining the ambient transaction (APP-LOGIC.md §2 "Records from code").
let t: TestApp;
const queries: { sql: string; parameters: readonly unknown[] }[] = [];

beforeAll(async () => {
  t = await createTestApp({
    onQuery: (event) => {
      queries.push({ sql: event.sql, parameters: event.parameters });
    },
  });
  // Rules that would refuse everyone but superusers: code bypasses them.
  await createCollection(t.app, {
    name: 'products',
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'stock', type: 'number', min: 0 },
      { name: 'tags', type: 'json' },
      { name: 'secret', type: 'text', hidden: true },
      { name: 'active', type: 'bool' },
      { name: 'created', type: 'autodate', onCreate: true },
    ],
  });
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  await sql`delete from ${sql.table('products')}`.execute(t.app.db.db);
});

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('app.records()', () => {
  it('creates, reads, updates with modifiers and deletes, as a superuser would', async () => {
    const products = t.app.records('products');
    const created = await products.create({ title: 'Lamp', stock: 5, secret: 's1' });
    expect(created).toMatchObject({
      collectionName: 'products',
      title: 'Lamp',
      stock: 5,
      secret: 's1',
      active: false,
    });
    const id = String(created.id);
    expect(await products.getOne(id)).toEqual(created);

    const updated = await products.update(id, { 'stock-': 2, title: 'Desk lamp' });
    expect(updated).toMatchObject({ id, title: 'Desk lamp', stock: 3 });
    expect((await products.getOne(id)).stock).toBe(3);

    await products.delete(id);
    expect((await apiError(products.getOne(id))).status).toBe(404);
  });

  it('answers the REST errors: 404 for unknown records and collections, 400 with field errors', async () => {
    const products = t.app.records('products');
    expect((await apiError(products.getOne('nope'))).status).toBe(404);
    expect((await apiError(products.update('nope', { title: 'x' }))).status).toBe(404);
    expect((await apiError(products.delete('nope'))).status).toBe(404);
    expect((await apiError(t.app.records('missing').getOne('x'))).status).toBe(404);
    const invalid = await apiError(products.create({ stock: -1 }));
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.data).sort()).toEqual(['stock', 'title']);
  });

  it('lists with filter, {:name} params, sort and pages', async () => {
    const products = t.app.records('products');
    for (const [title, stock] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
    ] as const) {
      await products.create({ title, stock, active: stock % 2 === 0 });
    }
    const page = await products.list({
      filter: 'stock >= {:min} && active = {:active}',
      params: { min: 2, active: true },
      sort: '-stock',
    });
    expect(page.items.map((r) => r.title)).toEqual(['d', 'b']);
    expect(page).toMatchObject({ page: 1, perPage: 30, totalItems: 2, totalPages: 1 });

    const second = await products.list({ sort: 'title', page: 2, perPage: 3 });
    expect(second.items.map((r) => r.title)).toEqual(['d']);
    expect(second.totalItems).toBe(4);

    expect((await products.getFirst('title = {:t}', { t: 'c' })).stock).toBe(3);
    expect((await apiError(products.getFirst('title = {:t}', { t: 'zz' }))).status).toBe(404);
  });

  it('binds {:name} values as parameters, never as filter or SQL text', async () => {
    const products = t.app.records('products');
    await products.create({ title: 'plain' });
    const hostile = `x' || title != '' || title = 'y\\`;
    queries.length = 0;
    const page = await products.list({ filter: 'title = {:t}', params: { t: hostile } });
    expect(page.items).toEqual([]);
    const select = queries.find((q) => q.parameters.includes(hostile));
    expect(select).toBeDefined();
    expect(queries.some((q) => q.sql.includes('title !='))).toBe(false);
    // A value that is a placeholder's own spelling stays a value too.
    await products.create({ title: '{:t}' });
    expect((await products.getFirst('title = {:t}', { t: '{:t}' })).title).toBe('{:t}');
    // A placeholder without a value is a 400, as any filter that does not resolve.
    const missing = await apiError(products.list({ filter: 'title = {:nope}', params: {} }));
    expect(missing.status).toBe(400);
    expect(missing.message).toContain('{:nope}');
  });

  it('refuses placeholders in collection rules and client filters, which have no values', async () => {
    const refused = await apiError(
      createCollection(t.app, { name: 'ruled', listRule: 'id = {:x}', fields: [] }),
    );
    expect(refused.status).toBe(400);
    await t.app.records('products').create({ title: 'p' });
    const token = await superuserToken(t);
    const res = await t.server.inject({
      method: 'GET',
      url: `/api/collections/products/records?filter=${encodeURIComponent('title = {:t}')}`,
      headers: { authorization: token },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('{:t}');
  });

  it('binds other value types: null, arrays as JSON, dates', async () => {
    const products = t.app.records('products');
    await products.create({ title: 'tagged', tags: ['x', 'y'] });
    await products.create({ title: 'untagged' });
    expect((await products.getFirst('tags = {:tags}', { tags: ['x', 'y'] })).title).toBe('tagged');
    expect((await products.getFirst('tags = {:none}', { none: null })).title).toBe('untagged');
    const later = new Date(Date.now() + 60_000);
    const earlier = new Date(Date.now() - 60_000);
    expect(
      (await products.list({ filter: 'created < {:d}', params: { d: later } })).totalItems,
    ).toBe(2);
    expect(
      (await products.list({ filter: 'created < {:d}', params: { d: earlier } })).totalItems,
    ).toBe(0);
  });
});

describe('app.records() inside app.transaction', () => {
  it('joins it: reads see the uncommitted write, a throw rolls the create back', async () => {
    const products = t.app.records('products');
    const failed = t.app.transaction(async () => {
      const created = await products.create({ title: 'ghost', stock: 1 });
      expect((await products.getOne(String(created.id))).title).toBe('ghost');
      expect((await products.list({ filter: 'title = "ghost"' })).totalItems).toBe(1);
      await products.update(String(created.id), { 'stock+': 1 });
      expect((await products.getFirst('title = {:t}', { t: 'ghost' })).stock).toBe(2);
      throw new Error('refused');
    });
    await expect(failed).rejects.toThrow('refused');
    expect((await products.list()).totalItems).toBe(0);
  });

  it('commits with the transaction', async () => {
    const products = t.app.records('products');
    const id = await t.app.transaction(async () => {
      const a = await products.create({ title: 'one' });
      await products.create({ title: 'two' });
      await products.delete(String(a.id));
      return String(a.id);
    });
    expect((await products.list({ sort: 'title' })).items.map((r) => r.title)).toEqual(['two']);
    expect((await apiError(products.getOne(id))).status).toBe(404);
  });
});
