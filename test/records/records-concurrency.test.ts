import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// Concurrent writes on one record must all apply, on every engine: SQLite serialises write
// transactions, the servers lock the rows an update reads (DESIGN.md, issue 4).
let t: TestApp;
let su: ApiClient;

beforeAll(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  const res = await su.post('/api/collections', {
    name: 'stock',
    fields: [{ name: 'qty', type: 'number' }],
  });
  expect(res.status).toBe(200);
  // PostgreSQL detects a deadlock after deadlock_timeout (1 s): the batches below may wait
  // for a few of those in a row, longer than the default 3 s batch timeout.
  await su.patch('/api/settings', { batch: { enabled: true, timeout: 30 } });
});
afterAll(async () => {
  await t.close();
});

describe('concurrent updates', () => {
  it('applies 200 concurrent `qty+` updates of one record exactly', async () => {
    const created = await su.post('/api/collections/stock/records', { qty: 0 });
    const url = `/api/collections/stock/records/${String(created.body.id)}`;
    const results = await Promise.all(
      Array.from({ length: 200 }, () => su.patch(url, { 'qty+': 1 })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(200));
    expect((await su.get(url)).body.qty).toBe(200);
  });

  it('moves quantities between two records in concurrent batches without losing any', async () => {
    const a = await su.post('/api/collections/stock/records', { qty: 100 });
    const b = await su.post('/api/collections/stock/records', { qty: 0 });
    const move = (from: unknown, to: unknown) => ({
      requests: [
        {
          method: 'PATCH',
          url: `/api/collections/stock/records/${String(from)}`,
          body: { 'qty-': 1 },
        },
        {
          method: 'PATCH',
          url: `/api/collections/stock/records/${String(to)}`,
          body: { 'qty+': 1 },
        },
      ],
    });
    // Always A before B, so that the row locks are taken in one order.
    const results = await Promise.all(
      Array.from({ length: 60 }, () => su.post('/api/batch', move(a.body.id, b.body.id))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(60).fill(200));
    const qa = (await su.get(`/api/collections/stock/records/${String(a.body.id)}`)).body.qty;
    const qb = (await su.get(`/api/collections/stock/records/${String(b.body.id)}`)).body.qty;
    expect([qa, qb]).toEqual([40, 60]);
  });

  it('moves quantities in both directions at once without deadlocks or losses', async () => {
    const a = await su.post('/api/collections/stock/records', { qty: 100 });
    const b = await su.post('/api/collections/stock/records', { qty: 100 });
    const move = (from: unknown, to: unknown) =>
      su.post('/api/batch', {
        requests: [from, to].map((id, i) => ({
          method: 'PATCH',
          url: `/api/collections/stock/records/${String(id)}`,
          body: i === 0 ? { 'qty-': 1 } : { 'qty+': 1 },
        })),
      });
    // A->B and B->A at once would take the two row locks in opposite orders; batches lock
    // their targets up front in one order (core/batch/batch-locks.ts), so they queue.
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2 === 0 ? move(a.body.id, b.body.id) : move(b.body.id, a.body.id),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const qa = (await su.get(`/api/collections/stock/records/${String(a.body.id)}`)).body.qty;
    const qb = (await su.get(`/api/collections/stock/records/${String(b.body.id)}`)).body.qty;
    expect([qa, qb]).toEqual([100, 100]);
  }, 60_000);
});
