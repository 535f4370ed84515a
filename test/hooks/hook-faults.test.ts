import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import type { RecordEvent } from '../../src/core/hooks/record-event.js';
import { ApiClient } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// Hooks that fail in every way a hook can (APP-LOGIC.md, issue 16 "Bad input and faults"):
// the client gets an answer in the API error shape, the data is exactly as before, the
// server keeps serving, and the log names the hook.
let t: TestApp;
let su: ApiClient;
const lines: Record<string, unknown>[] = [];
const unbind: (() => void)[] = [];
const LIMIT_MS = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  t = await createTestApp({
    logger: pino({ level: 'warn' }, sink),
    transactionTimeLimitMs: LIMIT_MS,
  });
  su = new ApiClient(t.server, await superuserToken(t));
  await t.app.settings.update({ batch: { enabled: true } });
  await createCollection(t.app, {
    name: 'orders',
    fields: [{ name: 'title', type: 'text' }],
  });
});
afterEach(() => {
  for (const off of unbind.splice(0)) off();
  lines.length = 0;
});
afterAll(async () => {
  await t.close();
});

async function orders(): Promise<number> {
  const row = await t.app.db.db
    .selectFrom('orders')
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Creates an order through REST and checks that it failed cleanly; returns the answer. */
async function failingCreate(): Promise<Record<string, unknown>> {
  const before = await orders();
  const res = await su.post('/api/collections/orders/records', { title: 'x' });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.body).toMatchObject({ status: res.status, data: {} });
  expect(typeof res.body.message).toBe('string');
  expect(await orders()).toBe(before);
  // The server keeps serving once the hook is gone.
  for (const off of unbind.splice(0)) off();
  expect((await su.post('/api/collections/orders/records', { title: 'ok' })).status).toBe(200);
  return res.body;
}

function bindCreate(fn: (e: RecordEvent) => Promise<void>): void {
  const id = t.app.hooks.onRecordCreate.bind({ tags: 'orders', source: 'orders.ts:7', fn });
  unbind.push(() => {
    t.app.hooks.onRecordCreate.unbind(id);
  });
}

describe('a failing hook', () => {
  it('that rejects with a non-Error: 400, logged with the hook name', async () => {
    bindCreate(async (e) => {
      await e.next();
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- what bad code does
      throw 'plain string';
    });
    const body = await failingCreate();
    expect(body.message).toBe('Failed to create record.');
    await sleep(10);
    expect(lines).toContainEqual(
      expect.objectContaining({ hook: 'onRecordCreate', msg: 'a record hook failed' }),
    );
  });

  it('that never calls e.next(): 400, the log names the hook and its file', async () => {
    bindCreate(async () => {
      // returns without e.next()
    });
    await failingCreate();
    await sleep(10);
    const logged = lines.find((l) => l.msg === 'a record hook failed');
    expect(JSON.stringify(logged)).toContain('orders.ts:7');
  });

  it('that loops past the transaction time limit: aborted, rolled back, logged', async () => {
    bindCreate(async (e) => {
      await e.next();
      // Keeps querying inside the transaction long past the limit.
      for (let i = 0; i < 100; i++) {
        await t.app.db.db
          .selectFrom('orders')
          .select(sql`1`.as('one'))
          .execute();
        await sleep(20);
      }
    });
    await failingCreate();
    await sleep(10);
    expect(JSON.stringify(lines)).toContain('time limit');
  });

  it('that changes a collection: refused at once (it would wait for itself)', async () => {
    bindCreate(async (e) => {
      await e.next();
      await createCollection(t.app, { name: 'made_in_a_hook', fields: [] });
    });
    await failingCreate();
    await sleep(10);
    expect(JSON.stringify(lines)).toContain('SchemaChangeInTransactionError');
    expect(t.app.collections.find('made_in_a_hook')).toBeUndefined();
  });

  it('inside a batch: the batch fails whole and names the failed request', async () => {
    bindCreate(async (e) => {
      await e.next();
      if (e.record.getString('title') === 'bad') throw new Error('nope');
    });
    const before = await orders();
    const res = await su.post('/api/batch', {
      requests: [
        { method: 'POST', url: '/api/collections/orders/records', body: { title: 'good' } },
        { method: 'POST', url: '/api/collections/orders/records', body: { title: 'bad' } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.data).toMatchObject({
      requests: { '1': { code: 'batch_request_failed' } },
    });
    expect(await orders()).toBe(before);
  });
});
