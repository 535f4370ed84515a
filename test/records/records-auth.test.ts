import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { updateCollection } from '../../src/core/collection/collection-service.js';
import { ApiClient, login } from '../helpers/api-client.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let su: ApiClient;
let guest: ApiClient;
const USERS = '/api/collections/users/records';

beforeEach(async () => {
  t = await createTestApp();
  su = new ApiClient(t.server, await superuserToken(t));
  guest = su.as(undefined);
});
afterEach(async () => {
  await t.close();
});

async function signUp(email: string, extra: Record<string, unknown> = {}) {
  return guest.post(USERS, {
    email,
    password: 'password-123',
    passwordConfirm: 'password-123',
    ...extra,
  });
}

describe('auth collection records (API.md §1.3)', () => {
  it('signs up, hides password and tokenKey, and logs in', async () => {
    const res = await signUp('ann@example.com', { name: 'Ann' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Ann', verified: false, emailVisibility: false });
    expect(res.body).not.toHaveProperty('password');
    expect(res.body).not.toHaveProperty('tokenKey');
    expect(res.body).not.toHaveProperty('email');
    const token = await login(guest, 'users', 'ann@example.com', 'password-123');
    const me = await guest.as(token).get(`${USERS}/${String(res.body.id)}`);
    expect(me.body.email).toBe('ann@example.com');
  });

  it('validates passwords and emails', async () => {
    const mismatch = await guest.post(USERS, {
      email: 'a@example.com',
      password: 'password-123',
      passwordConfirm: 'other-123',
    });
    expect(mismatch.body.data).toMatchObject({
      passwordConfirm: { code: 'validation_values_mismatch' },
    });
    const short = await guest.post(USERS, {
      email: 'a@example.com',
      password: 'short',
      passwordConfirm: 'short',
    });
    expect(short.body.data).toMatchObject({ password: { code: 'validation_min_text_constraint' } });
    const noPassword = await guest.post(USERS, { email: 'a@example.com' });
    expect(noPassword.body.data).toMatchObject({ password: { code: 'validation_required' } });
    const badEmail = await signUp('not-an-email');
    expect(badEmail.body.data).toMatchObject({ email: { code: 'validation_is_email' } });
    await signUp('taken@example.com');
    const dup = await signUp('taken@example.com');
    expect(dup.body.data).toMatchObject({ email: { code: 'validation_not_unique' } });
  });

  it('lets only managers set verified or change emails', async () => {
    const self = await signUp('v@example.com', { verified: true });
    expect(self.status).toBe(400);
    expect(self.body.data).toMatchObject({ verified: { code: 'validation_values_mismatch' } });
    const bySu = await su.post(USERS, {
      email: 'v@example.com',
      password: 'password-123',
      passwordConfirm: 'password-123',
      verified: true,
    });
    expect(bySu.body.verified).toBe(true);
    const token = await login(guest, 'users', 'v@example.com', 'password-123');
    const me = guest.as(token);
    const id = String(bySu.body.id);
    expect(
      (await me.patch(`${USERS}/${id}`, { email: 'new@example.com' })).body.data,
    ).toMatchObject({ email: { code: 'validation_values_mismatch' } });
    expect((await su.patch(`${USERS}/${id}`, { email: 'new@example.com' })).status).toBe(200);
  });

  it('needs the old password to change it, and the change ends all sessions', async () => {
    const ann = await signUp('ann@example.com');
    const id = String(ann.body.id);
    const token = await login(guest, 'users', 'ann@example.com', 'password-123');
    const me = guest.as(token);
    const noOld = await me.patch(`${USERS}/${id}`, {
      password: 'new-password-1',
      passwordConfirm: 'new-password-1',
    });
    expect(noOld.body.data).toMatchObject({
      oldPassword: { code: 'validation_invalid_old_password' },
    });
    const wrongOld = await me.patch(`${USERS}/${id}`, {
      password: 'new-password-1',
      passwordConfirm: 'new-password-1',
      oldPassword: 'nope-nope',
    });
    expect(wrongOld.status).toBe(400);
    const ok = await me.patch(`${USERS}/${id}`, {
      password: 'new-password-1',
      passwordConfirm: 'new-password-1',
      oldPassword: 'password-123',
    });
    expect(ok.status).toBe(200);
    expect((await me.get(`${USERS}/${id}`)).status).toBe(404);
    await login(guest, 'users', 'ann@example.com', 'new-password-1');
  });

  it('shows emails per emailVisibility and the manageRule', async () => {
    const visible = await signUp('shown@example.com', { emailVisibility: true });
    const other = await signUp('other@example.com');
    await updateCollection(t.app, 'users', {
      listRule: '',
      viewRule: '',
      updateRule: 'id = @request.auth.id || @request.auth.name = "admin"',
      manageRule: '@request.auth.name = "admin"',
    });
    expect((await guest.get(`${USERS}/${String(visible.body.id)}`)).body.email).toBe(
      'shown@example.com',
    );
    expect((await guest.get(`${USERS}/${String(other.body.id)}`)).body).not.toHaveProperty('email');
    await su.post(USERS, {
      email: 'boss@example.com',
      password: 'password-123',
      passwordConfirm: 'password-123',
      name: 'admin',
    });
    const boss = guest.as(await login(guest, 'users', 'boss@example.com', 'password-123'));
    expect((await boss.get(`${USERS}/${String(other.body.id)}`)).body.email).toBe(
      'other@example.com',
    );
    const list = await boss.get(`${USERS}?perPage=10`);
    expect(
      (list.body.items as { email?: string }[]).every((u) => typeof u.email === 'string'),
    ).toBe(true);
    const changed = await boss.patch(`${USERS}/${String(other.body.id)}`, {
      verified: true,
      password: 'managed-pass-1',
      passwordConfirm: 'managed-pass-1',
    });
    expect(changed.status).toBe(200);
  });

  it('refuses filtering by hidden fields for non-superusers', async () => {
    await updateCollection(t.app, 'users', { listRule: '' });
    expect(
      (await guest.get(`${USERS}?filter=${encodeURIComponent('tokenKey != ""')}`)).status,
    ).toBe(400);
    expect((await su.get(`${USERS}?filter=${encodeURIComponent('tokenKey != ""')}`)).status).toBe(
      200,
    );
  });
});

describe('auth responses honour expand and fields (API.md §4)', () => {
  it('expands relations of the logged-in record as that record', async () => {
    await updateCollection(t.app, 'users', {
      fields: [
        ...t.app.collections.find('users')!.fields,
        { name: 'buddy', type: 'relation', collectionId: '_pb_users_auth_' },
      ],
      viewRule: 'id = @request.auth.id || buddy = @request.auth.id',
    });
    const ann = await signUp('ann@example.com');
    const bob = await signUp('bob@example.com', { buddy: ann.body.id });
    await su.patch(`${USERS}/${String(ann.body.id)}`, { buddy: bob.body.id });
    const res = await guest.post(
      '/api/collections/users/auth-with-password?expand=buddy&fields=token,record.email,record.expand.buddy.email',
      {
        identity: 'ann@example.com',
        password: 'password-123',
      },
    );
    expect(res.status).toBe(200);
    // Bob's record is expanded (his viewRule lets his buddy see it) but his email stays hidden.
    const withId = await guest.post(
      '/api/collections/users/auth-with-password?expand=buddy&fields=record.expand.buddy.id',
      { identity: 'ann@example.com', password: 'password-123' },
    );
    expect(withId.body).toEqual({ record: { expand: { buddy: { id: bob.body.id } } } });
    expect(res.body.record).toEqual({ email: 'ann@example.com', expand: { buddy: {} } });
    expect(typeof res.body.token).toBe('string');
  });
});
