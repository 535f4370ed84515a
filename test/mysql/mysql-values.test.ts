import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { snapshotRows } from '../helpers/db-rows.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// Values on MariaDB (this project runs with BASALT_TEST_ENGINE=mysql): text keeps what SQLite
// keeps (NUL, trailing spaces, case, 4-byte characters); what utf8mb4 or a key cannot hold
// answers 400 and writes nothing (docs/compatibility.md, "MySQL / MariaDB").
let t: TestApp;
let su: ApiClient;
const NOTES = '/api/collections/notes/records';

beforeAll(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  const created = await su.post('/api/collections', {
    name: 'notes',
    listRule: '',
    createRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'code', type: 'text' },
      { name: 'meta', type: 'json' },
    ],
    indexes: [
      'CREATE UNIQUE INDEX idx_notes_title ON notes (title)',
      "CREATE UNIQUE INDEX idx_notes_code ON notes (code COLLATE NOCASE) WHERE code != ''",
    ],
  });
  expect(created.status).toBe(200);
  const fields = created.body.fields as Record<string, unknown>[];
  const longIds = [{ ...fields[0], min: 1, max: 2000 }, ...fields.slice(1)];
  expect((await su.patch('/api/collections/notes', { fields: longIds })).status).toBe(200);
  await su.post(NOTES, { title: 'kept' });
});
afterAll(async () => {
  await t.close();
});

async function titles(filter: string): Promise<string[]> {
  const res = await su.get(`${NOTES}?sort=title&filter=${encodeURIComponent(filter)}`);
  expect(res.status).toBe(200);
  return (res.body.items as { title: string }[]).map((r) => r.title);
}

describe('text on MariaDB reads back and compares as on SQLite', () => {
  it('keeps 4-byte characters, trailing spaces and case apart', async () => {
    // NUL is refused on every engine (test/records/records-bad-input.test.ts).
    for (const title of ['😀é', 'tail', 'tail ', 'Case', 'case']) {
      const res = await su.post(NOTES, { title, meta: { title } });
      expect(res.status, JSON.stringify(title)).toBe(200);
      const back = await su.get(`${NOTES}/${String(res.body.id)}`);
      expect(back.body).toMatchObject({ title, meta: { title } });
    }
    expect(await titles("title = 'tail'")).toEqual(['tail']);
    expect(await titles("title = 'case'")).toEqual(['case']);
    expect(await titles("title ~ 'CAS'")).toEqual(['Case', 'case']);
    expect(await titles("meta.title = '😀é'")).toEqual(['😀é']);
  });

  it('stores invalid UTF-8 in a body as replacement characters, as on SQLite', async () => {
    const res = await t.server.inject({
      method: 'POST',
      url: NOTES,
      headers: { 'content-type': 'application/json', authorization: su.token ?? '' },
      payload: Buffer.concat([
        Buffer.from('{"title":"x'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: 'x\ufffd\ufffd' });
  });

  it('enforces unique indexes on whole values, NOCASE and partial ones included', async () => {
    const long = 'L'.repeat(4000);
    expect((await su.post(NOTES, { title: long })).status).toBe(200);
    expect((await su.post(NOTES, { title: `${long}x` })).status).toBe(200);
    const dup = await su.post(NOTES, { title: long });
    expect(dup.status).toBe(400);
    expect(dup.body.data).toMatchObject({ title: { code: 'validation_not_unique' } });
    expect((await su.post(NOTES, { title: 'c1', code: 'Abc' })).status).toBe(200);
    expect((await su.post(NOTES, { title: 'c2', code: 'aBC' })).status).toBe(400);
    expect((await su.post(NOTES, { title: 'c3', code: '' })).status).toBe(200);
    expect((await su.post(NOTES, { title: 'c4', code: '' })).status).toBe(200);
  });
});

describe('unique keys under concurrent writes', () => {
  it('let exactly one of many concurrent creates store a long or case-folded value', async () => {
    const title = 'R'.repeat(3000);
    const long = await Promise.all(Array.from({ length: 20 }, () => su.post(NOTES, { title })));
    expect(long.map((r) => r.status).sort()).toEqual([200, ...Array<number>(19).fill(400)]);
    const codes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        su.post(NOTES, { title: `code ${String(i)}`, code: i % 2 ? 'SAME' : 'same' }),
      ),
    );
    expect(codes.map((r) => r.status).sort()).toEqual([200, ...Array<number>(19).fill(400)]);
  });
});

describe('values MariaDB cannot store', () => {
  // A URL cannot carry one (it is UTF-8); a JSON body can, as an escape.
  it('answers 400 to text with an unpaired surrogate, changing nothing', async () => {
    const before = await snapshotRows(t.app);
    const create = await su.post(NOTES, { title: 'a\ud800b' });
    expect(create.status).toBe(400);
    expect(create.body).toMatchObject({ status: 400, data: {} });
    const kept = await su.get(`${NOTES}?filter=${encodeURIComponent("title = 'kept'")}`);
    const id = String((kept.body.items as { id: string }[])[0]?.id);
    const update = await su.patch(`${NOTES}/${id}`, { code: '\udc00' });
    expect(update.status).toBe(400);
    expect(await snapshotRows(t.app)).toEqual(before);
  });

  it('answers 400 to an id longer than a key can hold (768 characters), changing nothing', async () => {
    const before = await snapshotRows(t.app);
    const tooLong = await su.post(NOTES, { id: 'a'.repeat(769), title: 'too long' });
    expect(tooLong.status).toBe(400);
    expect(await snapshotRows(t.app)).toEqual(before);
    expect((await su.post(NOTES, { id: 'b'.repeat(768), title: 'longest' })).status).toBe(200);
  });
});
