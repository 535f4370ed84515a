import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiClient, login } from '../helpers/api-client.js';
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
    name: 'posts',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [
      { name: 'title', type: 'text', required: true, max: 100 },
      { name: 'views', type: 'number', onlyInt: true, min: 0 },
      { name: 'published', type: 'bool' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
      { name: 'kind', type: 'select', values: ['news', 'blog'] },
      { name: 'meta', type: 'json' },
      { name: 'secret', type: 'text', hidden: true },
      { name: 'code', type: 'text', autogeneratePattern: '[A-Z]{4}' },
      { name: 'created', type: 'autodate', onCreate: true },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
  });
});
afterEach(async () => {
  await t.close();
});

const URL = '/api/collections/posts/records';

describe('records CRUD (API.md §1)', () => {
  it('creates (200), views, updates, lists and deletes (204)', async () => {
    const created = await guest.post(URL, {
      title: 'Hello',
      views: 3,
      published: true,
      tags: ['a', 'b'],
      meta: { x: 1 },
      unknown: 'ignored',
    });
    expect(created.status).toBe(200);
    const rec = created.body;
    expect(rec.id).toMatch(/^[a-z0-9]{15}$/);
    expect(rec).toMatchObject({
      collectionName: 'posts',
      title: 'Hello',
      views: 3,
      published: true,
      tags: ['a', 'b'],
      kind: '',
      meta: { x: 1 },
    });
    expect(rec.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(rec.code).toMatch(/^[A-Z]{4}$/);
    expect(rec).not.toHaveProperty('secret');
    expect(rec).not.toHaveProperty('unknown');
    expect(Object.keys(rec)).toEqual([...Object.keys(rec)].sort());

    const id = String(rec.id);
    expect((await guest.get(`${URL}/${id}`)).body).toEqual(rec);
    const updated = await guest.patch(`${URL}/${id}`, {
      title: 'Hi',
      'views+': 2,
      'tags-': 'a',
      '+tags': 'c',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ title: 'Hi', views: 5, tags: ['c', 'b'] });
    expect(updated.body.created).toBe(rec.created);

    const list = await guest.get(URL);
    expect(list.body).toMatchObject({ page: 1, perPage: 30, totalItems: 1, totalPages: 1 });
    expect(Object.keys(list.body)).toEqual([
      'items',
      'page',
      'perPage',
      'totalItems',
      'totalPages',
    ]);

    expect((await guest.delete(`${URL}/${id}`)).status).toBe(204);
    expect((await guest.get(`${URL}/${id}`)).status).toBe(404);
  });

  it('accepts a client id and :autogenerate, and refuses a bad or changed id', async () => {
    const own = await guest.post(URL, {
      id: 'myownid12345678',
      title: 'x',
      'code:autogenerate': 'P-',
    });
    expect(own.body).toMatchObject({ id: 'myownid12345678' });
    expect(own.body.code).toMatch(/^P-[A-Z]{4}$/);
    const bad = await guest.post(URL, { id: 'BAD ID', title: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.data).toHaveProperty('id');
    const dup = await guest.post(URL, { id: 'myownid12345678', title: 'x' });
    expect(dup.status).toBe(400);
    const change = await guest.patch(`${URL}/myownid12345678`, { id: 'otherid12345678' });
    expect(change.status).toBe(400);
    expect(change.body.data).toMatchObject({ id: { code: 'validation_pk_change' } });
  });

  it('lets superusers write and read hidden fields; others cannot set them', async () => {
    const byGuest = await guest.post(URL, { title: 'a', secret: 'nope' });
    const stored = await t.app.db.db
      .selectFrom('posts')
      .select('secret')
      .where('id', '=', String(byGuest.body.id))
      .executeTakeFirstOrThrow();
    expect(stored.secret).toBe('');
    const bySu = await su.post(URL, { title: 'b', secret: 'yes' });
    expect(bySu.body.secret).toBe('yes');
    expect((await guest.get(`${URL}/${String(bySu.body.id)}`)).body).not.toHaveProperty('secret');
  });

  it('answers the status codes and messages of API.md §1', async () => {
    expect((await guest.get('/api/collections/nope/records')).body).toMatchObject({
      status: 404,
      message: 'Missing collection context.',
    });
    expect((await guest.post('/api/collections/nope/records', {})).body).toMatchObject({
      status: 404,
      message: 'Missing or invalid collection context.',
    });
    expect((await guest.get(`${URL}/missing`)).status).toBe(404);
    expect((await guest.patch(`${URL}/missing`, { title: 'x' })).status).toBe(404);
    expect((await guest.delete(`${URL}/missing`)).status).toBe(404);
    expect((await guest.send('PUT', `${URL}/missing`, {})).status).toBe(404);
  });
});

describe('input formats', () => {
  it('reads multipart with @jsonPayload and type inference', async () => {
    const boundary = 'XBOUNDARY';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const payload =
      part('title', 'From form') +
      part('views', '12') +
      part('published', 'true') +
      part('tags', 'a') +
      part('tags', 'b') +
      part('@jsonPayload', '{"meta":{"deep":[1,2]}}') +
      `--${boundary}--\r\n`;
    const res = await t.server.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      title: 'From form',
      views: 12,
      published: true,
      tags: ['a', 'b'],
      meta: { deep: [1, 2] },
    });
  });

  it('reads urlencoded bodies', async () => {
    const res = await t.server.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'title=Form&views=7&published=false',
    });
    expect(res.json()).toMatchObject({ title: 'Form', views: 7, published: false });
  });

  it('stores a multipart file upload under a sanitized name', async () => {
    await createCollection(t.app, {
      name: 'docs',
      createRule: '',
      fields: [{ name: 'f', type: 'file', maxSelect: 1 }],
    });
    const boundary = 'B';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`;
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/collections/docs/records',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(200);
    const record = res.json<{ id: string; f: string; collectionId: string }>();
    expect(record.f).toMatch(/^a[a-z0-9]+_[a-z0-9]{10}\.txt$/);
    const info = await t.app.fileStorage().stat(`${record.collectionId}/${record.id}/${record.f}`);
    expect(info?.size).toBe(5);
  });
});

const invalid: [string, Record<string, unknown>, string, string][] = [
  ['missing required', { views: 1 }, 'title', 'validation_required'],
  ['too long', { title: 'x'.repeat(101) }, 'title', 'validation_max_text_constraint'],
  ['not a number', { title: 'x', views: 'many' }, 'views', 'validation_not_a_number'],
  ['negative', { title: 'x', views: -1 }, 'views', 'validation_min_number_constraint'],
  ['decimal', { title: 'x', views: 1.5 }, 'views', 'validation_only_int_constraint'],
  ['unknown select value', { title: 'x', tags: ['z'] }, 'tags', 'validation_invalid_value'],
  ['object as text', { title: { a: 1 } }, 'title', 'validation_is_string'],
  ['bad bool', { title: 'x', published: 'maybe' }, 'published', 'validation_invalid_value'],
];

describe('validation answers 400 with field errors and writes nothing', () => {
  it.each(invalid)('%s', async (_label, payload, field, code) => {
    const before = await snapshotRows(t.app);
    const res = await guest.post(URL, payload);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('Failed to create record.');
    expect(res.body.data).toMatchObject({ [field]: { code } });
    expect(await snapshotRows(t.app)).toEqual(before);
  });

  it('rejects malformed JSON and non-object bodies', async () => {
    const before = await snapshotRows(t.app);
    const res = await t.server.inject({
      method: 'POST',
      url: URL,
      headers: { 'content-type': 'application/json' },
      payload: '{"title":',
    });
    expect(res.statusCode).toBe(400);
    expect((await guest.post(URL, [1, 2])).status).toBe(400);
    expect(await snapshotRows(t.app)).toEqual(before);
  });
});

describe('rules (API.md §3.3)', () => {
  beforeEach(async () => {
    await createCollection(t.app, {
      name: 'notes',
      listRule: 'owner = @request.auth.id',
      viewRule: 'owner = @request.auth.id',
      createRule: '@request.auth.id != "" && owner = @request.auth.id',
      updateRule: 'owner = @request.auth.id && @request.body.owner:isset = false',
      deleteRule: null,
      fields: [
        { name: 'text', type: 'text' },
        { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_' },
      ],
    });
  });

  async function user(email: string): Promise<{ id: string; client: ApiClient }> {
    const res = await guest.post('/api/collections/users/records', {
      email,
      password: 'password-123',
      passwordConfirm: 'password-123',
    });
    expect(res.status).toBe(200);
    return {
      id: String(res.body.id),
      client: su.as(await login(su, 'users', email, 'password-123')),
    };
  }

  it('applies create, view, list, update and null delete rules', async () => {
    const ann = await user('ann@example.com');
    const bob = await user('bob@example.com');
    expect(
      (await guest.post('/api/collections/notes/records', { text: 'x', owner: ann.id })).status,
    ).toBe(400);
    expect(
      (await bob.client.post('/api/collections/notes/records', { text: 'x', owner: ann.id }))
        .status,
    ).toBe(400);
    const note = await ann.client.post('/api/collections/notes/records', {
      text: 'mine',
      owner: ann.id,
    });
    expect(note.status).toBe(200);
    const id = String(note.body.id);
    expect((await ann.client.get(`/api/collections/notes/records/${id}`)).status).toBe(200);
    expect((await bob.client.get(`/api/collections/notes/records/${id}`)).status).toBe(404);
    expect((await bob.client.get('/api/collections/notes/records')).body).toMatchObject({
      items: [],
      totalItems: 0,
    });
    expect((await ann.client.get('/api/collections/notes/records')).body).toMatchObject({
      totalItems: 1,
    });
    expect(
      (await bob.client.patch(`/api/collections/notes/records/${id}`, { text: 'hacked' })).status,
    ).toBe(404);
    expect(
      (
        await ann.client.patch(`/api/collections/notes/records/${id}`, {
          text: 'edit',
          owner: bob.id,
        })
      ).status,
    ).toBe(404);
    expect(
      (await ann.client.patch(`/api/collections/notes/records/${id}`, { text: 'edit' })).body,
    ).toMatchObject({ text: 'edit' });
    const del = await ann.client.delete(`/api/collections/notes/records/${id}`);
    expect(del.body).toMatchObject({
      status: 403,
      message: 'Only superusers can perform this action.',
    });
    expect((await ann.client.delete('/api/collections/notes/records/doesnotexist')).status).toBe(
      403,
    );
    expect((await su.delete(`/api/collections/notes/records/${id}`)).status).toBe(204);
  });

  it('forbids @collection and @request in non-superuser filters', async () => {
    const ann = await user('ann@example.com');
    const a = await ann.client.get(
      `/api/collections/notes/records?filter=${encodeURIComponent('@collection.users.id != ""')}`,
    );
    expect(a.body).toMatchObject({
      status: 403,
      message: 'Only superusers can filter by @collection.',
    });
    const b = await ann.client.get(
      `/api/collections/notes/records?filter=${encodeURIComponent('owner = @request.auth.id')}`,
    );
    expect(b.body).toMatchObject({
      status: 403,
      message: 'Only superusers can filter by @request.',
    });
    expect(
      (
        await su.get(
          `/api/collections/notes/records?filter=${encodeURIComponent('owner = @request.auth.id')}`,
        )
      ).status,
    ).toBe(200);
  });
});
