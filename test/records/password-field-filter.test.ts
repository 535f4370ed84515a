import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createCollection,
  updateCollection,
} from '../../src/core/collection/collection-service.js';
import { ApiClient } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

// Issue 15 S1: a password field's stored hash must not be readable by comparing it in a
// filter or sort (a binary search over `pw >= '<prefix>'` recovers it). Password fields are
// hidden from non-superusers' filters and sorts whatever their `hidden` option says, and are
// never output (a non-hidden one serializes as "").

let t: TestApp;
let su: ApiClient;
let guest: ApiClient;
let id: string;
const R = '/api/collections/secrets/records';

const q = (params: Record<string, string>) => `${R}?${new URLSearchParams(params).toString()}`;

beforeEach(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  guest = su.as(undefined);
  const fields = [
    { name: 'title', type: 'text' },
    { name: 'pw', type: 'password' },
  ];
  const secrets = await createCollection(t.app, {
    name: 'secrets',
    listRule: '',
    viewRule: '',
    createRule: '',
    fields,
  });
  await updateCollection(t.app, secrets.id, {
    fields: [
      ...secrets.fields,
      { name: 'parent', type: 'relation', collectionId: secrets.id, maxSelect: 1 },
    ],
  });
  const created = await guest.post(R, { title: 'one', pw: 'hunter2-hunter2' });
  expect(created.status).toBe(200);
  id = String(created.body.id);
  await guest.post(R, { title: 'two', pw: 'other-password', parent: id });
});
afterEach(async () => {
  await t.close();
});

describe('password fields in filters and sorts (issue 15 S1)', () => {
  it('refuses a guest filter on a password field', async () => {
    for (const filter of [
      `id = '${id}' && pw >= '$'`,
      `pw != ''`,
      `pw ~ 'argon2id'`,
      `pw:lower ~ 'argon'`,
      `parent.pw >= '$'`,
      `secrets_via_parent.pw ?>= '$'`,
    ]) {
      const res = await guest.get(q({ filter }));
      expect(res.status, filter).toBe(400);
      expect(res.body.data, filter).toEqual({});
    }
  });

  it('answers a prefix probe the same for every prefix', async () => {
    const hash = await t.app.db.db
      .selectFrom('secrets')
      .select('pw')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const prefix = String(hash.pw).slice(0, 4);
    const hit = await guest.get(q({ filter: `id = '${id}' && pw >= '${prefix}'` }));
    const miss = await guest.get(q({ filter: `id = '${id}' && pw >= '~'` }));
    expect(hit.status).toBe(miss.status);
    expect(hit.text).toBe(miss.text);
  });

  it('refuses a guest sort on a password field', async () => {
    expect((await guest.get(q({ sort: 'pw' }))).status).toBe(400);
    expect((await guest.get(q({ sort: '-parent.pw' }))).status).toBe(400);
  });

  it('never outputs the hash, and lets superusers filter as PocketBase does', async () => {
    const list = await guest.get(q({ fields: 'id,pw' }));
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('argon2');
    const bySu = await su.get(q({ filter: `pw != '' && title = 'one'` }));
    expect(bySu.status).toBe(200);
    expect(bySu.body.totalItems).toBe(1);
    expect(bySu.text).not.toContain('argon2');
  });

  it('still lets rules use the field', async () => {
    await su.patch('/api/collections/secrets', { listRule: "pw != ''" });
    const list = await guest.get(R);
    expect(list.status).toBe(200);
    expect(list.body.totalItems).toBe(2);
  });
});
