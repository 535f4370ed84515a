import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotDb } from '../helpers/db-snapshot.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';
import { AUTH_SYSTEM_FIELD_NAMES, everyFieldTypeCollection } from '../fixtures/collections.js';

let t: TestApp;
let token: string;

beforeEach(async () => {
  t = await createTestApp();
  token = await superuserToken(t);
});
afterEach(async () => {
  await t.close();
});

async function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  payload?: unknown,
) {
  const res = await t.server.inject({
    method,
    url,
    headers: { authorization: token },
    ...(payload === undefined
      ? {}
      : {
          payload: JSON.stringify(payload),
          headers: { authorization: token, 'content-type': 'application/json' },
        }),
  });
  return {
    status: res.statusCode,
    body: res.body === '' ? undefined : res.json<Record<string, unknown>>(),
  };
}

describe('collections API: create and read', () => {
  it('creates a collection with every field type as a real table', async () => {
    const res = await call('POST', '/api/collections', everyFieldTypeCollection());
    expect(res.status).toBe(200);
    const body = res.body!;
    expect(body.id).toMatch(/^pbc_\d+$/);
    expect(body.name).toBe('everything');
    const fields = body.fields as { name: string; type: string; id: string }[];
    expect(fields.map((f) => f.name)).toEqual([
      'id',
      'title',
      'views',
      'published',
      'contact',
      'homepage',
      'body',
      'releaseAt',
      'created',
      'updated',
      'status',
      'tags',
      'cover',
      'attachments',
      'owner',
      'readers',
      'meta',
      'secret',
      'location',
    ]);
    expect(fields.find((f) => f.name === 'id')).toMatchObject({
      id: 'text3208210256',
      primaryKey: true,
      system: true,
    });
    expect(fields.find((f) => f.name === 'releaseAt')).toMatchObject({
      min: '2020-01-01 00:00:00.000Z',
      max: '2030-12-31 23:59:59.000Z',
    });
    expect(fields.find((f) => f.name === 'views')).toMatchObject({
      min: 0,
      max: 1000000,
      onlyInt: true,
      required: false,
      help: '',
    });
    const columns = await t.app.db.listColumns(t.app.db.db, 'everything');
    expect(columns.map((c) => c.name)).toEqual(fields.map((f) => f.name));
    expect(await t.app.db.listIndexes(t.app.db.db, 'everything')).toEqual([
      'idx_everything_contact',
      'idx_everything_title',
    ]);
    expect(body.indexes).toEqual([
      'CREATE INDEX `idx_everything_title` ON `everything` (`title`)',
      "CREATE UNIQUE INDEX `idx_everything_contact` ON `everything` (`contact`) WHERE `contact` != ''",
    ]);

    const view = await call('GET', '/api/collections/EVERYTHING');
    expect(view.status).toBe(200);
    expect(view.body).toEqual(body);
    const byId = await call('GET', `/api/collections/${String(body.id)}`);
    expect(byId.body).toEqual(body);
  });

  it('gives the system collections their fixed ids and never shows token secrets', async () => {
    const su = await call('GET', '/api/collections/_superusers');
    expect(su.body).toMatchObject({
      id: 'pbc_3142635823',
      type: 'auth',
      system: true,
      listRule: null,
      authToken: { duration: 86400 },
    });
    expect(JSON.stringify(su.body)).not.toContain('secret');
    const users = await call('GET', '/api/collections/users');
    expect(users.body).toMatchObject({
      id: '_pb_users_auth_',
      createRule: '',
      listRule: 'id = @request.auth.id',
      manageRule: null,
    });
    const names = (users.body!.fields as { name: string }[]).map((f) => f.name);
    expect(names).toEqual([...AUTH_SYSTEM_FIELD_NAMES, 'name', 'avatar', 'created', 'updated']);
  });

  it('creates an auth collection with its system fields and unique indexes', async () => {
    const res = await call('POST', '/api/collections', {
      name: 'members',
      type: 'auth',
      fields: [{ name: 'nick', type: 'text' }],
    });
    expect(res.status).toBe(200);
    const names = (res.body!.fields as { name: string }[]).map((f) => f.name);
    expect(names).toEqual([
      'id',
      'nick',
      'password',
      'tokenKey',
      'email',
      'emailVisibility',
      'verified',
    ]);
    expect(res.body!.indexes).toEqual([
      `CREATE UNIQUE INDEX \`idx_tokenKey_${String(res.body!.id)}\` ON \`members\` (\`tokenKey\`)`,
      `CREATE UNIQUE INDEX \`idx_email_${String(res.body!.id)}\` ON \`members\` (\`email\`) WHERE \`email\` != ''`,
    ]);
    expect(res.body).toMatchObject({
      passwordAuth: { enabled: true, identityFields: ['email'] },
      authToken: { duration: 432000 },
    });
  });

  it('lists collections with paging and sorting', async () => {
    await call('POST', '/api/collections', { name: 'b_posts' });
    await call('POST', '/api/collections', { name: 'a_posts' });
    const res = await call('GET', '/api/collections?sort=name&perPage=2&page=1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ page: 1, perPage: 2, totalItems: 8, totalPages: 4 });
    expect((res.body!.items as { name: string }[]).map((c) => c.name)).toEqual([
      '_authOrigins',
      '_externalAuths',
    ]);
    const desc = await call('GET', '/api/collections?sort=-name&skipTotal=1');
    expect(desc.body).toMatchObject({ totalItems: -1, totalPages: -1 });
    expect((desc.body!.items as { name: string }[])[0]!.name).toBe('users');
    const auth = await call(
      'GET',
      `/api/collections?filter=${encodeURIComponent("type = 'auth' && system = false")}`,
    );
    expect((auth.body!.items as { name: string }[]).map((c) => c.name)).toEqual(['users']);
    const named = await call(
      'GET',
      `/api/collections?filter=${encodeURIComponent("name ~ '_posts'")}&sort=-name`,
    );
    expect((named.body!.items as { name: string }[]).map((c) => c.name)).toEqual([
      'b_posts',
      'a_posts',
    ]);
    expect(named.body).toMatchObject({ totalItems: 2 });
    expect(
      (await call('GET', `/api/collections?filter=${encodeURIComponent('fields = 1')}`)).status,
    ).toBe(400);
    expect((await call('GET', '/api/collections?filter=%28')).status).toBe(400);
    expect((await call('GET', '/api/collections?sort=nope')).status).toBe(400);
    expect((await call('GET', '/api/collections?page=abc')).status).toBe(400);
    expect((await call('GET', '/api/collections?skipTotal=maybe')).status).toBe(400);
  });

  it('serves the scaffolds of base and auth collections', async () => {
    const res = await call('GET', '/api/collections/meta/scaffolds');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body!)).toEqual(['base', 'auth', 'view']);
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });
});

describe('collections API: changes alter the table in the same transaction', () => {
  it('renames the collection, adds, removes and renames fields, and changes indexes', async () => {
    const created = await call('POST', '/api/collections', {
      name: 'posts',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'draft', type: 'bool' },
        { name: 'views', type: 'number' },
      ],
      indexes: ['CREATE INDEX idx_posts_title ON posts (title)'],
    });
    const id = String(created.body!.id);
    await t.app.db.db
      .insertInto('posts')
      .values({ id: 'aaaaaaaaaaaaaaa', title: 'Hello', draft: 1, views: 7 })
      .execute();
    const fields = created.body!.fields as Record<string, unknown>[];
    const title = fields.find((f) => f.name === 'title')!;
    const views = fields.find((f) => f.name === 'views')!;
    const res = await call('PATCH', `/api/collections/${id}`, {
      name: 'articles',
      fields: [fields[0], { ...title, name: 'headline' }, views, { name: 'summary', type: 'text' }],
      indexes: ['CREATE INDEX idx_articles_views ON articles (views DESC)'],
    });
    expect(res.status).toBe(200);
    expect(res.body!.id).toBe(id);
    const columns = (await t.app.db.listColumns(t.app.db.db, 'articles')).map((c) => c.name);
    expect(columns).toEqual(['id', 'headline', 'views', 'summary']);
    expect(await t.app.db.listTables(t.app.db.db)).not.toContain('posts');
    expect(await t.app.db.listIndexes(t.app.db.db, 'articles')).toEqual(['idx_articles_views']);
    const row = await t.app.db.db
      .selectFrom('articles')
      .select(['id', 'headline', 'views', 'summary'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 'aaaaaaaaaaaaaaa', headline: 'Hello', views: 7, summary: '' });
  });

  it('keeps an index through a field rename and swaps two field names', async () => {
    const created = await call('POST', '/api/collections', {
      name: 'pairs',
      fields: [
        { name: 'a', type: 'text' },
        { name: 'b', type: 'text' },
      ],
      indexes: ['CREATE UNIQUE INDEX idx_pairs_a ON pairs (a)'],
    });
    await t.app.db.db
      .insertInto('pairs')
      .values({ id: 'xxxxxxxxxxxxxxx', a: 'A', b: 'B' })
      .execute();
    const [idf, a, b] = created.body!.fields as Record<string, unknown>[];
    const res = await call('PATCH', '/api/collections/pairs', {
      fields: [idf, { ...a, name: 'b' }, { ...b, name: 'a' }],
      indexes: ['CREATE UNIQUE INDEX idx_pairs_a ON pairs (b)'],
    });
    expect(res.status).toBe(200);
    const row = await t.app.db.db
      .selectFrom('pairs')
      .select(['id', 'a', 'b'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 'xxxxxxxxxxxxxxx', b: 'A', a: 'B' });
    expect((await t.app.db.listColumns(t.app.db.db, 'pairs')).map((c) => c.name)).toEqual([
      'id',
      'b',
      'a',
    ]);
    expect(res.body!.indexes).toEqual(['CREATE UNIQUE INDEX `idx_pairs_a` ON `pairs` (`b`)']);
  });

  it('converts stored values when a select changes between single and multiple', async () => {
    const created = await call('POST', '/api/collections', {
      name: 'picks',
      fields: [{ name: 'color', type: 'select', values: ['red', 'blue'], maxSelect: 1 }],
    });
    await t.app.db.db
      .insertInto('picks')
      .values([
        { id: 'p00000000000001', color: 'red' },
        { id: 'p00000000000002', color: '' },
      ])
      .execute();
    const fields = created.body!.fields as Record<string, unknown>[];
    await call('PATCH', '/api/collections/picks', {
      fields: [fields[0], { ...fields[1], maxSelect: 2 }],
    });
    let rows = await t.app.db.db.selectFrom('picks').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.color)).toEqual(['["red"]', '[]']);
    await t.app.db.db
      .updateTable('picks')
      .set({ color: '["red","blue"]' })
      .where('id', '=', 'p00000000000001')
      .execute();
    await call('PATCH', '/api/collections/picks', {
      fields: [fields[0], { ...fields[1], maxSelect: 1 }],
    });
    rows = await t.app.db.db.selectFrom('picks').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.color)).toEqual(['blue', '']);
  });

  it('merges nested auth options on update and keeps the secrets', async () => {
    const before = t.app.collections.findAuth('users')!.authToken.secret;
    const res = await call('PATCH', '/api/collections/users', {
      passwordAuth: { enabled: false },
      authToken: { duration: 3600 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      passwordAuth: { enabled: false, identityFields: ['email'] },
      authToken: { duration: 3600 },
    });
    expect(t.app.collections.findAuth('users')!.authToken.secret).toBe(before);
  });

  it('deletes and truncates collections', async () => {
    await call('POST', '/api/collections', { name: 'temp', fields: [{ name: 'x', type: 'text' }] });
    await t.app.db.db.insertInto('temp').values({ id: 't00000000000001', x: '1' }).execute();
    expect((await call('DELETE', '/api/collections/temp/truncate')).status).toBe(204);
    expect(await t.app.db.db.selectFrom('temp').selectAll().execute()).toEqual([]);
    expect((await call('DELETE', '/api/collections/temp')).status).toBe(204);
    expect(await t.app.db.listTables(t.app.db.db)).not.toContain('temp');
    expect((await call('GET', '/api/collections/temp')).status).toBe(404);
    expect((await call('DELETE', '/api/collections/temp')).status).toBe(404);
  });

  it('refuses to delete system collections and referenced ones', async () => {
    expect((await call('DELETE', '/api/collections/_superusers')).status).toBe(400);
    await call('POST', '/api/collections', {
      name: 'notes',
      fields: [{ name: 'author', type: 'relation', collectionId: 'users' }],
    });
    const res = await call('DELETE', '/api/collections/users');
    expect(res.status).toBe(400);
    expect(res.body!.message).toContain('notes');
    expect((await call('DELETE', '/api/collections/users/truncate')).status).toBe(204);
  });

  it('imports collections with cross references in one transaction', async () => {
    await call('POST', '/api/collections', { name: 'stale' });
    const res = await call('PUT', '/api/collections/import', {
      deleteMissing: true,
      collections: [
        {
          id: 'pbc_orders',
          name: 'orders',
          fields: [{ name: 'lines', type: 'relation', collectionId: 'pbc_lines', maxSelect: 99 }],
        },
        {
          id: 'pbc_lines',
          name: 'lines',
          fields: [
            { name: 'parent', type: 'relation', collectionId: 'pbc_orders' },
            { name: 'qty', type: 'number' },
          ],
          indexes: ['CREATE INDEX idx_lines_parent ON lines (parent)'],
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    const names = t.app.collections
      .all()
      .map((c) => c.name)
      .sort();
    // deleteMissing spares system collections.
    expect(names).toEqual([
      '_authOrigins',
      '_externalAuths',
      '_mfas',
      '_otps',
      '_superusers',
      'lines',
      'orders',
    ]);
    expect((await t.app.db.listColumns(t.app.db.db, 'lines')).map((c) => c.name).sort()).toEqual([
      'id',
      'parent',
      'qty',
    ]);
    expect(t.app.collections.find('lines')!.fields.map((f) => f.name)).toEqual([
      'id',
      'parent',
      'qty',
    ]);
    expect(await t.app.db.listIndexes(t.app.db.db, 'lines')).toEqual(['idx_lines_parent']);
  });
});

/** Each rejected request must leave the schema and the metadata exactly as they were. */
const badCollections: [string, unknown, string][] = [
  ['space in name', { name: 'my posts' }, 'name'],
  ['quote in name', { name: "po'sts" }, 'name'],
  ['backtick in name', { name: 'po`sts' }, 'name'],
  ['name containing _via_', { name: 'a_via_b' }, 'name'],
  ['leading digit', { name: '1posts' }, 'name'],
  ['over-long name', { name: 'p'.repeat(64) }, 'name'],
  ['empty name', { name: '' }, 'name'],
  ['name not a string', { name: 42 }, 'name'],
  ['reserved prefix', { name: '_secret' }, 'name'],
  ['taken name (case-insensitive)', { name: 'USERS' }, 'name'],
  ['unknown type', { name: 'ok_name', type: 'graph' }, 'type'],
  ['view without a query', { name: 'ok_name', type: 'view' }, 'viewQuery'],
  [
    'view query not a SELECT',
    { name: 'ok_name', type: 'view', viewQuery: 'DROP TABLE users' },
    'viewQuery',
  ],
  ['fields not an array', { name: 'ok_name', fields: 'title' }, 'fields'],
  [
    'field name with space',
    { name: 'ok_name', fields: [{ name: 'my field', type: 'text' }] },
    'fields',
  ],
  ['engine column name', { name: 'ok_name', fields: [{ name: 'ctid', type: 'text' }] }, 'fields'],
  [
    'field leading digit',
    { name: 'ok_name', fields: [{ name: '9lives', type: 'text' }] },
    'fields',
  ],
  [
    'reserved field name',
    { name: 'ok_name', fields: [{ name: 'expand', type: 'text' }] },
    'fields',
  ],
  [
    '__proto__ field name',
    { name: 'ok_name', fields: [{ name: '__proto__', type: 'text' }] },
    'fields',
  ],
  [
    'duplicate fields',
    {
      name: 'ok_name',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'Title', type: 'number' },
      ],
    },
    'fields',
  ],
  [
    'unknown field type',
    { name: 'ok_name', fields: [{ name: 'title', type: 'varchar' }] },
    'fields',
  ],
  ['missing field type', { name: 'ok_name', fields: [{ name: 'title' }] }, 'fields'],
  [
    'wrong option type',
    { name: 'ok_name', fields: [{ name: 'n', type: 'number', min: 'zero' }] },
    'fields',
  ],
  [
    'min above max',
    { name: 'ok_name', fields: [{ name: 't', type: 'text', min: 10, max: 5 }] },
    'fields',
  ],
  [
    'bad regex',
    { name: 'ok_name', fields: [{ name: 't', type: 'text', pattern: '([a-z' }] },
    'fields',
  ],
  [
    'select without values',
    { name: 'ok_name', fields: [{ name: 's', type: 'select', values: [] }] },
    'fields',
  ],
  [
    'bad thumb size',
    { name: 'ok_name', fields: [{ name: 'f', type: 'file', thumbs: ['big'] }] },
    'fields',
  ],
  [
    'relation to missing collection',
    { name: 'ok_name', fields: [{ name: 'r', type: 'relation', collectionId: 'pbc_nope' }] },
    'fields',
  ],
  [
    'second primary key',
    { name: 'ok_name', fields: [{ name: 'code', type: 'text', primaryKey: true }] },
    'fields',
  ],
  [
    'system field from client',
    { name: 'ok_name', fields: [{ name: 'x', type: 'text', system: true }] },
    'fields',
  ],
  [
    'invalid index',
    {
      name: 'ok_name',
      fields: [{ name: 't', type: 'text' }],
      indexes: ['CREATE INDEX x ON ok_name (t); DROP TABLE users'],
    },
    'indexes',
  ],
  [
    'index on unknown column',
    { name: 'ok_name', indexes: ['CREATE INDEX x ON ok_name (nope)'] },
    'indexes',
  ],
  [
    'index on another table',
    {
      name: 'ok_name',
      fields: [{ name: 't', type: 'text' }],
      indexes: ['CREATE INDEX x ON users (t)'],
    },
    'indexes',
  ],
  [
    'index name taken',
    {
      name: 'ok_name',
      fields: [{ name: 't', type: 'text' }],
      indexes: ['CREATE INDEX idx_email__pb_users_auth_ ON ok_name (t)'],
    },
    'indexes',
  ],
  ['invalid rule', { name: 'ok_name', listRule: 'title = ' }, 'listRule'],
  ['rule on an unknown field', { name: 'ok_name', viewRule: 'nope = 1' }, 'viewRule'],
  [
    'rule through a missing relation',
    { name: 'ok_name', fields: [{ name: 't', type: 'text' }], listRule: 't.x = 1' },
    'listRule',
  ],
  ['rule not a string', { name: 'ok_name', viewRule: 5 }, 'viewRule'],
  ['empty manageRule', { name: 'ok_auth', type: 'auth', manageRule: '' }, 'manageRule'],
  ['bad id', { id: 'pbc bad', name: 'ok_name' }, 'id'],
  ['taken id', { id: '_pb_users_auth_', name: 'ok_name' }, 'id'],
];

describe('collections API: bad input answers 400 and changes nothing', () => {
  it.each(badCollections)('rejects %s', async (_label, payload, errorKey) => {
    const before = await snapshotDb(t.app);
    const res = await call('POST', '/api/collections', payload);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, message: 'Failed to create collection.' });
    expect(Object.keys(res.body!.data as object)).toContain(errorKey);
    expect(await snapshotDb(t.app)).toEqual(before);
  });

  it('rejects malformed JSON, non-object bodies and other content types', async () => {
    const before = await snapshotDb(t.app);
    const raw = async (payload: string, type: string) =>
      t.server.inject({
        method: 'POST',
        url: '/api/collections',
        headers: { authorization: token, 'content-type': type },
        payload,
      });
    const malformed = await raw('{"name": "x",', 'application/json');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({
      data: {},
      message: 'Failed to load the submitted data due to invalid formatting.',
      status: 400,
    });
    expect((await raw('[1,2]', 'application/json')).statusCode).toBe(400);
    expect((await raw('"text"', 'application/json')).statusCode).toBe(400);
    const xml = await raw('<name>x</name>', 'text/plain');
    expect(xml.statusCode).toBe(400);
    expect(xml.json()).toMatchObject({ message: 'Unsupported Content-Type.' });
    expect(await snapshotDb(t.app)).toEqual(before);
  });

  it('rejects bad updates and leaves the collection as it was', async () => {
    await call('POST', '/api/collections', {
      name: 'things',
      fields: [
        { name: 'n', type: 'number' },
        { name: 'r', type: 'relation', collectionId: 'users' },
      ],
    });
    const stored = (await call('GET', '/api/collections/things')).body!;
    const fields = stored.fields as Record<string, unknown>[];
    const before = await snapshotDb(t.app);
    const attempts: unknown[] = [
      { type: 'auth' },
      { name: 'users' },
      { fields: [fields[0], { ...fields[1], type: 'text' }] },
      { fields: [fields[1]] },
      { fields: [fields[0], fields[1], { ...fields[2], collectionId: '_superusers' }] },
      { indexes: ['CREATE INDEX broken'] },
    ];
    for (const payload of attempts) {
      const res = await call('PATCH', '/api/collections/things', payload);
      expect(res.status, JSON.stringify(payload)).toBe(400);
      expect(res.body!.message).toBe('Failed to update collection.');
    }
    expect(await snapshotDb(t.app)).toEqual(before);
    expect((await call('PATCH', '/api/collections/_superusers', { name: 'admins' })).status).toBe(
      400,
    );
    expect((await call('PATCH', '/api/collections/_superusers', { listRule: '' })).status).toBe(
      400,
    );
    expect((await call('PATCH', '/api/collections/missing', { name: 'x' })).status).toBe(404);
  });

  it('rolls a failing import back completely', async () => {
    const before = await snapshotDb(t.app);
    const res = await call('PUT', '/api/collections/import', {
      collections: [{ name: 'fine_one' }, { name: 'bad name' }],
    });
    expect(res.status).toBe(400);
    expect(res.body!.data).toHaveProperty(['collections', '1', 'name']);
    expect(await snapshotDb(t.app)).toEqual(before);
    expect(t.app.collections.find('fine_one')).toBeUndefined();
  });
});

describe('collections API: superusers only', () => {
  it('answers 401 to guests and 403 to other accounts', async () => {
    const guest = await t.server.inject({ method: 'GET', url: '/api/collections' });
    expect(guest.statusCode).toBe(401);
    expect(guest.json()).toEqual({
      data: {},
      message: 'The request requires valid record authorization token.',
      status: 401,
    });
    const { insertAuthRecord } = await import('../helpers/users.js');
    await insertAuthRecord(t.app, 'users', 'user@example.com', 'user-password-1');
    const login = await t.server.inject({
      method: 'POST',
      url: '/api/collections/users/auth-with-password',
      payload: { identity: 'user@example.com', password: 'user-password-1' },
    });
    const userToken = login.json<{ token: string }>().token;
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/collections',
      headers: { authorization: userToken },
      payload: { name: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      data: {},
      message: 'The authorized record is not allowed to perform this action.',
      status: 403,
    });
  });
});
