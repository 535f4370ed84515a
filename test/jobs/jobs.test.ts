import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteFinishedJobs } from '../../src/core/jobs/job-cleanup.js';
import { JobDefinitionError } from '../../src/core/jobs/job-definition.js';
import { JobEnqueueError } from '../../src/core/jobs/job-input.js';
import type { JobEvent } from '../../src/core/jobs/job-types.js';
import type { Clock } from '../../src/lib/clock.js';
import { ApiClient } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';
import { insertAuthRecord } from '../helpers/users.js';

// Durable jobs (APP-LOGIC.md §3/§5): the outbox (a job exists iff its transaction
// committed), deduplication keys, retries with backoff on a fake clock, drain, the workers,
// and the superuser API. Processes and kill -9: jobs-processes.test.ts.

/** A clock the test moves by hand. */
class FakeClock implements Clock {
  constructor(public ms = Date.UTC(2030, 0, 1)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

const clock = new FakeClock();
let t: TestApp;
let api: ApiClient;
let userToken: string;

async function jobRows() {
  return t.app.db.db.selectFrom('_jobs').selectAll().orderBy('id').execute();
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  // Polling only waits; the assertions are on states and counts.
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  api = new ApiClient(t.server, await superuserToken(t));
  await insertAuthRecord(t.app, 'users', 'user@example.com', 'user-password-1');
  const login = await api.as(undefined).send('POST', '/api/collections/users/auth-with-password', {
    identity: 'user@example.com',
    password: 'user-password-1',
  });
  userToken = String(login.body.token);
});

afterAll(async () => {
  await t.close();
});

afterEach(async () => {
  await t.app.jobs.stop();
  await t.app.db.db.deleteFrom('_jobs').execute();
  for (const name of t.app.jobs.names()) t.app.jobs.add(name, () => undefined)();
});

describe('enqueue inside transactions (outbox)', () => {
  it('leaves no job when the transaction rolls back, and one when it commits', async () => {
    const runs: unknown[] = [];
    t.app.jobs.add('outbox', (e) => {
      runs.push(e.payload);
    });
    await expect(
      t.app.transaction(async () => {
        await t.app.enqueue('outbox', { n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await jobRows()).toEqual([]);

    const id = await t.app.transaction(async () => t.app.enqueue('outbox', { n: 2 }));
    expect((await jobRows()).map((r) => [r.id, r.state])).toEqual([[id, 'pending']]);
    expect(await t.app.jobs.drain()).toEqual({ ran: 1, done: 1, retried: 0, failed: 0 });
    expect(await t.app.jobs.drain()).toEqual({ ran: 0, done: 0, retried: 0, failed: 0 });
    expect(runs).toEqual([{ n: 2 }]);
    const [row] = await jobRows();
    expect(row).toMatchObject({ state: 'done', lockedBy: null, lastError: null });
    expect(Number(row?.attempts)).toBe(1);
  });

  it('rolls the job back with a record hook that throws after enqueueing', async () => {
    t.app.jobs.add('on-create', () => undefined);
    await api.post('/api/collections', {
      name: 'orders',
      type: 'base',
      fields: [{ name: 'title', type: 'text' }],
      createRule: '',
    });
    const id = t.app.hooks.onRecordCreate.bind({
      tags: ['orders'],
      fn: async (e) => {
        await e.next();
        await e.app.enqueue('on-create', { order: e.record.id });
        if (e.record.get('title') === 'bad') throw new Error('refused');
      },
    });
    try {
      expect((await api.post('/api/collections/orders/records', { title: 'bad' })).status).toBe(
        400,
      );
      expect(await jobRows()).toEqual([]);
      const ok = await api.post('/api/collections/orders/records', { title: 'good' });
      expect(ok.status).toBe(200);
      const rows = await jobRows();
      expect(rows.map((r) => JSON.parse(r.payload) as unknown)).toEqual([{ order: ok.body.id }]);
    } finally {
      t.app.hooks.onRecordCreate.unbind(id);
    }
  });

  it('gives the handler the payload and the job, and runAt delays it', async () => {
    const seen: JobEvent[] = [];
    t.app.jobs.add('later', (e) => {
      seen.push(e);
    });
    const id = await t.app.enqueue(
      'later',
      { a: [1, 'x', null, true] },
      {
        runAt: new Date(clock.now() + 60_000),
      },
    );
    expect(await t.app.jobs.drain()).toMatchObject({ ran: 0 });
    clock.advance(60_000);
    expect(await t.app.jobs.drain()).toMatchObject({ ran: 1, done: 1 });
    expect(seen.map((e) => [e.payload, e.job])).toEqual([
      [{ a: [1, 'x', null, true] }, { id, name: 'later', attempt: 1, maxAttempts: 4, key: null }],
    ]);
    expect(seen[0]?.app).toBe(t.app);
  });
});

describe('deduplication keys', () => {
  it('stores one job for a key enqueued twice, in turn and concurrently', async () => {
    t.app.jobs.add('keyed', () => undefined);
    const first = await t.app.enqueue('keyed', { n: 1 }, { key: 'k1' });
    expect(await t.app.enqueue('keyed', { n: 2 }, { key: 'k1' })).toBe(first);
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.transaction(() => t.app.enqueue('keyed', { i }, { key: 'k2' })),
      ),
    );
    expect(new Set(ids).size).toBe(1);
    const rows = await jobRows();
    expect(rows.map((r) => r.key).sort()).toEqual(['k1', 'k2']);
    expect(JSON.parse(rows.find((r) => r.key === 'k1')?.payload ?? '')).toEqual({ n: 1 });
    // A done job keeps its key until it is cleaned up.
    await t.app.jobs.drain();
    expect(await t.app.enqueue('keyed', {}, { key: 'k1' })).toBe(first);
  });

  it('waits for a transaction holding the key, then returns its job (or stores its own)', async () => {
    t.app.jobs.add('keyed', () => undefined);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((r) => (entered = r));
    const holder = t.app.transaction(async () => {
      const id = await t.app.enqueue('keyed', { by: 'holder' }, { key: 'held' });
      entered();
      await gate;
      return id;
    });
    await inside;
    const other = t.app.transaction(() => t.app.enqueue('keyed', { by: 'other' }, { key: 'held' }));
    release();
    const [a, b] = await Promise.all([holder, other]);
    expect(b).toBe(a);

    let releaseRollback: () => void = () => undefined;
    const gate2 = new Promise<void>((r) => (releaseRollback = r));
    let entered2: () => void = () => undefined;
    const inside2 = new Promise<void>((r) => (entered2 = r));
    const rolledBack = t.app.transaction(async () => {
      await t.app.enqueue('keyed', { by: 'rolled back' }, { key: 'gone' });
      entered2();
      await gate2;
      throw new Error('roll back');
    });
    await inside2;
    const survivor = t.app.transaction(() =>
      t.app.enqueue('keyed', { by: 'survivor' }, { key: 'gone' }),
    );
    releaseRollback();
    await expect(rolledBack).rejects.toThrow('roll back');
    const id = await survivor;
    const row = (await jobRows()).find((r) => r.key === 'gone');
    expect(row?.id).toBe(id);
    expect(JSON.parse(row?.payload ?? '')).toEqual({ by: 'survivor' });
  });
});

describe('retries and the superuser API', () => {
  it('retries a throwing job with backoff, fails it, lists it and re-runs it', async () => {
    let fail = true;
    const attempts: number[] = [];
    t.app.jobs.add(
      'flaky',
      (e) => {
        attempts.push(e.job.attempt);
        if (fail) throw new Error(`attempt ${String(e.job.attempt)} failed`);
      },
      { retries: 2, backoff: { baseMs: 1000, maxMs: 1500 } },
    );
    const id = await t.app.enqueue('flaky', { x: 1 });
    const start = clock.now();
    expect(await t.app.jobs.drain()).toEqual({ ran: 1, done: 0, retried: 1, failed: 0 });
    let [row] = await jobRows();
    expect(row).toMatchObject({ state: 'pending', lastError: 'Error: attempt 1 failed' });
    expect(Number(row?.runAt)).toBe(start + 1000);
    // Not due before the backoff has passed on the app's clock.
    clock.advance(999);
    expect(await t.app.jobs.drain()).toMatchObject({ ran: 0 });
    clock.advance(1);
    expect(await t.app.jobs.drain()).toEqual({ ran: 1, done: 0, retried: 1, failed: 0 });
    [row] = await jobRows();
    // 1000 * 2 capped at maxMs 1500.
    expect(Number(row?.runAt)).toBe(clock.now() + 1500);
    clock.advance(1500);
    expect(await t.app.jobs.drain()).toEqual({ ran: 1, done: 0, retried: 0, failed: 1 });
    expect(attempts).toEqual([1, 2, 3]);
    [row] = await jobRows();
    expect(row).toMatchObject({ state: 'failed', lastError: 'Error: attempt 3 failed' });

    const failed = await api.get('/api/jobs?state=failed');
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ page: 1, perPage: 30, totalItems: 1, totalPages: 1 });
    expect(failed.body.items).toEqual([
      expect.objectContaining({
        id,
        name: 'flaky',
        payload: { x: 1 },
        key: '',
        state: 'failed',
        attempts: 3,
        maxAttempts: 3,
        lastError: 'Error: attempt 3 failed',
        lockedBy: '',
      }),
    ]);
    expect((await api.get('/api/jobs?state=done')).body).toMatchObject({ totalItems: 0 });
    expect((await api.get(`/api/jobs/${id}`)).body).toMatchObject({ id, state: 'failed' });

    fail = false;
    const rerun = await api.post(`/api/jobs/${id}/run`, {});
    expect(rerun.status).toBe(200);
    expect(rerun.body).toMatchObject({ id, state: 'pending', attempts: 0 });
    expect(await t.app.jobs.drain()).toEqual({ ran: 1, done: 1, retried: 0, failed: 0 });
    expect((await api.get(`/api/jobs/${id}`)).body).toMatchObject({ state: 'done', attempts: 1 });
    // A done job cannot be re-run; it can be deleted.
    const again = await api.post(`/api/jobs/${id}/run`, {});
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ status: 400, data: {} });
    expect((await api.delete(`/api/jobs/${id}`)).status).toBe(204);
    expect(await jobRows()).toEqual([]);
  });

  it('uses a backoff function of the attempt', async () => {
    t.app.jobs.add(
      'fn-backoff',
      () => {
        throw new Error('no');
      },
      { retries: 1, backoff: (attempt) => attempt * 7000 },
    );
    await t.app.enqueue('fn-backoff', null);
    await t.app.jobs.drain();
    const [row] = await jobRows();
    expect(Number(row?.runAt)).toBe(clock.now() + 7000);
  });

  it('answers 401, 403, 404 and 400 and changes nothing', async () => {
    t.app.jobs.add('api', () => undefined);
    const id = await t.app.enqueue('api', { n: 1 });
    const before = await jobRows();
    const guest = api.as(undefined);
    const user = api.as(userToken);
    for (const [client, status] of [
      [guest, 401],
      [user, 403],
    ] as const) {
      for (const res of [
        await client.get('/api/jobs'),
        await client.get(`/api/jobs/${id}`),
        await client.post(`/api/jobs/${id}/run`, {}),
        await client.delete(`/api/jobs/${id}`),
      ]) {
        expect(res.status).toBe(status);
        expect(res.body).toMatchObject({ status, data: {} });
      }
    }
    for (const res of [
      await api.get('/api/jobs/nope'),
      await api.post('/api/jobs/nope/run', {}),
      await api.delete('/api/jobs/nope'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ status: 404, data: {} });
    }
    const badState = await api.get('/api/jobs?state=sleeping');
    expect(badState.status).toBe(400);
    expect(badState.body).toMatchObject({ data: { state: { code: 'validation_invalid_value' } } });
    expect((await api.get('/api/jobs?perPage=abc')).status).toBe(400);
    expect((await api.get('/api/jobs?skipTotal=maybe')).status).toBe(400);
    expect(await jobRows()).toEqual(before);
    // A pending job re-run is made due now.
    expect((await api.post(`/api/jobs/${id}/run`, {})).body).toMatchObject({ state: 'pending' });
    expect((await api.get('/api/jobs?name=api&perPage=1&skipTotal=1')).body).toMatchObject({
      totalItems: -1,
      items: [expect.objectContaining({ id })],
    });
  });
});

describe('bad input', () => {
  it('refuses unknown names, payloads that are not plain JSON and bad options', async () => {
    t.app.jobs.add('strict', () => undefined);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const cases: [string, unknown, object, RegExp][] = [
      ['nope', {}, {}, /no job of that name is registered/],
      ['strict', { at: new Date() }, {}, /payload\.at is a Date/],
      ['strict', { f: () => 1 }, {}, /payload\.f is a function/],
      ['strict', { n: 10n }, {}, /payload\.n is a bigint/],
      ['strict', [1, Number.NaN], {}, /payload\[1\] is NaN/],
      ['strict', cycle, {}, /payload\.self refers back to itself/],
      ['strict', new Map(), {}, /payload is a Map/],
      ['strict', undefined, {}, /payload is a undefined/],
      ['strict', {}, { runAt: new Date('nonsense') }, /runAt must be a valid Date/],
      ['strict', {}, { runAt: Number.NaN }, /runAt must be/],
      ['strict', {}, { runAt: '2030-01-01' }, /runAt must be/],
      ['strict', {}, { key: '' }, /key must be a non-empty string/],
      ['strict', {}, { key: 'x'.repeat(256) }, /key must be/],
      ['strict', {}, { key: 5 }, /key must be/],
    ];
    for (const [name, payload, options, message] of cases) {
      const attempt = t.app.enqueue(name, payload, options);
      await expect(attempt).rejects.toThrow(JobEnqueueError);
      await expect(attempt).rejects.toThrow(message);
    }
    expect(await jobRows()).toEqual([]);
  });

  it('refuses bad registrations', () => {
    const handler = () => undefined;
    expect(() => t.app.jobs.add('', handler)).toThrow(JobDefinitionError);
    expect(() => t.app.jobs.add('x'.repeat(101), handler)).toThrow(JobDefinitionError);
    expect(() => t.app.jobs.add('r', handler, { retries: -1 })).toThrow(/retries/);
    expect(() => t.app.jobs.add('r', handler, { retries: 1.5 })).toThrow(/retries/);
    expect(() => t.app.jobs.add('r', handler, { timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => t.app.jobs.add('r', handler, { backoff: { baseMs: -1 } })).toThrow(/baseMs/);
    expect(() => t.app.jobs.add('r', 'nope' as unknown as typeof handler)).toThrow(
      /not a function/,
    );
    expect(t.app.jobs.has('r')).toBe(false);
  });
});

describe('registry, workers and clean-up', () => {
  it('replaces a handler registered again; the old remover leaves the new one', async () => {
    const ran: string[] = [];
    const removeOld = t.app.jobs.add('swap', () => {
      ran.push('old');
    });
    t.app.jobs.add('swap', () => {
      ran.push('new');
    });
    removeOld();
    expect(t.app.jobs.has('swap')).toBe(true);
    await t.app.enqueue('swap', {});
    await t.app.jobs.drain();
    expect(ran).toEqual(['new']);
  });

  it('runs every job once with started workers, woken by the enqueue', async () => {
    const runs = new Map<number, number>();
    t.app.jobs.add('work', async (e) => {
      const n = (e.payload as { n: number }).n;
      runs.set(n, (runs.get(n) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5));
    });
    t.app.jobs.start({ concurrency: 3, pollMs: 60_000 });
    for (let n = 0; n < 20; n++) await t.app.enqueue('work', { n });
    await waitFor(async () => {
      const rows = await jobRows();
      return rows.length === 20 && rows.every((r) => r.state === 'done');
    }, 'the jobs to finish');
    expect([...runs.entries()].sort((a, b) => a[0] - b[0])).toEqual(
      Array.from({ length: 20 }, (_, n) => [n, 1]),
    );
    expect(await t.app.jobs.stop()).toBe(0);
  });

  it('deletes done jobs older than the retention, and frees their keys', async () => {
    t.app.jobs.add('old', () => undefined);
    const oldId = await t.app.enqueue('old', {}, { key: 'old-key' });
    await t.app.jobs.drain();
    clock.advance(8 * 86_400_000);
    await t.app.enqueue('old', {}, { key: 'new-key' });
    await t.app.jobs.drain();
    expect(await deleteFinishedJobs(t.app, { olderThanDays: 7 })).toBe(1);
    expect((await jobRows()).map((r) => r.key)).toEqual(['new-key']);
    expect(await t.app.enqueue('old', {}, { key: 'old-key' })).not.toBe(oldId);
    expect(() => deleteFinishedJobs(t.app, { olderThanDays: -1 })).toThrow(TypeError);
  });
});
