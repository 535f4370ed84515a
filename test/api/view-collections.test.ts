import { describe, expect, it } from 'vitest';
import { login } from '../helpers/api-client.js';
import { snapshotDb } from '../helpers/db-snapshot.js';
import { useSuperuserApp } from '../helpers/superuser-app.js';
import { testEngine } from '../helpers/test-engine.js';
import { insertAuthRecord } from '../helpers/users.js';

// View collections (issue 15 item 7, issue 19 item 1): records read from a SQL view over a
// superuser's SELECT, with fields inferred from it, on every engine.
const ctx = useSuperuserApp();

type Json = Record<string, unknown>;
type FieldJson = Json & { name: string; type: string };

const TOTALS_QUERY =
  'SELECT customer AS id, count(*) AS orders, sum(total_cents) AS spent FROM orders GROUP BY customer';
const LIST_QUERY =
  "SELECT o.id, o.customer, o.total_cents AS total, o.status FROM orders o WHERE o.status <> 'cancelled'";

interface Shop {
  alice: string;
  bob: string;
  aliceToken: string;
}

/** `orders` (customer -> users, total_cents, status) with three orders of Alice and one of Bob. */
async function shop(): Promise<Shop> {
  const { su, t } = ctx;
  const orders = await su.post('/api/collections', {
    name: 'orders',
    listRule: '',
    viewRule: '',
    fields: [
      { name: 'customer', type: 'relation', collectionId: 'users', maxSelect: 1 },
      { name: 'total_cents', type: 'number', onlyInt: true },
      { name: 'status', type: 'select', values: ['paid', 'cancelled'], maxSelect: 1 },
    ],
  });
  expect(orders.status, orders.text).toBe(200);
  const alice = await insertAuthRecord(t.app, 'users', 'alice@example.com', 'alice-password-1');
  const bob = await insertAuthRecord(t.app, 'users', 'bob@example.com', 'bob-password-1');
  for (const [customer, total, status] of [
    [alice, 100, 'paid'],
    [alice, 250, 'paid'],
    [alice, 999, 'cancelled'],
    [bob, 40, 'paid'],
  ] as const) {
    const res = await su.post('/api/collections/orders/records', {
      customer,
      total_cents: total,
      status,
    });
    expect(res.status, res.text).toBe(200);
  }
  const aliceToken = await login(
    su.as(undefined),
    'users',
    'alice@example.com',
    'alice-password-1',
  );
  return { alice, bob, aliceToken };
}

async function createView(name: string, viewQuery: string, rules: Json = {}) {
  return ctx.su.post('/api/collections', { name, type: 'view', viewQuery, ...rules });
}

function fieldsOf(body: Json): FieldJson[] {
  return body.fields as FieldJson[];
}

async function viewNames(): Promise<string[]> {
  const { app } = ctx.t;
  return app.db.listViews(app.db.db);
}

describe('view collections: creating them', () => {
  it('infers the fields from the query, as PocketBase does', async () => {
    await shop();
    const totals = await createView('order_totals', TOTALS_QUERY, { listRule: '', viewRule: '' });
    expect(totals.status, totals.text).toBe(200);
    expect(totals.body).toMatchObject({ type: 'view', viewQuery: TOTALS_QUERY, indexes: [] });
    expect(fieldsOf(totals.body)).toEqual([
      expect.objectContaining({
        name: 'id',
        type: 'text',
        id: 'text3208210256',
        system: true,
        primaryKey: true,
        pattern: '^[a-z0-9]+$',
      }),
      expect.objectContaining({ name: 'orders', type: 'number', onlyInt: true }),
      expect.objectContaining({ name: 'spent', type: 'json' }),
    ]);

    const list = await createView('order_list', LIST_QUERY);
    expect(list.status, list.text).toBe(200);
    const fields = fieldsOf(list.body);
    expect(fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'text'],
      ['customer', 'relation'],
      ['total', 'number'],
      ['status', 'select'],
    ]);
    const users = await ctx.su.get('/api/collections/users');
    expect(fields[1]).toMatchObject({ collectionId: users.body.id, maxSelect: 1 });
    expect(fields[3]).toMatchObject({ values: ['paid', 'cancelled'] });
    expect(await viewNames()).toEqual(expect.arrayContaining(['order_list', 'order_totals']));

    const stored = await ctx.su.get('/api/collections/order_list');
    expect(stored.body).toEqual(list.body);
  });

  it('casts an id that is not text, and reads casts and counts as numbers, text and booleans', async () => {
    await shop();
    // Each engine's own SQL: MariaDB casts to CHAR and DOUBLE.
    const [text, real] = {
      sqlite: ['TEXT', 'REAL'],
      postgres: ['TEXT', 'DOUBLE PRECISION'],
      mysql: ['CHAR', 'DOUBLE'],
    }[testEngine()];
    const query =
      `SELECT (ROW_NUMBER() OVER (ORDER BY total_cents)) AS id, CAST(total_cents AS ${text}) AS label, ` +
      `CAST(total_cents AS ${real}) AS amount FROM orders`;
    const numbered = await createView('numbered', query, { listRule: '' });
    expect(numbered.status, numbered.text).toBe(200);
    expect(fieldsOf(numbered.body).map((f) => [f.name, f.type])).toEqual([
      ['id', 'text'],
      ['label', 'text'],
      ['amount', 'number'],
    ]);
    const page = await ctx.su.get('/api/collections/numbered/records?sort=amount');
    expect(page.status, page.text).toBe(200);
    expect(page.body.items).toEqual([
      expect.objectContaining({ id: '1', label: '40', amount: 40 }),
      expect.objectContaining({ id: '2', label: '100', amount: 100 }),
      expect.objectContaining({ id: '3', label: '250', amount: 250 }),
      expect.objectContaining({ id: '4', label: '999', amount: 999 }),
    ]);
    const one = await ctx.su.get('/api/collections/numbered/records/3');
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({ id: '3', amount: 250, collectionName: 'numbered' });
  });

  it('refuses what is not one read-only SELECT with an id, and leaves nothing behind', async () => {
    await shop();
    const before = await snapshotDb(ctx.t.app);
    const views = await viewNames();
    const cases: [string, string][] = [
      ['DELETE FROM orders', 'SELECT'],
      ['SELECT id FROM orders; DROP TABLE orders', 'statement'],
      ['SELECT * FROM orders', 'Wildcard'],
      ['SELECT o.* FROM orders o', 'Wildcard'],
      ['SELECT total_cents FROM orders', 'id column'],
      ['SELECT id, total_cents FROM no_such_table', ''],
      ['SELECT id, FROM orders', ''],
      ["SELECT 'same' AS id FROM orders", 'non-unique'],
      ["SELECT '' AS id FROM orders", 'empty'],
      ['SELECT id, total_cents AS expand FROM orders', 'reserved'],
    ];
    for (const [query, words] of cases) {
      const res = await createView('bad_view', query);
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      const error = (res.body.data as Json).viewQuery as Json;
      expect(error, query).toMatchObject({ code: 'validation_invalid_view_query' });
      expect(String(error.message), query).toContain(words);
    }
    const noQuery = await ctx.su.post('/api/collections', { name: 'v', type: 'view' });
    expect(noQuery.status).toBe(400);
    expect(noQuery.body.data).toMatchObject({ viewQuery: { code: 'validation_required' } });
    const writeRules = await createView('v', TOTALS_QUERY, {
      createRule: '',
      indexes: ['CREATE INDEX idx_v ON v (orders)'],
    });
    expect(writeRules.status).toBe(400);
    expect(writeRules.body.data).toMatchObject({
      createRule: { code: 'validation_nil' },
      indexes: { code: 'validation_indexes_not_supported' },
    });
    const badRule = await createView('v', TOTALS_QUERY, { listRule: 'nope = 1' });
    expect(badRule.status).toBe(400);
    expect(badRule.body.data).toMatchObject({ listRule: { code: 'validation_invalid_rule' } });

    expect(await snapshotDb(ctx.t.app)).toEqual(before);
    expect(await viewNames()).toEqual(views);
    const orders = await ctx.su.get('/api/collections/orders/records');
    expect(orders.body.totalItems).toBe(4);
  });

  it('refuses relations to a view from a collection that stores records', async () => {
    await shop();
    expect((await createView('order_totals', TOTALS_QUERY)).status).toBe(200);
    const res = await ctx.su.post('/api/collections', {
      name: 'notes',
      fields: [{ name: 'total', type: 'relation', collectionId: 'order_totals', maxSelect: 1 }],
    });
    expect(res.status).toBe(400);
    expect(res.body.data).toMatchObject({
      fields: {
        0: { collectionId: { code: 'validation_relation_field_non_view_base_collection' } },
      },
    });
    const viewOfView = await createView(
      'totals_ref',
      'SELECT t.id, t.id AS total FROM order_totals t',
    );
    expect(viewOfView.status, viewOfView.text).toBe(200);
    expect(fieldsOf(viewOfView.body)[1]).toMatchObject({ type: 'relation', maxSelect: 1 });
  });
});

describe('view collections: reading their records', () => {
  it('lists and views with rules, filter, sort, expand and fields', async () => {
    const { alice, bob, aliceToken } = await shop();
    const created = await createView('order_list', LIST_QUERY, {
      listRule: 'customer = @request.auth.id',
      viewRule: 'customer = @request.auth.id',
    });
    expect(created.status, created.text).toBe(200);
    const asAlice = ctx.su.as(aliceToken);
    const guest = ctx.su.as(undefined);

    const mine = await asAlice.get(
      '/api/collections/order_list/records?sort=-total&expand=customer',
    );
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body).toMatchObject({ totalItems: 2, page: 1 });
    const items = mine.body.items as Json[];
    expect(items.map((r) => r.total)).toEqual([250, 100]);
    expect(items[0]).toMatchObject({
      customer: alice,
      status: 'paid',
      collectionName: 'order_list',
      collectionId: String(created.body.id),
      expand: { customer: { id: alice, email: 'alice@example.com' } },
    });

    const filtered = await asAlice.get(
      '/api/collections/order_list/records?filter=(total>150)&fields=id,total',
    );
    expect(filtered.body.items).toMatchObject([{ total: 250 }]);
    expect(Object.keys((filtered.body.items as Json[])[0] ?? {})).toEqual(['id', 'total']);

    expect((await guest.get('/api/collections/order_list/records')).body.totalItems).toBe(0);
    const all = await ctx.su.get('/api/collections/order_list/records');
    expect(all.body.totalItems).toBe(3);
    const bobs = (all.body.items as Json[]).find((r) => r.customer === bob);
    expect(bobs).toBeDefined();
    const bobOrder = String(bobs?.id);
    expect((await asAlice.get(`/api/collections/order_list/records/${bobOrder}`)).status).toBe(404);
    expect((await ctx.su.get(`/api/collections/order_list/records/${bobOrder}`)).status).toBe(200);

    const totals = await createView('order_totals', TOTALS_QUERY, { listRule: '', viewRule: '' });
    expect(totals.status, totals.text).toBe(200);
    // `spent` is JSON (a sum, as PocketBase infers it): sorted by `orders`, a number everywhere.
    const sums = await guest.get('/api/collections/order_totals/records?sort=-orders');
    expect(sums.body.items).toEqual([
      expect.objectContaining({ id: alice, orders: 3, spent: 1349 }),
      expect.objectContaining({ id: bob, orders: 1, spent: 40 }),
    ]);
    const one = await guest.get(`/api/collections/order_totals/records/${bob}`);
    expect(one.body).toMatchObject({ id: bob, orders: 1, spent: 40 });

    const rowid = await ctx.su.get('/api/collections/order_totals/records?sort=@rowid');
    expect(rowid.status).toBe(400);
    const missing = await guest.get('/api/collections/order_list/records/x');
    expect(missing.status).toBe(404);
    const byJson = await guest.get('/api/collections/order_totals/records?filter=(spent>100)');
    expect(byJson.status, byJson.text).toBe(200);
    expect((byJson.body.items as Json[]).map((r) => r.id)).toEqual([alice]);
  });

  it('refuses every write to a view with 400 and keeps the data as it was', async () => {
    const { alice } = await shop();
    expect((await createView('order_totals', TOTALS_QUERY)).status).toBe(200);
    const base = '/api/collections/order_totals';
    const create = await ctx.su.post(`${base}/records`, { id: 'abc', orders: 1 });
    expect(create.status).toBe(400);
    expect(create.body.message).toBe('Unsupported collection type.');
    expect((await ctx.su.patch(`${base}/records/${alice}`, { orders: 9 })).status).toBe(400);
    expect((await ctx.su.delete(`${base}/records/${alice}`)).status).toBe(400);
    const guestCreate = await ctx.su.as(undefined).post(`${base}/records`, { orders: 1 });
    expect(guestCreate.status).toBe(400);
    expect((await ctx.su.patch('/api/settings', { batch: { enabled: true } })).status).toBe(200);
    const batch = await ctx.su.post('/api/batch', {
      requests: [{ method: 'POST', url: `${base}/records`, body: { orders: 1 } }],
    });
    expect(batch.status).toBe(400);
    expect(batch.body.data).toMatchObject({
      requests: { 0: { response: { message: 'Unsupported collection type.' } } },
    });
    expect((await ctx.su.delete(`${base}/truncate`)).status).toBe(400);
    const after = await ctx.su.get(`${base}/records/${alice}`);
    expect(after.body).toMatchObject({ orders: 3, spent: 1349 });
  });

  it('lets a record that a view shows be deleted (the view is no reference to clear)', async () => {
    const { bob } = await shop();
    expect((await createView('order_list', LIST_QUERY, { listRule: '' })).status).toBe(200);
    const orders = await ctx.su.get(`/api/collections/orders/records?filter=(customer='${bob}')`);
    const id = String((orders.body.items as Json[])[0]?.id);
    expect((await ctx.su.delete(`/api/collections/orders/records/${id}`)).status).toBe(204);
    const left = await ctx.su.get('/api/collections/order_list/records');
    expect(left.body.totalItems).toBe(2);
  });
});

describe('view collections: changes of what they read', () => {
  it('rebuilds views when their collections change, and refuses a change that breaks one', async () => {
    await shop();
    expect((await createView('order_totals', TOTALS_QUERY, { listRule: '' })).status).toBe(200);
    expect(
      (await createView('big_spenders', 'SELECT id, spent FROM order_totals WHERE spent > 100'))
        .status,
    ).toBe(200);
    const orders = (await ctx.su.get('/api/collections/orders')).body as Json & {
      fields: FieldJson[];
    };

    const added = await ctx.su.patch('/api/collections/orders', {
      fields: [...orders.fields, { name: 'note', type: 'text' }],
    });
    expect(added.status, added.text).toBe(200);
    expect((await ctx.su.get('/api/collections/big_spenders/records')).body.totalItems).toBe(1);

    const renamed = await ctx.su.patch('/api/collections/orders', {
      fields: orders.fields.map((f) => (f.name === 'total_cents' ? { ...f, name: 'amount' } : f)),
    });
    expect(renamed.status).toBe(400);
    expect(renamed.body.message).toContain('order_totals');
    const kept = (await ctx.su.get('/api/collections/orders')).body as Json & {
      fields: FieldJson[];
    };
    expect(kept.fields.map((f) => f.name)).toContain('total_cents');
    expect((await ctx.su.get('/api/collections/order_totals/records')).body.totalItems).toBe(2);

    const dropped = await ctx.su.delete('/api/collections/order_totals');
    expect(dropped.status).toBe(400);
    expect(dropped.body.message).toContain('big_spenders');

    // The view's own query changes with its fields; then the field may go.
    const changed = await ctx.su.patch('/api/collections/order_totals', {
      viewQuery: 'SELECT customer AS id, count(*) AS orders FROM orders GROUP BY customer',
    });
    expect(changed.status).toBe(400);
    expect(changed.body.message).toContain('big_spenders');
    expect((await ctx.su.delete('/api/collections/big_spenders')).status).toBe(204);
    const narrowed = await ctx.su.patch('/api/collections/order_totals', {
      viewQuery: 'SELECT customer AS id, count(*) AS orders FROM orders GROUP BY customer',
    });
    expect(narrowed.status, narrowed.text).toBe(200);
    expect(fieldsOf(narrowed.body).map((f) => f.name)).toEqual(['id', 'orders']);
    const ok = await ctx.su.patch('/api/collections/orders', {
      fields: orders.fields.map((f) => (f.name === 'total_cents' ? { ...f, name: 'amount' } : f)),
    });
    expect(ok.status, ok.text).toBe(200);

    const renamedView = await ctx.su.patch('/api/collections/order_totals', {
      name: 'per_customer',
    });
    expect(renamedView.status, renamedView.text).toBe(200);
    expect(await viewNames()).toEqual(['per_customer']);
    expect((await ctx.su.get('/api/collections/per_customer/records')).body.totalItems).toBe(2);
    expect((await ctx.su.delete('/api/collections/per_customer')).status).toBe(204);
    expect(await viewNames()).toEqual([]);
  });

  it('keeps serving view reads while its source collection changes', async () => {
    await shop();
    expect((await createView('order_totals', TOTALS_QUERY, { listRule: '' })).status).toBe(200);
    const orders = (await ctx.su.get('/api/collections/orders')).body as Json & {
      fields: FieldJson[];
    };
    const reads = Array.from({ length: 30 }, () =>
      ctx.su.as(undefined).get('/api/collections/order_totals/records'),
    );
    const changes = Array.from({ length: 4 }, (_, i) =>
      ctx.su.patch('/api/collections/orders', {
        fields: [...orders.fields, { name: `extra${String(i)}`, type: 'text' }],
      }),
    );
    const results = await Promise.all([...reads, ...changes]);
    for (const res of results) expect(res.status, res.text).toBe(200);
    for (const res of results.slice(0, reads.length)) expect(res.body.totalItems).toBe(2);
  });
});

describe('view collections: the dry run', () => {
  it('answers the fields and a sample without keeping anything', async () => {
    const { alice } = await shop();
    const before = await snapshotDb(ctx.t.app);
    const res = await ctx.su.post('/api/collections/meta/dry-run-view', { query: TOTALS_QUERY });
    expect(res.status, res.text).toBe(200);
    expect((res.body.fields as FieldJson[]).map((f) => [f.name, f.type])).toEqual([
      ['id', 'text'],
      ['orders', 'number'],
      ['spent', 'json'],
    ]);
    expect(res.body.sample).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: alice, orders: 3, spent: 1349 })]),
    );
    const bad = await ctx.su.post('/api/collections/meta/dry-run-view', {
      query: 'SELECT 1 AS id; DELETE FROM orders',
    });
    expect(bad.status).toBe(400);
    const empty = await ctx.su.post('/api/collections/meta/dry-run-view', {});
    expect(empty.status).toBe(400);
    expect(empty.body.data).toMatchObject({ query: { code: 'validation_required' } });
    const guest = await ctx.su.as(undefined).post('/api/collections/meta/dry-run-view', {
      query: TOTALS_QUERY,
    });
    expect(guest.status).toBe(401);
    expect(await snapshotDb(ctx.t.app)).toEqual(before);
    expect(await viewNames()).toEqual([]);
  });
});
