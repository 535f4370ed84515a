import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiClient, type ApiResponse } from '../helpers/api-client.js';
import { snapshotRows } from '../helpers/db-rows.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// Bad input from any requester: a clear 4xx, nothing stored, no query the engine refuses and
// no error-level log line (those are for faults of the server). Runs on every engine.
let t: TestApp;
let su: ApiClient;
let guest: ApiClient;
let noteId: string;
/** Every JSON line the app logged, at debug and above. */
const logLines: Record<string, unknown>[] = [];
/** The SQL of every query run, errors included. */
const queries: string[] = [];

const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

/** Lets pino's stream flush what was written synchronously. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** The log lines at error level or above since the last reset. */
async function errorLines(): Promise<unknown[]> {
  await settle();
  return logLines.filter((l) => typeof l.level === 'number' && l.level >= 50);
}

/** POSTs raw JSON text (too deep for the test's own JSON.stringify). */
async function postRaw(url: string, payload: string): Promise<ApiResponse> {
  const res = await t.server.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload,
  });
  return { status: res.statusCode, body: res.json(), text: res.body };
}

function filterUrl(filter: string): string {
  return `/api/collections/notes/records?filter=${encodeURIComponent(filter)}`;
}

beforeAll(async () => {
  t = await createTestApp({
    logger: pino({ level: 'debug' }, sink),
    onQuery: (event) => queries.push(event.sql),
  });
  su = new ApiClient(t.server, await superuserToken(t));
  guest = su.as(undefined);
  await createCollection(t.app, {
    name: 'secrets',
    listRule: "@request.auth.id != ''",
    viewRule: "@request.auth.id != ''",
    fields: [{ name: 'label', type: 'text' }],
  });
  await createCollection(t.app, {
    name: 'notes',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'count', type: 'number' },
      { name: 'score', type: 'number', min: 0, max: 100 },
      { name: 'data', type: 'json' },
      { name: 'mail', type: 'email' },
      { name: 'site', type: 'url' },
      { name: 'kind', type: 'select', values: ['a', 'b', 'a\u0000b'] },
      { name: 'body', type: 'editor' },
      { name: 'done', type: 'bool' },
      { name: 'due', type: 'date' },
      { name: 'secret', type: 'relation', collectionId: 'secrets' },
    ],
  });
  await createCollection(t.app, {
    name: 'lookups',
    listRule: "@request.query.q = '' || name = @request.query.q",
    fields: [{ name: 'name', type: 'text' }],
  });
  await createCollection(t.app, {
    name: 'comments',
    listRule: '',
    viewRule: '',
    fields: [{ name: 'secret', type: 'relation', collectionId: 'secrets' }],
  });
  const secret = await su.post('/api/collections/secrets/records', { label: 'hidden' });
  await su.post('/api/collections/comments/records', { secret: secret.body.id });
  const note = await su.post('/api/collections/notes/records', {
    title: 'kept',
    count: 5,
    score: 90,
    secret: secret.body.id,
  });
  expect(note.status).toBe(200);
  noteId = String(note.body.id);
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  logLines.length = 0;
  queries.length = 0;
});

describe('number modifiers', () => {
  it('answers a field error for a result that is not a finite number, storing nothing', async () => {
    const before = await snapshotRows(t.app);
    for (const body of [
      { count: 1e308, 'count+': 1e308 },
      { count: -1e308, 'count-': 1e308 },
      { count: '1e308', 'count+': '1e308' },
    ]) {
      const res = await guest.patch(`/api/collections/notes/records/${noteId}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({
        status: 400,
        data: { count: { code: 'validation_not_a_number' } },
      });
    }
    // A JSON number too large for a double parses as Infinity, also inside a json field.
    const huge = await postRaw('/api/collections/notes/records', '{"count":1e400}');
    expect(huge.body).toMatchObject({ data: { count: { code: 'validation_not_a_number' } } });
    const json = await postRaw('/api/collections/notes/records', '{"data":{"n":[1e400]}}');
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ data: { data: { code: 'validation_invalid_value' } } });
    expect(await snapshotRows(t.app)).toEqual(before);
    expect(await errorLines()).toEqual([]);
  });

  it('still applies min and max after the modifiers', async () => {
    const over = await guest.patch(`/api/collections/notes/records/${noteId}`, { 'score+': 20 });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({
      data: { score: { code: 'validation_max_number_constraint' } },
    });
    const under = await guest.patch(`/api/collections/notes/records/${noteId}`, {
      'score-': 91,
    });
    expect(under.body).toMatchObject({
      data: { score: { code: 'validation_min_number_constraint' } },
    });
    const ok = await guest.patch(`/api/collections/notes/records/${noteId}`, {
      'score+': 5,
      'count-': 2,
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ score: 95, count: 3 });
    await guest.patch(`/api/collections/notes/records/${noteId}`, { score: 90, count: 5 });
  });
});

describe('NUL characters', () => {
  it('answers a field error for NUL in any text value, on every engine', async () => {
    const before = await snapshotRows(t.app);
    const values: Record<string, unknown> = {
      title: 'a\u0000b',
      data: { 'k\u0000': 1 },
      mail: 'a\u0000@example.com',
      site: 'https://example.com/\u0000',
      kind: 'a\u0000b',
      body: '<p>\u0000</p>',
      due: '2024-01-01\u0000',
    };
    for (const [name, value] of Object.entries(values)) {
      const res = await guest.post('/api/collections/notes/records', { [name]: value });
      expect(res.status, name).toBe(400);
      expect(res.body, name).toMatchObject({
        status: 400,
        data: { [name]: { code: 'validation_invalid_value' } },
      });
    }
    const inJson = await guest.post('/api/collections/notes/records', { data: ['x\u0000'] });
    expect(inJson.body).toMatchObject({ data: { data: { code: 'validation_invalid_value' } } });
    const update = await guest.patch(`/api/collections/notes/records/${noteId}`, {
      title: '\u0000',
    });
    expect(update.body).toMatchObject({ data: { title: { code: 'validation_invalid_value' } } });
    for (const [field, value] of [
      ['email', 'x\u0000@example.com'],
      ['password', 'pass\u0000word-long'],
    ] as const) {
      const res = await guest.post('/api/collections/users/records', {
        email: 'ok@example.com',
        password: 'password-long',
        passwordConfirm: 'password-long',
        [field]: value,
        ...(field === 'password' ? { passwordConfirm: value } : {}),
      });
      expect(res.status, field).toBe(400);
      expect(res.body, field).toMatchObject({
        data: { [field]: { code: 'validation_invalid_value' } },
      });
    }
    expect(await snapshotRows(t.app)).toEqual(before);
    expect(await errorLines()).toEqual([]);
  });

  it("answers the filter's 400 to NUL in a filter or sort, without a query", async () => {
    for (const filter of ["title = 'a\u0000'", 'title ~ "\u0000"', 'data.x\u0000 = 1']) {
      const res = await guest.get(filterUrl(filter));
      expect(res.status, filter).toBe(400);
      expect(res.body.message, filter).toMatch(/^Invalid filter/);
    }
    const sort = await guest.get(
      `/api/collections/notes/records?sort=${encodeURIComponent('ti\u0000tle')}`,
    );
    expect(sort.status).toBe(400);
    expect(sort.body.message).toMatch(/^Invalid sort/);
    const login = await guest.post('/api/collections/users/auth-with-password', {
      identity: 'a\u0000@example.com',
      password: 'whatever-long',
    });
    expect(login.status).toBe(400);
    expect(queries.filter((q) => /from "?notes"?/i.test(q))).toEqual([]);
    expect(await errorLines()).toEqual([]);
  });
});

describe('values only the database refuses', () => {
  it('answers them without an error-level log line', async () => {
    // A request value with NUL reaches a rule as a bound parameter: PostgreSQL refuses it
    // (400, logged at warn without a stack), the other engines find no match.
    const res = await guest.get('/api/collections/lookups/records?q=a%00b');
    expect([200, 400]).toContain(res.status);
    if (res.status === 200) expect(res.body.totalItems).toBe(0);
    else {
      expect(res.body).toEqual({ data: {}, message: expect.any(String) as unknown, status: 400 });
      expect(logLines.filter((l) => l.level === 40)).toHaveLength(1);
    }
    expect(await errorLines()).toEqual([]);
    expect(JSON.stringify(logLines)).not.toContain('"stack"');
  });
});

describe('nested expand behind a hidden relation', () => {
  it('answers 200 without that expand and never queries IN ()', async () => {
    const res = await guest.get(
      `/api/collections/notes/records?expand=${encodeURIComponent('secret.comments_via_secret,secret')}`,
    );
    expect(res.status).toBe(200);
    const items = res.body.items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThan(0);
    expect(
      items.every(
        (item) => item.expand === undefined || Object.keys(item.expand as object).length === 0,
      ),
    ).toBe(true);
    expect(queries.filter((q) => /\bin\s*\(\s*\)/i.test(q))).toEqual([]);
    const view = await guest.get(
      `/api/collections/notes/records/${noteId}?expand=secret.comments_via_secret`,
    );
    expect(view.status).toBe(200);
    // A superuser sees both levels.
    const full = await su.get(
      `/api/collections/notes/records/${noteId}?expand=secret.comments_via_secret`,
    );
    expect(full.body).toMatchObject({
      expand: { secret: { expand: { comments_via_secret: [{ collectionName: 'comments' }] } } },
    });
    expect(await errorLines()).toEqual([]);
  });
});

describe('guest inputs validated before the database', () => {
  it('answers 400 to a page past any offset, and clamps other page values', async () => {
    for (const page of ['1e300', '9007199254740993', '1e16']) {
      const res = await guest.get(`/api/collections/notes/records?page=${page}`);
      expect(res.status, page).toBe(400);
      expect(res.body, page).toMatchObject({ status: 400, data: {} });
    }
    for (const query of ['perPage=1e300', 'page=-1e300', 'page=-5&perPage=-1', 'page=1e6']) {
      const res = await guest.get(`/api/collections/notes/records?${query}`);
      expect(res.status, query).toBe(200);
    }
    const float = await guest.get('/api/collections/notes/records?page=1.5');
    expect(float.status).toBe(400);
    expect(await errorLines()).toEqual([]);
  });

  it('refuses JSON nested 5,000 deep in a json field or anywhere in the body', async () => {
    const before = await snapshotRows(t.app);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const body of [
      `{"data":${deep}}`,
      `{"extra":${deep}}`,
      `{"title":"x","x":{"y":${deep}}}`,
    ]) {
      const res = await postRaw('/api/collections/notes/records', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400 });
    }
    // A form body carries JSON as text: the json field refuses it too.
    const form = await t.server.inject({
      method: 'POST',
      url: '/api/collections/notes/records',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `data=${encodeURIComponent(deep)}`,
    });
    expect(form.statusCode, form.body).toBe(400);
    expect(form.json()).toMatchObject({ data: { data: { code: 'validation_invalid_value' } } });
    // Brackets inside strings do not count.
    const text = await guest.post('/api/collections/notes/records', {
      title: '['.repeat(3000),
      data: { s: '{'.repeat(3000) },
    });
    expect(text.status).toBe(200);
    await su.delete(`/api/collections/notes/records/${String(text.body.id)}`);
    expect(await snapshotRows(t.app)).toEqual(before);
    expect(await errorLines()).toEqual([]);
  });

  it('answers comparisons across types without an error the database raised', async () => {
    const filters = [
      'id > 5',
      'id = true',
      'due = true',
      'due > 5',
      "data > 'x'",
      'data > 5',
      'data > count',
      "count > 'x'",
      "count = 'x'",
      "count < 'x'",
      'count > title',
      'count = title',
      'title > 5',
      'done > 5',
      "done = 'x'",
      "done > 'x'",
      'done > title',
      'score > due',
      "count > 'x' && done > 'x' && data > count",
    ];
    const failed: string[] = [];
    for (const filter of filters) {
      logLines.length = 0;
      const res = await guest.get(filterUrl(filter));
      const message = String(res.body.message);
      const refused = logLines.some((l) => l.msg === 'the database refused a value of the request');
      // A 400 comes from the compiler, not from a value the database refused (logged at warn).
      const ok = res.status === 200 || (res.status === 400 && message.startsWith('Invalid filter'));
      if (!ok || refused || (await errorLines()).length > 0)
        failed.push(`${filter}: ${res.status} ${message}`);
    }
    expect(failed).toEqual([]);
  });
});
