import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimsOf,
  createAccount,
  sdkFailure,
  startMailWorld,
  storedRow,
  tamperSignature,
  tokenOf,
  waitForMail,
  type MailWorld,
} from '../helpers/account-mail.js';

const INVALID_TOKEN = { token: { code: 'validation_invalid_token' } };
const CONFIRM = '/api/collections/users/confirm-email-change';
const REQUEST = '/api/collections/users/request-email-change';

describe('email change (API.md §4)', () => {
  let w: MailWorld;

  beforeAll(async () => {
    w = await startMailWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  async function signIn(email: string, collection = 'users') {
    const pb = w.client();
    await pb.collection(collection).authWithPassword(email, 'password-123');
    return pb;
  }

  it('mails the new address and changes the email with the current password', async () => {
    const id = await createAccount(w, 'eve@example.com', 'password-123');
    const pb = await signIn('eve@example.com');
    const oldAuth = pb.authStore.token;
    const before = w.sink.received.length;
    expect(await pb.collection('users').requestEmailChange('eve.new@example.com')).toBe(true);
    const mail = await waitForMail(w.sink, before + 1);
    expect(mail.envelopeTo).toEqual(['eve.new@example.com']);
    const token = tokenOf(mail);
    expect(claimsOf(token)).toMatchObject({
      id,
      type: 'emailChange',
      email: 'eve@example.com',
      newEmail: 'eve.new@example.com',
    });
    const wrong = await sdkFailure(
      w.client().collection('users').confirmEmailChange(token, 'not-the-password'),
    );
    expect(wrong.status).toBe(400);
    expect((await storedRow(w, 'users', id)).email).toBe('eve@example.com');
    expect(await w.client().collection('users').confirmEmailChange(token, 'password-123')).toBe(
      true,
    );
    const user = await w.admin.collection('users').getOne(id);
    expect(user.email).toBe('eve.new@example.com');
    expect(user.verified).toBe(true);
    await signIn('eve.new@example.com');
    expect((await w.guest.as(oldAuth).post('/api/collections/users/auth-refresh', {})).status).toBe(
      401,
    );
    const reused = await w.guest.post(CONFIRM, { token, password: 'password-123' });
    expect(reused.body.data).toMatchObject(INVALID_TOKEN);
  });

  it('validates newEmail and needs an auth token of the same collection', async () => {
    await createAccount(w, 'taken@example.com', 'password-123');
    await createAccount(w, 'max@example.com', 'password-123');
    await createAccount(w, 'mem@example.com', 'password-123', 'members');
    const pb = await signIn('max@example.com');
    const me = w.guest.as(pb.authStore.token);
    const before = w.sink.received.length;
    expect((await w.guest.post(REQUEST, { newEmail: 'free@example.com' })).status).toBe(401);
    const member = await signIn('mem@example.com', 'members');
    expect(
      (await w.guest.as(member.authStore.token).post(REQUEST, { newEmail: 'free@example.com' }))
        .status,
    ).toBe(403);
    const cases: [unknown, string][] = [
      ['taken@example.com', 'validation_not_unique'],
      ['TAKEN@example.com', 'validation_not_unique'],
      ['max@example.com', 'validation_not_unique'],
      ['not-an-email', 'validation_is_email'],
      ['', 'validation_required'],
      [`${'a'.repeat(300)}@example.com`, 'validation_max_text_constraint'],
    ];
    for (const [newEmail, code] of cases) {
      const res = await me.post(REQUEST, { newEmail });
      expect(res.status).toBe(400);
      expect(res.body.data).toMatchObject({ newEmail: { code } });
    }
    expect(
      (
        await w.guest.post('/api/collections/_superusers/request-email-change', {
          newEmail: 'x@example.com',
        })
      ).status,
    ).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(w.sink.received).toHaveLength(before);
  });

  it('refuses foreign, tampered and other-type tokens, leaving the email unchanged', async () => {
    const id = await createAccount(w, 'ian@example.com', 'password-123');
    const pb = await signIn('ian@example.com');
    const before = w.sink.received.length;
    await pb.collection('users').requestEmailChange('ian.new@example.com');
    const token = tokenOf(await waitForMail(w.sink, before + 1));
    await w.client().collection('users').requestPasswordReset('ian@example.com');
    const resetToken = tokenOf(await waitForMail(w.sink, before + 2));
    for (const bad of [tamperSignature(token), resetToken, pb.authStore.token]) {
      const res = await w.guest.post(CONFIRM, { token: bad, password: 'password-123' });
      expect(res.status).toBe(400);
      expect(res.body.data).toMatchObject(INVALID_TOKEN);
    }
    const foreign = await w.guest.post('/api/collections/members/confirm-email-change', {
      token,
      password: 'password-123',
    });
    expect(foreign.body.data).toMatchObject(INVALID_TOKEN);
    expect(
      (
        await w.guest.post('/api/collections/_superusers/confirm-email-change', {
          token,
          password: 'password-123',
        })
      ).status,
    ).toBe(400);
    expect((await w.guest.post(CONFIRM, { token: 'x'.repeat(5000), password: 'p' })).status).toBe(
      400,
    );
    expect((await storedRow(w, 'users', id)).email).toBe('ian@example.com');
  });
});
