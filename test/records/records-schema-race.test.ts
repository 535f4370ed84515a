import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import {
  deleteCollection,
  updateCollection,
} from '../../src/core/collection/collection-service.js';
import { ApiClient, type ApiResponse } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// Record requests while a collection's schema changes, and races on unique indexes, on every
// engine (issue 15, Data 3 and Data 6). A record request must see one version of the
// collections from start to end; a unique index lost in a race blames the index's fields.
let t: TestApp;
let su: ApiClient;

beforeAll(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  await su.patch('/api/settings', { batch: { enabled: true, timeout: 30 } });
});
afterAll(async () => {
  await t.close();
});

type Field = Record<string, unknown> & { name: string };

async function fieldsOf(collection: string): Promise<Field[]> {
  const res = await su.get(`/api/collections/${collection}`);
  expect(res.status).toBe(200);
  return res.body.fields as Field[];
}

async function changeCollection(collection: string, change: Record<string, unknown>) {
  const res = await su.patch(`/api/collections/${collection}`, change);
  expect(res.status, res.text).toBe(200);
}

/** Adds, renames and removes a field and adds and drops an index on it, `rounds` times. */
async function churnSchema(collection: string, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const base = await fieldsOf(collection);
    await changeCollection(collection, { fields: [...base, { name: `f${i}`, type: 'text' }] });
    const added = await fieldsOf(collection);
    await changeCollection(collection, {
      fields: added.map((f) => (f.name === `f${i}` ? { ...f, name: `f${i}_1` } : f)),
    });
    await changeCollection(collection, {
      indexes: [
        `CREATE UNIQUE INDEX idx_${collection}_f${String(i)} ON ${collection} (f${String(i)}_1) WHERE f${String(i)}_1 != ''`,
      ],
    });
    await changeCollection(collection, { indexes: [] });
    await changeCollection(collection, { fields: base });
  }
}

/** Runs `request` in `workers` loops until `done` settles; returns every response. */
async function hammer(
  workers: number,
  done: Promise<unknown>,
  request: (worker: number, n: number) => Promise<ApiResponse>,
): Promise<ApiResponse[]> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const responses: ApiResponse[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      // Bounded: at most 2,000 requests per worker, whatever the schema loop does.
      for (let n = 0; !finished && n < 2000; n++) responses.push(await request(worker, n));
    }),
  );
  return responses;
}

function failures(responses: readonly ApiResponse[]): string[] {
  return responses.filter((r) => r.status !== 200).map((r) => `${String(r.status)} ${r.text}`);
}

describe('record requests while the collection changes', () => {
  it('creates, updates, views and lists without a failure while fields and indexes change', async () => {
    const created = await su.post('/api/collections', {
      name: 'items',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'views', type: 'number' },
      ],
    });
    expect(created.status, created.text).toBe(200);
    const first = await su.post('/api/collections/items/records', { title: 'first' });
    expect(first.status).toBe(200);
    const url = `/api/collections/items/records/${String(first.body.id)}`;

    const churn = churnSchema('items', 6);
    const [creates, updates, reads, batches] = await Promise.all([
      hammer(4, churn, (w, n) =>
        su.post('/api/collections/items/records', { title: `w${String(w)}-${String(n)}` }),
      ),
      hammer(2, churn, () => su.patch(url, { 'views+': 1 })),
      hammer(2, churn, (w) =>
        w === 0 ? su.get(url) : su.get('/api/collections/items/records?perPage=5&sort=-title'),
      ),
      hammer(1, churn, (_, n) =>
        su.post('/api/batch', {
          requests: [
            {
              method: 'POST',
              url: '/api/collections/items/records',
              body: { title: `b${String(n)}` },
            },
          ],
        }),
      ),
      churn,
    ]);
    expect(failures(creates)).toEqual([]);
    expect(failures(updates)).toEqual([]);
    expect(failures(reads)).toEqual([]);
    expect(failures(batches)).toEqual([]);
    expect(creates.length).toBeGreaterThan(10);
    expect((await su.get(url)).body.views).toBe(updates.length);
  }, 120_000);

  it('answers 404 to record writes once their collection is deleted, never 400 or 500', async () => {
    const created = await su.post('/api/collections', {
      name: 'doomed',
      fields: [{ name: 'title', type: 'text' }],
    });
    expect(created.status).toBe(200);
    const first = await su.post('/api/collections/doomed/records', { title: 'first' });
    const url = `/api/collections/doomed/records/${String(first.body.id)}`;
    const deletion = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const res = await su.delete('/api/collections/doomed');
      expect(res.status).toBe(204);
      // A few more rounds against the deleted collection.
      await new Promise((resolve) => setTimeout(resolve, 50));
    })();
    const [creates, updates, reads] = await Promise.all([
      hammer(3, deletion, () => su.post('/api/collections/doomed/records', { title: 'x' })),
      hammer(1, deletion, () => su.patch(url, { title: 'y' })),
      hammer(1, deletion, () => su.get('/api/collections/doomed/records')),
      deletion,
    ]);
    const statuses = [...creates, ...updates, ...reads].map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 404)).toEqual([]);
    // Requests after the delete met a clean 404 (the loops are bounded: not each one's last).
    expect(statuses).toContain(404);
    expect((await su.post('/api/collections/doomed/records', { title: 'z' })).status).toBe(404);
  }, 60_000);
});

describe('a collection changed by another process on the same database', () => {
  it('reloads the collections and runs a record request once more', async () => {
    const created = await su.post('/api/collections', {
      name: 'elsewhere',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'note', type: 'text' },
      ],
    });
    expect(created.status).toBe(200);
    const first = await su.post('/api/collections/elsewhere/records', { title: 'first' });
    const url = `/api/collections/elsewhere/records/${String(first.body.id)}`;
    // A second node: its own pool and registry over the same database.
    const other = await App.open({ dataDir: t.dir, databaseUrl: t.app.config.databaseUrl });
    try {
      const fields = (await fieldsOf('elsewhere')).map((f) =>
        f.name === 'note' ? { ...f, name: 'memo' } : f,
      );
      await updateCollection(other, 'elsewhere', { fields });
      // This node still knows `note`: its INSERT names a column that is gone.
      const res = await su.post('/api/collections/elsewhere/records', { title: 'second' });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ title: 'second', memo: '' });
      expect((await su.get(url)).body).toMatchObject({ title: 'first', memo: '' });
      await deleteCollection(other, 'elsewhere');
      const gone = await su.post('/api/collections/elsewhere/records', { title: 'third' });
      expect(gone.status, gone.text).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('concurrent creates that clash on a unique index', () => {
  /** Sends 40 creates at once; returns the 39 losers' error data after checking one won. */
  async function race(collection: string, body: (n: number) => Record<string, unknown>) {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        su.post(`/api/collections/${collection}/records`, body(n)),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers.map((r) => r.status)).toEqual(Array(39).fill(400));
    return losers.map((r) => r.body.data);
  }

  it('blames the indexed field for all 39 losers', async () => {
    const created = await su.post('/api/collections', {
      name: 'skus',
      fields: [{ name: 'code', type: 'text' }],
      indexes: ['CREATE UNIQUE INDEX idx_skus_code ON skus (code)'],
    });
    expect(created.status, created.text).toBe(200);
    const errors = await race('skus', () => ({ code: 'A-1' }));
    const notUnique = { code: 'validation_not_unique', message: 'Value must be unique.' };
    expect(errors).toEqual(Array(39).fill({ code: notUnique }));
  });

  it('blames every field of a composite unique index', async () => {
    const created = await su.post('/api/collections', {
      name: 'slots',
      fields: [
        { name: 'day', type: 'text' },
        { name: 'hour', type: 'number' },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_slots_day_hour ON slots (day, hour)'],
    });
    expect(created.status, created.text).toBe(200);
    const errors = await race('slots', () => ({ day: 'mon', hour: 9 }));
    const notUnique = { code: 'validation_not_unique', message: 'Value must be unique.' };
    expect(errors).toEqual(Array(39).fill({ day: notUnique, hour: notUnique }));
  });

  it('blames the indexed field when 40 concurrent updates set the same value', async () => {
    const ids: string[] = [];
    for (let n = 0; n < 40; n++) {
      const res = await su.post('/api/collections/skus/records', { code: `u${String(n)}` });
      ids.push(String(res.body.id));
    }
    const results = await Promise.all(
      ids.map((id) => su.patch(`/api/collections/skus/records/${id}`, { code: 'U-1' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers.map((r) => r.status)).toEqual(Array(39).fill(400));
    const notUnique = { code: 'validation_not_unique', message: 'Value must be unique.' };
    expect(losers.map((r) => r.body.data)).toEqual(Array(39).fill({ code: notUnique }));
  });

  it('still blames `id` when the ids clash', async () => {
    const errors = await race('skus', (n) => ({ id: 'sameid123456789', code: `c${String(n)}` }));
    const notUnique = { code: 'validation_not_unique', message: 'Value must be unique.' };
    expect(errors).toEqual(Array(39).fill({ id: notUnique }));
  });
});
