import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import type { RecordEvent } from '../../src/core/hooks/record-event.js';
import { recordEtag } from '../../src/core/record/record-etag.js';
import { loadRecordEtagKey } from '../../src/core/record/record-etag-key.js';
import { findRecordRow } from '../../src/core/record/record-read.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';
import { ApiClient, login } from '../helpers/api-client.js';
import { createEngineDatabase } from '../helpers/test-engine.js';
import { insertAuthRecord } from '../helpers/users.js';

// Optimistic concurrency for clients (APP-LOGIC.md §3, issue 17 part 4): records carry an
// ETag, and If-Match on PATCH/DELETE (also inside /api/batch) answers 412 when the record
// changed. The check runs inside the write's transaction on the locked row.
let t: TestApp;
let su: string;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

async function send(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  options: { token?: string | undefined; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = options.token;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await t.server.inject({
    method,
    url,
    headers,
    ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
  });
  const body: unknown = res.body === '' ? {} : JSON.parse(res.body);
  return {
    status: res.statusCode,
    headers: res.headers,
    body: body as Record<string, unknown>,
    text: res.body,
  };
}

const url = (id: unknown, collection = 'notes') =>
  `/api/collections/${collection}/records/${String(id)}`;

async function create(data: Record<string, unknown>, collection = 'notes'): Promise<Answer> {
  const res = await send('POST', `/api/collections/${collection}/records`, {
    token: su,
    body: data,
  });
  expect(res.status).toBe(200);
  return res;
}

function etagOf(res: Answer): string {
  const tag = res.headers.etag;
  expect(typeof tag).toBe('string');
  return String(tag);
}

const PRECONDITION_FAILED = {
  status: 412,
  message: 'The record has changed since it was read.',
  data: {},
};

beforeAll(async () => {
  t = await createTestApp();
  su = await superuserToken(t);
  const admin = new ApiClient(t.server, su);
  const notes = await admin.post('/api/collections', {
    name: 'notes',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'n', type: 'number' },
      { name: 'done', type: 'bool' },
      { name: 'meta', type: 'json' },
      { name: 'secret', type: 'text', hidden: true },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
  });
  expect(notes.status).toBe(200);
  const owned = await admin.post('/api/collections', {
    name: 'owned',
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    updateRule: 'owner = @request.auth.id',
    deleteRule: 'owner = @request.auth.id',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
    ],
  });
  expect(owned.status).toBe(200);
  await admin.patch('/api/settings', { batch: { enabled: true, timeout: 30 } });
});
afterAll(async () => {
  await t.close();
});

describe('the ETag header', () => {
  it('is a strong tag on view, create and update, exposed to scripts, and absent on lists', async () => {
    const created = await create({ title: 'a', n: 1, done: true, meta: { x: [1, 2] } });
    const tag = etagOf(created);
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{24}"$/);
    expect(created.headers['access-control-expose-headers']).toBe('ETag');
    const viewed = await send('GET', url(created.body.id), { token: su });
    expect(etagOf(viewed)).toBe(tag);
    expect(viewed.headers['access-control-expose-headers']).toBe('ETag');
    // Stable: nothing changed, same tag (as a guest too: the tag is the record's, not the view's).
    expect(etagOf(await send('GET', url(created.body.id), { token: su }))).toBe(tag);
    const list = await send('GET', '/api/collections/notes/records', { token: su });
    expect(list.status).toBe(200);
    expect(list.headers.etag).toBeUndefined();
  });

  it('changes with every update that changes a stored value, and the answer has the new one', async () => {
    const created = await create({ title: 'a', n: 1 });
    const first = etagOf(created);
    const updated = await send('PATCH', url(created.body.id), { token: su, body: { n: 2 } });
    expect(updated.status).toBe(200);
    const second = etagOf(updated);
    expect(second).not.toBe(first);
    expect(etagOf(await send('GET', url(created.body.id), { token: su }))).toBe(second);
    // A hidden field alone changes it too (the tag covers every stored column).
    const hidden = await send('PATCH', url(created.body.id), {
      token: su,
      body: { secret: 's3' },
    });
    expect(etagOf(hidden)).not.toBe(second);
  });

  it('follows what a hook changed, and writes made by code', async () => {
    const created = await create({ title: 'hooked', n: 1 });
    const id = t.app.hooks.onRecordUpdate.on('notes', async (e: RecordEvent) => {
      e.record.set('title', `${String(e.record.get('title'))}!`);
      await e.next();
    });
    try {
      const updated = await send('PATCH', url(created.body.id), { token: su, body: { n: 5 } });
      expect(updated.body.title).toBe('hooked!');
      const viewed = await send('GET', url(created.body.id), { token: su });
      expect(etagOf(viewed)).toBe(etagOf(updated));
    } finally {
      t.app.hooks.onRecordUpdate.unbind(id);
    }
    const before = etagOf(await send('GET', url(created.body.id), { token: su }));
    await t.app.records('notes').update(String(created.body.id), { title: 'by code' });
    expect(etagOf(await send('GET', url(created.body.id), { token: su }))).not.toBe(before);
  });

  it('is the same computed from the row as stored and as written (any engine)', async () => {
    const created = await create({ title: 'x', n: 0.1, done: false, meta: { b: 1, a: null } });
    const collection = t.app.collections.find('notes');
    if (!collection) throw new Error('no notes');
    const row = await findRecordRow(t.app.db.db, collection, String(created.body.id));
    if (!row) throw new Error('no row');
    expect(recordEtag(t.app, collection, row)).toBe(etagOf(created));
  });

  it('uses one key per database: a second app on it (another node) computes the same tags', async () => {
    const created = await create({ title: 'nodes' });
    const second = await App.open({ dataDir: t.dir, databaseUrl: t.app.config.databaseUrl });
    try {
      const collection = second.collections.find('notes');
      if (!collection) throw new Error('no notes');
      const row = await findRecordRow(second.db.db, collection, String(created.body.id));
      if (!row) throw new Error('no row');
      expect(recordEtag(second, collection, row)).toBe(etagOf(created));
    } finally {
      await second.close();
    }
  });
});

describe('CORS', () => {
  it('lets browsers send If-Match and If-None-Match (preflight)', async () => {
    const res = await t.server.inject({
      method: 'OPTIONS',
      url: '/api/collections/notes/records/x',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'if-match, if-none-match',
      },
    });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/if-match/i);
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/if-none-match/i);
  });
});

describe('the ETag key', () => {
  it('is made once when two nodes make it at the same time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'basalt-etag-key-'));
    const database = await createEngineDatabase();
    // Opened one after the other: two SQLite apps in one process cannot migrate at once.
    const a = await App.open({ dataDir: dir, databaseUrl: database.url });
    const b = await App.open({ dataDir: dir, databaseUrl: database.url });
    try {
      expect(b.recordEtagKey).toBe(a.recordEtagKey);
      await a.db.db.deleteFrom('_params').where('id', '=', 'recordEtagKey').execute();
      const keys = await Promise.all([a, b, a, b].map((app) => loadRecordEtagKey(app.db)));
      expect(keys[0]).toMatch(/^[A-Za-z0-9]{43}$/);
      expect(keys[0]).not.toBe(a.recordEtagKey);
      expect(new Set(keys).size).toBe(1);
      const rows = await a.db.db
        .selectFrom('_params')
        .select('id')
        .where('id', '=', 'recordEtagKey')
        .execute();
      expect(rows).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('If-None-Match on a view', () => {
  it('answers 304 with the tag when it matches, the record otherwise', async () => {
    const created = await create({ title: 'cached' });
    const tag = etagOf(created);
    const same = await send('GET', url(created.body.id), {
      token: su,
      headers: { 'if-none-match': `"other", ${tag}` },
    });
    expect(same.status).toBe(304);
    expect(same.text).toBe('');
    expect(same.headers.etag).toBe(tag);
    expect(same.headers.vary).toBe('Authorization');
    const weak = await send('GET', url(created.body.id), {
      token: su,
      headers: { 'if-none-match': `W/${tag}` },
    });
    expect(weak.status).toBe(304);
    const stale = await send('GET', url(created.body.id), {
      token: su,
      headers: { 'if-none-match': '"stale"' },
    });
    expect(stale.status).toBe(200);
    expect(stale.body.title).toBe('cached');
    expect(stale.headers.vary).toBe('Authorization');
    // expand renders other records, which change on their own: always the full answer.
    const expanded = await send('GET', `${url(created.body.id)}?expand=nothing`, {
      token: su,
      headers: { 'if-none-match': tag },
    });
    expect(expanded.status).toBe(200);
  });

  it('never answers 304 to who may not see the record', async () => {
    const owner = await insertAuthRecord(t.app, 'users', 'nm-owner@example.com', 'password-123');
    const rec = await create({ title: 'mine', owner }, 'owned');
    const res = await send('GET', url(rec.body.id, 'owned'), {
      headers: { 'if-none-match': '*' },
    });
    expect(res.status).toBe(404);
    expect(res.headers.etag).toBeUndefined();
  });
});

describe('If-Match on update and delete', () => {
  it('updates with the current tag, a list holding it, or `*`', async () => {
    const created = await create({ title: 'v1' });
    const id = created.body.id;
    const one = await send('PATCH', url(id), {
      token: su,
      headers: { 'if-match': etagOf(created) },
      body: { title: 'v2' },
    });
    expect(one.status).toBe(200);
    const two = await send('PATCH', url(id), {
      token: su,
      headers: { 'if-match': `"nope", ${etagOf(one)}` },
      body: { title: 'v3' },
    });
    expect(two.status).toBe(200);
    const any = await send('PATCH', url(id), {
      token: su,
      headers: { 'if-match': '*' },
      body: { title: 'v4' },
    });
    expect(any.status).toBe(200);
    expect(any.body.title).toBe('v4');
  });

  it('refuses a stale, weak or malformed tag with 412 and changes nothing', async () => {
    const created = await create({ title: 'keep', n: 1 });
    const id = created.body.id;
    const stale = etagOf(created);
    const current = etagOf(await send('PATCH', url(id), { token: su, body: { title: 'changed' } }));
    for (const ifMatch of [stale, `W/${current}`, current.slice(1, -1), '', '*, ' + current]) {
      const res = await send('PATCH', url(id), {
        token: su,
        headers: { 'if-match': ifMatch },
        body: { title: 'lost', n: 99 },
      });
      expect(res.status, ifMatch).toBe(412);
      expect(res.body).toEqual(PRECONDITION_FAILED);
      const del = await send('DELETE', url(id), { token: su, headers: { 'if-match': ifMatch } });
      expect(del.status, ifMatch).toBe(412);
      expect(del.body).toEqual(PRECONDITION_FAILED);
    }
    const viewed = await send('GET', url(id), { token: su });
    expect(viewed.body).toMatchObject({ title: 'changed', n: 1 });
    expect(etagOf(viewed)).toBe(current);
  });

  it('checks the precondition before validation', async () => {
    const created = await create({ title: 'valid' });
    const res = await send('PATCH', url(created.body.id), {
      token: su,
      headers: { 'if-match': '"stale"' },
      body: { n: 'not a number' },
    });
    expect(res.status).toBe(412);
  });

  it('deletes with the current tag, and answers 404 (not 412) once the record is gone', async () => {
    const created = await create({ title: 'bye' });
    const tag = etagOf(created);
    const del = await send('DELETE', url(created.body.id), {
      token: su,
      headers: { 'if-match': tag },
    });
    expect(del.status).toBe(204);
    for (const ifMatch of [tag, '*']) {
      const again = await send('DELETE', url(created.body.id), {
        token: su,
        headers: { 'if-match': ifMatch },
      });
      expect(again.status).toBe(404);
      const patch = await send('PATCH', url(created.body.id), {
        token: su,
        headers: { 'if-match': ifMatch },
        body: { title: 'x' },
      });
      expect(patch.status).toBe(404);
    }
  });

  it('answers 404, never 412, to a requester the rules keep from the record', async () => {
    const owner = await insertAuthRecord(t.app, 'users', 'owner@example.com', 'password-123');
    await insertAuthRecord(t.app, 'users', 'other@example.com', 'password-123');
    const other = await login(
      new ApiClient(t.server),
      'users',
      'other@example.com',
      'password-123',
    );
    const rec = await create({ title: 'private', owner }, 'owned');
    for (const token of [undefined, other]) {
      for (const ifMatch of ['"stale"', etagOf(rec), '*']) {
        const patch = await send('PATCH', url(rec.body.id, 'owned'), {
          token,
          headers: { 'if-match': ifMatch },
          body: { title: 'x' },
        });
        expect(patch.status).toBe(404);
        expect(patch.headers.etag).toBeUndefined();
        const del = await send('DELETE', url(rec.body.id, 'owned'), {
          token,
          headers: { 'if-match': ifMatch },
        });
        expect(del.status).toBe(404);
      }
    }
    const mine = await login(new ApiClient(t.server), 'users', 'owner@example.com', 'password-123');
    const ok = await send('PATCH', url(rec.body.id, 'owned'), {
      token: mine,
      headers: { 'if-match': etagOf(rec) },
      body: { title: 'still mine' },
    });
    expect(ok.status).toBe(200);
    const stale = await send('PATCH', url(rec.body.id, 'owned'), {
      token: mine,
      headers: { 'if-match': etagOf(rec) },
      body: { title: 'lost' },
    });
    expect(stale.status).toBe(412);
  });

  it('lets exactly one of two concurrent writers with the same tag win, 20 rounds', async () => {
    const created = await create({ title: 'race', n: 0 });
    const id = created.body.id;
    let tag = etagOf(created);
    for (let round = 0; round < 20; round++) {
      const results = await Promise.all(
        [1, 2].map((writer) =>
          send('PATCH', url(id), {
            token: su,
            headers: { 'if-match': tag },
            body: { title: `round ${String(round)} writer ${String(writer)}`, n: writer },
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = results.find((r) => r.status === 200);
      if (!winner) throw new Error('no winner');
      const viewed = await send('GET', url(id), { token: su });
      expect(viewed.body.title).toBe(winner.body.title);
      tag = etagOf(viewed);
      expect(etagOf(winner)).toBe(tag);
    }
  });

  it('lets exactly one of two concurrent deletes with the same tag delete, the other 404 or 412', async () => {
    for (let round = 0; round < 5; round++) {
      const created = await create({ title: 'gone' });
      const tag = etagOf(created);
      const results = await Promise.all([
        send('DELETE', url(created.body.id), { token: su, headers: { 'if-match': tag } }),
        send('PATCH', url(created.body.id), {
          token: su,
          headers: { 'if-match': tag },
          body: { title: 'kept' },
        }),
      ]);
      const statuses = results.map((r) => r.status);
      // Either the delete ran first (the update finds nothing: 404) or the update did (the
      // delete's tag is stale: 412).
      expect([
        [204, 404],
        [412, 200],
      ]).toContainEqual(statuses);
    }
  });
});

describe('If-Match from code', () => {
  it('lets app.records(...).update/delete take a forwarded If-Match', async () => {
    const created = await create({ title: 'code' });
    const id = String(created.body.id);
    const records = t.app.records('notes');
    await expect(records.update(id, { title: 'x' }, { ifMatch: '"stale"' })).rejects.toMatchObject({
      status: 412,
    });
    await expect(records.delete(id, { ifMatch: '"stale"' })).rejects.toMatchObject({
      status: 412,
    });
    const updated = await records.update(id, { title: 'y' }, { ifMatch: etagOf(created) });
    expect(updated.title).toBe('y');
    const tag = etagOf(await send('GET', url(id), { token: su }));
    await records.delete(id, { ifMatch: tag });
    expect((await send('GET', url(id), { token: su })).status).toBe(404);
  });
});

describe('If-Match in a batch', () => {
  it('fails the whole batch with the item 412 in data.requests.<i>.response', async () => {
    const a = await create({ title: 'a' });
    const b = await create({ title: 'b' });
    const staleB = etagOf(b);
    await send('PATCH', url(b.body.id), { token: su, body: { title: 'b2' } });
    const res = await send('POST', '/api/batch', {
      token: su,
      body: {
        requests: [
          {
            method: 'PATCH',
            url: url(a.body.id),
            headers: { 'If-Match': etagOf(a) },
            body: { title: 'a-new' },
          },
          {
            method: 'DELETE',
            url: url(b.body.id),
            headers: { 'If-Match': staleB },
          },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      status: 400,
      data: { requests: { '1': { response: PRECONDITION_FAILED } } },
    });
    expect((await send('GET', url(a.body.id), { token: su })).body.title).toBe('a');
    expect((await send('GET', url(b.body.id), { token: su })).body.title).toBe('b2');
  });

  it('applies items whose tags are current; an upsert with If-Match only updates', async () => {
    const a = await create({ title: 'a' });
    const ok = await send('POST', '/api/batch', {
      token: su,
      body: {
        requests: [
          {
            method: 'PATCH',
            url: url(a.body.id),
            headers: { 'if-match': etagOf(a) },
            body: { title: 'a2' },
          },
        ],
      },
    });
    expect(ok.status).toBe(200);
    expect((await send('GET', url(a.body.id), { token: su })).body.title).toBe('a2');
    const upsert = await send('POST', '/api/batch', {
      token: su,
      body: {
        requests: [
          {
            method: 'PUT',
            url: '/api/collections/notes/records',
            headers: { 'if-match': '*' },
            body: { id: 'nosuchrecord123', title: 'new' },
          },
        ],
      },
    });
    expect(upsert.status).toBe(400);
    expect(upsert.body).toMatchObject({
      data: { requests: { '0': { response: { status: 412 } } } },
    });
    expect((await send('GET', url('nosuchrecord123'), { token: su })).status).toBe(404);
  });
});
