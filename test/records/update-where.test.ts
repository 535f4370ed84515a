import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiError } from '../../src/core/errors.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Guarded writes (APP-LOGIC.md §3): updateWhere never oversells under concurrency,
// getForUpdate and lock hold row locks until the transaction ends.
let t: TestApp;
const events: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await createCollection(t.app, {
    name: 'products',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'stock', type: 'number', max: 1000 },
      { name: 'hidden_note', type: 'text', hidden: true },
    ],
  });
  t.app.hooks.onRecordAfterUpdateSuccess.on(async (e) => {
    events.push(`update:${e.record.id}`);
    await e.next();
  });
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  events.length = 0;
  await sql`delete from ${sql.table('products')}`.execute(t.app.db.db);
});

async function stockOf(id: string): Promise<unknown> {
  return (await t.app.records('products').getOne(id)).stock;
}

describe('app.updateWhere', () => {
  it('gives exactly 100 of 300 concurrent guarded decrements of a stock of 100', async () => {
    const { id } = await t.app.records('products').create({ title: 'lamp', stock: 100 });
    const results = await Promise.all(
      Array.from({ length: 300 }, () =>
        t.app.updateWhere('products', 'id = {:id}', { 'stock-': 1 }, 'stock >= 1', { id }),
      ),
    );
    expect(results.filter((n) => n === 1)).toHaveLength(100);
    expect(results.filter((n) => n === 0)).toHaveLength(200);
    expect(await stockOf(String(id))).toBe(0);
  }, 120_000);

  it('changes every matched record the guard holds for, through the save path', async () => {
    const products = t.app.records('products');
    const a = await products.create({ title: 'a', stock: 5 });
    const b = await products.create({ title: 'b', stock: 0 });
    const c = await products.create({ title: 'c', stock: 2 });
    await products.create({ title: 'other', stock: 9 });
    events.length = 0;
    const changed = await t.app.updateWhere(
      'products',
      { filter: 'title != {:skip}', params: { skip: 'other' } },
      { 'stock-': 1, hidden_note: 'sold' },
      { filter: 'stock >= {:n}', params: { n: 1 } },
    );
    expect(changed).toBe(2);
    expect(await stockOf(String(a.id))).toBe(4);
    expect(await stockOf(String(b.id))).toBe(0);
    expect(await stockOf(String(c.id))).toBe(1);
    expect((await products.getOne(String(a.id))).hidden_note).toBe('sold');
    // Each change is a record update, reported once committed.
    expect(events.sort()).toEqual([`update:${String(a.id)}`, `update:${String(c.id)}`].sort());
    expect(await t.app.updateWhere('products', 'title = "none"', { 'stock+': 1 })).toBe(0);
  });

  it('changes nothing when one update is invalid (one transaction), answering its 400', async () => {
    const products = t.app.records('products');
    const a = await products.create({ title: 'a', stock: 10 });
    const b = await products.create({ title: 'b', stock: 1000 });
    const error = await t.app
      .updateWhere('products', 'stock > 0', { 'stock+': 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect(await stockOf(String(a.id))).toBe(10);
    expect(await stockOf(String(b.id))).toBe(1000);
  });

  it('joins the ambient transaction and rolls back with it', async () => {
    const { id } = await t.app.records('products').create({ title: 'lamp', stock: 3 });
    const failed = t.app.transaction(async () => {
      expect(await t.app.updateWhere('products', 'id = {:id}', { stock: 0 }, '', { id })).toBe(1);
      expect(await stockOf(String(id))).toBe(0);
      throw new Error('refused');
    });
    await expect(failed).rejects.toThrow('refused');
    expect(await stockOf(String(id))).toBe(3);
  });
});

describe('app.getForUpdate and app.lock', () => {
  it('throw outside a transaction', async () => {
    const { id } = await t.app.records('products').create({ title: 'lamp', stock: 3 });
    await expect(t.app.getForUpdate('products', String(id))).rejects.toThrow(
      'inside app.transaction',
    );
    await expect(t.app.lock('products', [String(id)])).rejects.toThrow('inside app.transaction');
  });

  it('read-modify-write under getForUpdate loses no update', async () => {
    const { id } = await t.app.records('products').create({ title: 'lamp', stock: 0 });
    await Promise.all(
      Array.from({ length: 40 }, () =>
        t.app.transaction(async () => {
          const row = await t.app.getForUpdate('products', String(id));
          await t.app.records('products').update(String(id), { stock: Number(row.stock) + 1 });
        }),
      ),
    );
    expect(await stockOf(String(id))).toBe(40);
  }, 60_000);

  it('getForUpdate answers 404 for an unknown record', async () => {
    const error = await t.app
      .transaction(() => t.app.getForUpdate('products', 'nope'))
      .catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(404);
  });

  it('lock sorts, skips unknown ids, and lets opposite orders queue instead of deadlocking', async () => {
    const products = t.app.records('products');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String((await products.create({ stock: 0 })).id));
    const sorted = [...ids].sort();
    const locked = await t.app.transaction(() =>
      t.app.lock('products', [...ids].reverse().concat(['missing', ids[0] ?? ''])),
    );
    expect(locked).toEqual(sorted);
    // Transfers between the same records in both directions, each locking both first.
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.app.transaction(async () => {
          const [from, to] = i % 2 === 0 ? [ids[0], ids[3]] : [ids[3], ids[0]];
          await t.app.lock('products', [String(from), String(to)]);
          await products.update(String(from), { 'stock-': 1 });
          await products.update(String(to), { 'stock+': 1 });
        }),
      ),
    );
    expect(await stockOf(String(ids[0]))).toBe(0);
    expect(await stockOf(String(ids[3]))).toBe(0);
  }, 60_000);
});
