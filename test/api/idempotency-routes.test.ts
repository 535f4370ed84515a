import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import {
  BadRequestError,
  createBasalt,
  deleteExpiredIdempotencyKeys,
  IDEMPOTENCY_TTL_MS,
  type Basalt,
} from '../../src/index.js';
import { insertAuthRecord } from '../helpers/users.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// Idempotency-Key on custom routes (APP-LOGIC.md §5), on every engine.

let basalt: Basalt;
let database: EngineDatabase;
let dir: string;
let ann: string;
let bob: string;
/** The app's clock: the system time plus what a test moved it by. */
let shift = 0;
const LEASE_MS = 60_000;

async function login(identity: string): Promise<string> {
  const res = await basalt.inject({
    method: 'POST',
    url: '/api/collections/users/auth-with-password',
    payload: { identity, password: 'correct-horse-1' },
  });
  const body = res.json<{ token?: string }>();
  if (typeof body.token !== 'string') throw new Error(`login failed: ${res.body}`);
  return body.token;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'basalt-idem-'));
  database = await createEngineDatabase();
  basalt = await createBasalt({
    dataDir: dir,
    db: database.url,
    clock: { now: () => Date.now() + shift },
    idempotencyLeaseMs: LEASE_MS,
  });
  await createCollection(basalt.app, {
    name: 'orders',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'total', type: 'number' },
    ],
  });
  await insertAuthRecord(basalt.app, 'users', 'ann@example.com', 'correct-horse-1');
  await insertAuthRecord(basalt.app, 'users', 'bob@example.com', 'correct-horse-1');
  ann = await login('ann@example.com');
  bob = await login('bob@example.com');
  // Creates an order from the body; answers 201 with it.
  basalt.routerAdd(
    'POST',
    '/api/shop/checkout',
    async (e) => {
      const body = e.body as { title?: string; total?: number };
      const order = await e.app.records('orders').create({ title: body.title, total: body.total });
      e.json(201, { order: order.id, title: order.title });
    },
    { idempotency: 'required', transaction: true },
  );
});
afterAll(async () => {
  await basalt.close({ graceMs: 500 });
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function orders(title: string): Promise<number> {
  const rows = await basalt.app.db.db
    .selectFrom('orders')
    .select('id')
    .where('title', '=', title)
    .execute();
  return rows.length;
}

async function keyRows(): Promise<number> {
  const rows = await basalt.app.db.db.selectFrom('_idempotencyKeys').select('id').execute();
  return rows.length;
}

function post(url: string, key: string | undefined, payload: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers['idempotency-key'] = key;
  if (token !== undefined) headers.authorization = token;
  return basalt.inject({ method: 'POST', url, headers, payload: payload as object });
}

describe('Idempotency-Key on custom routes', () => {
  it('replays the stored answer; the effect happened once', async () => {
    const first = await post('/api/shop/checkout', 'k-replay', { title: 'replay', total: 3 }, ann);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // The same body with its keys in another order is the same request.
    const again = await post('/api/shop/checkout', 'k-replay', { total: 3, title: 'replay' }, ann);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toContain('application/json');
    expect(again.json()).toEqual(first.json());
    expect(await orders('replay')).toBe(1);
  });

  it('ten concurrent duplicates make one order; the rest replay or get 409', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        post('/api/shop/checkout', 'k-ten', { title: 'ten', total: 1 }, ann),
      ),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const created = answers.filter((a) => a.statusCode === 201);
    expect(created.filter((a) => a.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    const body = created[0]?.json<unknown>();
    for (const a of created) expect(a.json()).toEqual(body);
    for (const a of answers.filter((x) => x.statusCode === 409)) {
      expect(a.json()).toMatchObject({ status: 409, data: {} });
    }
    expect(await orders('ten')).toBe(1);
    // Once done, every retry replays.
    const late = await post('/api/shop/checkout', 'k-ten', { title: 'ten', total: 1 }, ann);
    expect(late.statusCode).toBe(201);
    expect(late.json()).toEqual(body);
    expect(await orders('ten')).toBe(1);
  });

  it('answers 422 for the key with another body, URL or method, and changes nothing', async () => {
    await post('/api/shop/checkout', 'k-other', { title: 'other', total: 1 }, ann);
    const res = await post('/api/shop/checkout', 'k-other', { title: 'other', total: 2 }, ann);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      status: 422,
      message: 'The Idempotency-Key was already used for a different request.',
      data: {},
    });
    const query = await post(
      '/api/shop/checkout?x=1',
      'k-other',
      { title: 'other', total: 1 },
      ann,
    );
    expect(query.statusCode).toBe(422);
    expect(await orders('other')).toBe(1);
  });

  it('refuses a missing key (required) and malformed keys with 400', async () => {
    const before = await keyRows();
    for (const key of [undefined, '', 'x'.repeat(256), 'caf\u00e9', 'tab\there']) {
      const res = await post('/api/shop/checkout', key, { title: 'bad-key', total: 1 }, ann);
      expect(res.statusCode, String(key)).toBe(400);
      expect(res.json()).toMatchObject({ status: 400, data: {} });
    }
    const longest = await post('/api/shop/checkout', 'y'.repeat(255), { title: 'ok-key' }, ann);
    expect(longest.statusCode).toBe(201);
    expect(await orders('bad-key')).toBe(0);
    expect(await keyRows()).toBe(before + 1);
  });

  it('keys of two users do not collide; a guest has its own scope', async () => {
    basalt.routerAdd(
      'POST',
      '/api/shop/guest-checkout',
      async (e) => {
        const order = await e.app.records('orders').create({ title: 'scoped' });
        return { order: order.id };
      },
      { idempotency: 'optional', transaction: true },
    );
    const a = await post('/api/shop/guest-checkout', 'shared', {}, ann);
    const b = await post('/api/shop/guest-checkout', 'shared', {}, bob);
    const g = await post('/api/shop/guest-checkout', 'shared', {});
    expect([a.statusCode, b.statusCode, g.statusCode]).toEqual([200, 200, 200]);
    expect(new Set([a.body, b.body, g.body]).size).toBe(3);
    expect(await orders('scoped')).toBe(3);
    // Optional: without a key every request runs.
    await post('/api/shop/guest-checkout', undefined, {});
    expect(await orders('scoped')).toBe(4);
  });

  it('a thrown 400 is not stored (rolled back, the key freed): a retry runs again', async () => {
    let calls = 0;
    basalt.routerAdd(
      'POST',
      '/api/shop/refuse',
      async (e) => {
        calls++;
        await e.app.records('orders').create({ title: 'refused' });
        if (calls === 1) throw new BadRequestError('Out of stock.');
        return { ok: true };
      },
      { idempotency: 'required', transaction: true },
    );
    const first = await post('/api/shop/refuse', 'k-refuse', {}, ann);
    expect(first.statusCode).toBe(400);
    expect(first.json()).toMatchObject({ message: 'Out of stock.' });
    expect(await orders('refused')).toBe(0);
    const retry = await post('/api/shop/refuse', 'k-refuse', {}, ann);
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await orders('refused')).toBe(1);
    expect(calls).toBe(2);
  });

  it('a 4xx answered (not thrown) commits and is stored', async () => {
    let calls = 0;
    basalt.routerAdd(
      'POST',
      '/api/shop/answer-409',
      async (e) => {
        calls++;
        await e.app.records('orders').create({ title: 'answered-409' });
        e.json(409, { status: 409, message: 'Already paid.', data: {} });
      },
      { idempotency: 'required', transaction: true },
    );
    expect((await post('/api/shop/answer-409', 'k-409', {}, ann)).statusCode).toBe(409);
    const again = await post('/api/shop/answer-409', 'k-409', {}, ann);
    expect(again.statusCode).toBe(409);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(calls).toBe(1);
    expect(await orders('answered-409')).toBe(1);
  });

  it('a crash of the handler (500) rolls back and leaves no key behind', async () => {
    let fail = true;
    basalt.routerAdd(
      'POST',
      '/api/shop/crash',
      async (e) => {
        await e.app.records('orders').create({ title: 'crash' });
        if (fail) throw new Error('payment service down');
        return { ok: true };
      },
      { idempotency: 'required', transaction: true },
    );
    const before = await keyRows();
    const first = await post('/api/shop/crash', 'k-crash', { n: 1 }, ann);
    expect(first.statusCode).toBe(500);
    expect(await orders('crash')).toBe(0);
    expect(await keyRows()).toBe(before);
    fail = false;
    const retry = await post('/api/shop/crash', 'k-crash', { n: 1 }, ann);
    expect(retry.statusCode).toBe(200);
    expect(await orders('crash')).toBe(1);
    expect((await post('/api/shop/crash', 'k-crash', { n: 1 }, ann)).statusCode).toBe(200);
    expect(await orders('crash')).toBe(1);
  });

  it('a 5xx answer rolls back and is not stored', async () => {
    let calls = 0;
    basalt.routerAdd(
      'POST',
      '/api/shop/answer-503',
      async (e) => {
        calls++;
        await e.app.records('orders').create({ title: 'answered-503' });
        if (calls === 1) {
          e.json(503, { status: 503, message: 'Try later.', data: {} });
          return;
        }
        return { ok: calls };
      },
      { idempotency: 'required', transaction: true },
    );
    expect((await post('/api/shop/answer-503', 'k-503', {}, ann)).statusCode).toBe(503);
    expect(await orders('answered-503')).toBe(0);
    const retry = await post('/api/shop/answer-503', 'k-503', {}, ann);
    expect(retry.json()).toEqual({ ok: 2 });
    expect(await orders('answered-503')).toBe(1);
  });

  it('answers 409 while the first request runs; after the lease a retry waits and replays', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let calls = 0;
    basalt.routerAdd(
      'POST',
      '/api/shop/slow',
      async (e) => {
        calls++;
        await e.app.records('orders').create({ title: 'slow' });
        entered();
        await gate;
        return { ok: true };
      },
      { idempotency: 'required', transaction: true },
    );
    const first = post('/api/shop/slow', 'k-slow', {}, ann);
    await inside;
    const busy = await post('/api/shop/slow', 'k-slow', {}, ann);
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ status: 409 });
    // Past the lease, a retry may take the key over, but the first request's transaction
    // still holds its row: the retry waits for it and then finds its answer.
    shift += LEASE_MS + 1000;
    try {
      const late = post('/api/shop/slow', 'k-slow', {}, ann);
      release();
      const [a, b] = await Promise.all([first, late]);
      expect(a.statusCode).toBe(200);
      expect(b.statusCode).toBe(200);
      expect(b.headers['idempotent-replayed']).toBe('true');
      expect(calls).toBe(1);
      expect(await orders('slow')).toBe(1);
    } finally {
      shift -= LEASE_MS + 1000;
    }
  });

  it('routes without a transaction store the answer after the handler', async () => {
    let calls = 0;
    basalt.routerAdd(
      'POST',
      '/api/shop/plain',
      (e) => {
        calls++;
        e.html(202, `<p>${String(calls)}</p>`);
      },
      { idempotency: 'required' },
    );
    const first = await post('/api/shop/plain', 'k-plain', { a: 1 });
    const again = await post('/api/shop/plain', 'k-plain', { a: 1 });
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.body).toBe('<p>1</p>');
    expect(again.headers['content-type']).toContain('text/html');
    expect(calls).toBe(1);
  });

  it('refuses an unknown idempotency option when the route is added', () => {
    expect(() => {
      basalt.routerAdd('POST', '/api/shop/bad', () => null, {
        idempotency: 'always' as 'required',
      });
    }).toThrow(/idempotency/);
  });

  it('forgets keys after 24 hours: a request runs again, the clean-up deletes them', async () => {
    await post('/api/shop/checkout', 'k-old', { title: 'old', total: 1 }, ann);
    shift += IDEMPOTENCY_TTL_MS + 1000;
    try {
      const res = await post('/api/shop/checkout', 'k-old', { title: 'old', total: 1 }, ann);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(await orders('old')).toBe(2);
      const rows = await keyRows();
      expect(await deleteExpiredIdempotencyKeys(basalt.app)).toBe(rows - 1);
      expect(await keyRows()).toBe(1);
    } finally {
      shift -= IDEMPOTENCY_TTL_MS + 1000;
    }
  });
});
