import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiClient } from '../helpers/api-client.js';
import { snapshotRows } from '../helpers/db-rows.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let su: ApiClient;
let guest: ApiClient;

beforeEach(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  guest = su.as(undefined);
  await createCollection(t.app, {
    name: 'stock',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [
      { name: 'sku', type: 'text', required: true },
      { name: 'qty', type: 'number', min: 0 },
    ],
    indexes: ['CREATE UNIQUE INDEX idx_stock_sku ON stock (sku)'],
  });
});
afterEach(async () => {
  await t.close();
});

const R = '/api/collections/stock/records';

describe('settings API (API.md §7)', () => {
  it('is for superusers only and never returns secrets', async () => {
    expect((await guest.get('/api/settings')).status).toBe(401);
    const patched = await su.patch('/api/settings', {
      meta: { appName: 'Shop' },
      smtp: { password: 'hunter2' },
      batch: { enabled: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      meta: { appName: 'Shop', senderName: 'Support' },
      batch: { enabled: true, maxRequests: 50 },
    });
    expect(patched.text).not.toContain('hunter2');
    expect(t.app.settings.get().smtp.password).toBe('hunter2');
    const again = await su.patch('/api/settings', { smtp: { password: '' } });
    expect(again.status).toBe(200);
    expect(t.app.settings.get().smtp.password).toBe('hunter2');
  });

  it('validates settings', async () => {
    const bad = await su.patch('/api/settings', { batch: { maxRequests: 0 }, smtp: { port: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.data).toMatchObject({ batch: { maxRequests: {} }, smtp: { port: {} } });
    expect(t.app.settings.get().batch.maxRequests).toBe(50);
  });

  it('survives a restart', async () => {
    await su.patch('/api/settings', { meta: { appName: 'Persisted' } });
    await t.app.settings.load();
    expect(t.app.settings.get().meta.appName).toBe('Persisted');
  });
});

describe('batch (API.md §7)', () => {
  it('is off by default', async () => {
    const res = await su.post('/api/batch', {
      requests: [{ method: 'POST', url: R, body: { sku: 'a' } }],
    });
    expect(res.body).toMatchObject({ status: 403, message: 'Batch requests are not allowed.' });
  });

  it('runs writes in one transaction and answers in order', async () => {
    await su.patch('/api/settings', { batch: { enabled: true } });
    const first = await guest.post(R, { sku: 'keep', qty: 5 });
    const res = await guest.post('/api/batch', {
      requests: [
        { method: 'POST', url: R, body: { sku: 'x1', qty: 1 } },
        { method: 'PATCH', url: `${R}/${String(first.body.id)}?fields=qty`, body: { 'qty-': 2 } },
        { method: 'PUT', url: R, body: { id: 'upsertedrecord1', sku: 'u1' } },
        { method: 'PUT', url: R, body: { id: 'upsertedrecord1', sku: 'u2' } },
        { method: 'DELETE', url: `${R}/${String(first.body.id)}` },
      ],
    });
    expect(res.status).toBe(200);
    const results = res.body as unknown as {
      status: number;
      body: Record<string, unknown> | null;
    }[];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 204]);
    expect(results[1]!.body).toEqual({ qty: 3 });
    expect(results[3]!.body).toMatchObject({ id: 'upsertedrecord1', sku: 'u2' });
    expect(results[4]!.body).toBeNull();
  });

  it('rolls everything back when one request fails', async () => {
    await su.patch('/api/settings', { batch: { enabled: true } });
    await guest.post(R, { sku: 'dup' });
    const before = await snapshotRows(t.app);
    const res = await guest.post('/api/batch', {
      requests: [
        { method: 'POST', url: R, body: { sku: 'new-one' } },
        { method: 'POST', url: R, body: { sku: 'dup' } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      message: 'Batch transaction failed.',
      data: {
        requests: {
          1: {
            code: 'batch_request_failed',
            response: { status: 400, data: { sku: { code: 'validation_not_unique' } } },
          },
        },
      },
    });
    expect(await snapshotRows(t.app)).toEqual(before);
  });

  it('rejects malformed batches', async () => {
    await su.patch('/api/settings', { batch: { enabled: true, maxRequests: 2 } });
    for (const body of [
      {},
      { requests: [] },
      { requests: [{ method: 'TRACE', url: R }] },
      { requests: [{ method: 'POST', url: 'x'.repeat(2001) }] },
      { requests: [1, 2, 3] },
    ]) {
      const res = await guest.post('/api/batch', body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.message).toBe('Invalid batch request data.');
    }
    const notRecords = await guest.post('/api/batch', {
      requests: [{ method: 'POST', url: '/api/collections' }],
    });
    expect(notRecords.body).toMatchObject({
      message: 'Batch transaction failed.',
      data: { requests: { 0: { response: { status: 404 } } } },
    });
  });
});
