import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api-client.js';
import { snapshotRows } from '../helpers/db-rows.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// PostgreSQL text cannot hold NUL: such values answer 400 there and write nothing
// (docs/compatibility.md). This project runs with BASALT_TEST_ENGINE=postgres.
let t: TestApp;
let su: ApiClient;

beforeAll(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  await su.post('/api/collections', {
    name: 'notes',
    listRule: '',
    createRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'done', type: 'bool' },
    ],
  });
  await su.post('/api/collections/notes/records', { title: 'kept' });
});
afterAll(async () => {
  await t.close();
});

describe('values PostgreSQL cannot store', () => {
  it('answers 400 in the error shape to a NUL in a value or a filter, changing nothing', async () => {
    const before = await snapshotRows(t.app);
    const create = await su.post('/api/collections/notes/records', { title: 'a\u0000b' });
    expect(create.status).toBe(400);
    expect(create.body).toMatchObject({ status: 400, data: {} });
    const filter = encodeURIComponent("title = 'a\u0000'");
    const list = await su.get(`/api/collections/notes/records?filter=${filter}`);
    expect(list.status).toBe(400);
    expect(await snapshotRows(t.app)).toEqual(before);
  });
});

describe('comparisons across types', () => {
  it('orders a number against text as SQLite does, and compares equality as text', async () => {
    // SQLite: text that reads as a number compares as that number, other text is greater
    // than every number. PostgreSQL would refuse `double precision > text`.
    for (const [filter, total] of [
      ['views > "abc"', 0],
      ["views < 'x'", 1],
      ["views >= ' 0 '", 1],
      ["views > '0'", 0],
      ['done < views', 0],
      ['done <= "0"', 1],
    ] as const) {
      const res = await su.get(
        `/api/collections/notes/records?filter=${encodeURIComponent(filter)}`,
      );
      expect(res.status, filter).toBe(200);
      expect(res.body.totalItems, filter).toBe(total);
    }
    // Equality and inequality never fail: both sides compare as text, as on SQLite after
    // its null/empty normalisation.
    const equal = await su.get(
      `/api/collections/notes/records?filter=${encodeURIComponent('views = "0" && done != 5')}`,
    );
    expect(equal.status).toBe(200);
    expect(equal.body.totalItems).toBe(1);
  });
});
