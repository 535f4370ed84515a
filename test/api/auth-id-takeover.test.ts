import type PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRow } from '../../src/core/record/record-defaults.js';
import { hashPassword } from '../../src/lib/security/password.js';
import { newRecordId, randomString } from '../../src/lib/security/random.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { sdkClient, sdkSuperuser } from '../helpers/sdk-client.js';
import { apiJson, SseClient } from '../helpers/sse-client.js';

// Issue 15 S2: an account of one auth collection must never act as the account of another
// collection that has the same id. Ids are refused across auth collections on every write
// path, and rules compare a relation (or an auth record's id) with `@request.auth.id` only
// when the signed-in record belongs to the relation's target collection.

let live: LiveServer;
let admin: PocketBase;
let suToken: string;
let bId: string;
let bToken: string;
let postId: string;
let sharedId: string;
let docName: string;
const PASSWORD = 'password-123';

async function call(method: string, path: string, body?: unknown, token?: string) {
  return apiJson(live.url, method, path, body, token);
}

function signUpBody(email: string, id?: string): Record<string, unknown> {
  return { ...(id ? { id } : {}), email, password: PASSWORD, passwordConfirm: PASSWORD };
}

async function login(collection: string, email: string): Promise<string> {
  const res = await call('POST', `/api/collections/${collection}/auth-with-password`, {
    identity: email,
    password: PASSWORD,
  });
  expect(res.status).toBe(200);
  return String(res.body.token);
}

async function get(url: string): Promise<Response> {
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  return new Response(body, { status: res.status, headers: res.headers });
}

beforeAll(async () => {
  live = await startLiveServer();
  admin = await sdkSuperuser(live);
  suToken = admin.authStore.token;
  await admin.settings.update({ batch: { enabled: true } });
  await admin.collections.create({
    name: 'members',
    type: 'auth',
    listRule: 'id = @request.auth.id',
    viewRule: 'id = @request.auth.id',
    createRule: '',
    updateRule: 'id = @request.auth.id',
    deleteRule: 'id = @request.auth.id',
    fields: [{ name: 'nick', type: 'text' }],
  });
  await admin.collections.create({
    name: 'posts',
    listRule: 'owner = @request.auth.id || editors.id ?= @request.auth.id',
    viewRule: 'owner = @request.auth.id || editors:each ?= @request.auth.id',
    createRule: '',
    updateRule: '@request.auth.id = owner',
    deleteRule: 'owner = @request.auth.id',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
      { name: 'editors', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 5 },
      { name: 'doc', type: 'file', maxSelect: 1, protected: true },
    ],
  });
  await admin.collections.create({
    name: 'notes',
    listRule: '',
    viewRule: '',
    fields: [
      { name: 'text', type: 'text' },
      { name: 'post', type: 'relation', collectionId: 'posts', maxSelect: 1 },
    ],
  });
  await admin.collections.create({
    name: 'whoami',
    listRule:
      "@request.auth.collectionName = 'users' && @request.auth.collectionId = '_pb_users_auth_'",
    fields: [{ name: 'text', type: 'text' }],
  });
  const b = await admin.collection('users').create(signUpBody('b@example.com'));
  bId = b.id;
  bToken = await login('users', 'b@example.com');
  const data = new FormData();
  data.append('title', "B's post");
  data.append('owner', bId);
  data.append('doc', new Blob([Buffer.from('b-secret')]), 'doc.txt');
  const post = await admin.collection('posts').create(data);
  postId = post.id;
  docName = String(post.doc);
  await admin.collection('notes').create({ text: 'about it', post: postId });
  await admin.collection('whoami').create({ text: 'hello' });
  // A post that B only edits, for the multi-relation rule.
  sharedId = (await admin.collection('posts').create({ title: 'shared', editors: [bId] })).id;
});

afterAll(async () => {
  await live.close();
});

describe('auth record ids are unique across auth collections (API.md §1.2)', () => {
  it("refuses a sign-up that takes the id of another collection's account", async () => {
    const res = await call('POST', '/api/collections/members/records', signUpBody('m1@x.io', bId));
    expect(res.status).toBe(400);
    expect(res.body.data).toMatchObject({ id: { code: 'validation_invalid_auth_id' } });
    const login = await call('POST', '/api/collections/members/auth-with-password', {
      identity: 'm1@x.io',
      password: PASSWORD,
    });
    expect(login.status).toBe(400);
  });

  it('refuses the reverse, and a superuser id, and through a batch', async () => {
    const member = await call('POST', '/api/collections/members/records', signUpBody('m2@x.io'));
    expect(member.status).toBe(200);
    const memberId = String(member.body.id);
    const reverse = await call(
      'POST',
      '/api/collections/users/records',
      signUpBody('u2@x.io', memberId),
    );
    expect(reverse.status).toBe(400);
    expect(reverse.body.data).toMatchObject({ id: { code: 'validation_invalid_auth_id' } });
    const superuserId = String(admin.authStore.record?.id);
    const asSuperuser = await call(
      'POST',
      '/api/collections/users/records',
      signUpBody('u3@x.io', superuserId),
    );
    expect(asSuperuser.status).toBe(400);
    expect(asSuperuser.body.data).toMatchObject({ id: { code: 'validation_invalid_auth_id' } });
    const batch = await call('POST', '/api/batch', {
      requests: [
        { method: 'POST', url: '/api/collections/members/records', body: signUpBody('m4@x.io') },
        {
          method: 'POST',
          url: '/api/collections/members/records',
          body: signUpBody('m5@x.io', bId),
        },
      ],
    });
    expect(batch.status).toBe(400);
    expect(JSON.stringify(batch.body)).toContain('validation_invalid_auth_id');
    const list = await call('GET', '/api/collections/members/records', undefined, suToken);
    const emails = (list.body.items as { email: string }[]).map((m) => m.email);
    expect(emails).not.toContain('m4@x.io');
    expect(emails).not.toContain('m5@x.io');
    // A superuser may not do it either.
    const bySuperuser = await call(
      'POST',
      '/api/collections/members/records',
      signUpBody('m6@x.io', bId),
      suToken,
    );
    expect(bySuperuser.status).toBe(400);
  });

  it('lets only one of two concurrent creates with one id in two collections win', async () => {
    for (let round = 0; round < 8; round++) {
      const id = newRecordId();
      const results = await Promise.all([
        call('POST', '/api/collections/users/records', signUpBody(`ru${String(round)}@x.io`, id)),
        call('POST', '/api/collections/members/records', signUpBody(`rm${String(round)}@x.io`, id)),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 400]);
      const loser = results.find((r) => r.status === 400);
      expect(loser?.body.data).toMatchObject({ id: { code: 'validation_invalid_auth_id' } });
    }
  });

  it('frees the id when its account is deleted', async () => {
    const member = await call('POST', '/api/collections/members/records', signUpBody('m7@x.io'));
    const id = String(member.body.id);
    const deleted = await call(
      'DELETE',
      `/api/collections/members/records/${id}`,
      undefined,
      suToken,
    );
    expect(deleted.status).toBe(204);
    const taken = await call('POST', '/api/collections/users/records', signUpBody('u7@x.io', id));
    expect(taken.status).toBe(200);
  });
});

describe('rules match @request.auth.id only for records of the right collection', () => {
  let memberToken: string;

  beforeAll(async () => {
    // A duplicate as old data (or a write path outside the records API) could hold it: a
    // `members` account with B's id, inserted directly.
    const members = live.app.collections.findAuth('members');
    if (!members) throw new Error('no members collection');
    // (Before the fix the first test above created one through the API.)
    await live.app.db.db.deleteFrom(members.name).where('id', '=', bId).execute();
    await live.app.db.db
      .insertInto(members.name)
      .values({
        ...newRow(members),
        id: bId,
        email: 'mallory@x.io',
        password: await hashPassword(PASSWORD),
        tokenKey: randomString(50),
      })
      .execute();
    memberToken = await login('members', 'mallory@x.io');
  });

  it('B sees and owns its records (control)', async () => {
    const list = await call('GET', '/api/collections/posts/records', undefined, bToken);
    expect(list.body.totalItems).toBe(2);
    const shared = await call(
      'GET',
      `/api/collections/posts/records/${sharedId}`,
      undefined,
      bToken,
    );
    expect(shared.status).toBe(200);
    const me = await call('GET', `/api/collections/users/records/${bId}`, undefined, bToken);
    expect(me.body.email).toBe('b@example.com');
    const who = await call('GET', '/api/collections/whoami/records', undefined, bToken);
    expect(who.body.totalItems).toBe(1);
  });

  it('does not list, view, update or delete through rules', async () => {
    const list = await call('GET', '/api/collections/posts/records', undefined, memberToken);
    expect(list.status).toBe(200);
    expect(list.body.totalItems).toBe(0);
    const view = await call(
      'GET',
      `/api/collections/posts/records/${postId}`,
      undefined,
      memberToken,
    );
    expect(view.status).toBe(404);
    const update = await call(
      'PATCH',
      `/api/collections/posts/records/${postId}`,
      { title: 'pwned' },
      memberToken,
    );
    expect(update.status).toBe(404);
    const shared = await call(
      'GET',
      `/api/collections/posts/records/${sharedId}`,
      undefined,
      memberToken,
    );
    expect(shared.status).toBe(404);
    const userB = await call(
      'GET',
      `/api/collections/users/records/${bId}`,
      undefined,
      memberToken,
    );
    expect(userB.status).toBe(404);
    const deletePost = await call(
      'DELETE',
      `/api/collections/posts/records/${postId}`,
      undefined,
      memberToken,
    );
    expect(deletePost.status).toBe(404);
    const deleteB = await call(
      'DELETE',
      `/api/collections/users/records/${bId}`,
      undefined,
      memberToken,
    );
    expect(deleteB.status).toBe(404);
    const who = await call('GET', '/api/collections/whoami/records', undefined, memberToken);
    expect(who.body.totalItems).toBe(0);
    const still = await call('GET', `/api/collections/posts/records/${postId}`, undefined, suToken);
    expect(still.body.title).toBe("B's post");
  });

  it('does not update through a batch or expand the records', async () => {
    const batch = await call(
      'POST',
      '/api/batch',
      {
        requests: [
          {
            method: 'PATCH',
            url: `/api/collections/posts/records/${postId}`,
            body: { title: 'x' },
          },
        ],
      },
      memberToken,
    );
    expect(batch.status).toBe(400);
    const notes = await call(
      'GET',
      '/api/collections/notes/records?expand=post',
      undefined,
      memberToken,
    );
    const items = notes.body.items as Record<string, unknown>[];
    expect(items).toHaveLength(1);
    expect((items[0]?.expand as Record<string, unknown> | undefined)?.post).toBeUndefined();
    const asB = await call('GET', '/api/collections/notes/records?expand=post', undefined, bToken);
    const bItems = asB.body.items as { expand?: Record<string, unknown> }[];
    expect(bItems[0]?.expand?.post).toMatchObject({ id: postId });
  });

  it('does not open protected files with a file token of the other collection', async () => {
    const fileUrl = (token: string) =>
      `${live.url}/api/files/posts/${postId}/${docName}?token=${encodeURIComponent(token)}`;
    const memberFileToken = await call('POST', '/api/files/token', undefined, memberToken);
    expect(memberFileToken.status).toBe(200);
    expect((await get(fileUrl(String(memberFileToken.body.token)))).status).toBe(404);
    const bFileToken = await call('POST', '/api/files/token', undefined, bToken);
    const ok = await get(fileUrl(String(bFileToken.body.token)));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('b-secret');
  });

  it('does not deliver realtime events of the records', async () => {
    const attacker = await SseClient.connect(live.url);
    const owner = await SseClient.connect(live.url);
    try {
      expect((await attacker.subscribe(['posts/*', `users/${bId}`], memberToken)).status).toBe(204);
      expect((await owner.subscribe(['posts/*'], bToken)).status).toBe(204);
      const pb = sdkClient(live);
      pb.authStore.save(suToken, null);
      await pb.collection('posts').update(postId, { title: 'edited' });
      await pb.collection('users').update(bId, { name: 'B' });
      const seen = await owner.next((m) => m.event === 'posts/*');
      expect(JSON.stringify(seen.json)).toContain('edited');
      const leaked = await attacker.drain(500);
      expect(leaked.filter((m) => m.event !== 'PB_CONNECT')).toEqual([]);
    } finally {
      attacker.close();
      owner.close();
    }
  });
});

describe('password fields in realtime filters (issue 15 S1)', () => {
  it('drops the events of a subscription that filters on a password field', async () => {
    await admin.collections.create({
      name: 'vaults',
      listRule: '',
      viewRule: '',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'pw', type: 'password' },
      ],
    });
    const options = (filter: string) =>
      `?options=${encodeURIComponent(JSON.stringify({ query: { filter } }))}`;
    const probe = await SseClient.connect(live.url);
    const control = await SseClient.connect(live.url);
    try {
      expect((await probe.subscribe([`vaults/*${options("pw != ''")}`])).status).toBe(204);
      expect((await control.subscribe([`vaults/*${options("title != ''")}`])).status).toBe(204);
      await admin.collection('vaults').create({ title: 'v', pw: 'vault-password' });
      const seen = await control.next((m) => m.event.startsWith('vaults/*'));
      expect(JSON.stringify(seen.json)).not.toContain('argon2');
      const leaked = await probe.drain(500);
      expect(leaked.filter((m) => m.event !== 'PB_CONNECT')).toEqual([]);
    } finally {
      probe.close();
      control.close();
    }
  });
});
