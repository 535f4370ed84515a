import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { ApiClient } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-engine.js';

// The statements of a REST create as the records benchmark makes it (bench/records.mjs): a
// user's token, a relation to check, no unique index besides the primary key, no hook.
let t: TestApp;
let su: ApiClient;
let user: ApiClient;
let userId = '';
const queries: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ onQuery: (event) => queries.push(event.sql.trim().toLowerCase()) });
  su = new ApiClient(t.server, await superuserToken(t));
  await createCollection(t.app, {
    name: 'posts',
    listRule: '',
    viewRule: '',
    createRule: "@request.auth.id != ''",
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'author', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
    ],
  });
  const created = await su.post('/api/collections/users/records', {
    email: 'writer@example.com',
    password: 'password-long',
    passwordConfirm: 'password-long',
  });
  userId = String(created.body.id);
  const login = await su.post('/api/collections/users/auth-with-password', {
    identity: 'writer@example.com',
    password: 'password-long',
  });
  user = su.as(String(login.body.token));
});
afterAll(async () => {
  await t.close();
});

const CONTROL = /^(begin|commit|rollback|start transaction|savepoint|release)/;

async function createLogged(body: Record<string, unknown>) {
  queries.length = 0;
  const res = await user.post('/api/collections/posts/records', body);
  return {
    res,
    control: queries.filter((q) => CONTROL.test(q)),
    work: queries.filter((q) => !CONTROL.test(q)),
  };
}

describe('a create without hooks, files or unique indexes', () => {
  it('reads the token user, checks the relation and inserts: three statements', async () => {
    const { res, work } = await createLogged({ title: 'a', views: 3, author: userId });
    expect(res.status).toBe(200);
    expect(work).toHaveLength(3);
    expect(work[0]).toMatch(/^select .* from [`"]?users[`"]? where/);
    expect(work[1]).toMatch(/^select .* from [`"]?users[`"]? where/);
    expect(work[2]).toMatch(/^insert into [`"]?posts[`"]?/);
  });

  it('opens no transaction on PostgreSQL, where a lone INSERT needs none', async () => {
    const { res, control } = await createLogged({ title: 'b', author: userId });
    expect(res.status).toBe(200);
    if (testEngine() === 'postgres') expect(control).toEqual([]);
    else expect(control.length).toBeGreaterThanOrEqual(2);
  });

  it('answers a missing relation target as before, writing nothing', async () => {
    const { res, work } = await createLogged({ title: 'c', author: 'missing00000000' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      data: { author: { code: 'validation_missing_rel_records' } },
    });
    expect(work.some((q) => q.startsWith('insert'))).toBe(false);
  });

  it('answers a duplicate id as the same field error', async () => {
    const first = await user.post('/api/collections/posts/records', {
      id: 'dupdupdupdup123',
      author: userId,
    });
    expect(first.status).toBe(200);
    const again = await user.post('/api/collections/posts/records', {
      id: 'dupdupdupdup123',
      author: userId,
    });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ data: { id: { code: 'validation_not_unique' } } });
  });
});
