import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimsOf,
  createAccount,
  expectNoMoreMail,
  expiredToken,
  sdkFailure,
  startMailWorld,
  storedRow,
  tamperSignature,
  tokenOf,
  waitForMail,
  type MailWorld,
} from '../helpers/account-mail.js';

const INVALID_TOKEN = { token: { code: 'validation_invalid_token' } };
const RESET = '/api/collections/users/confirm-password-reset';

describe('password reset (API.md §4)', () => {
  let w: MailWorld;

  beforeAll(async () => {
    w = await startMailWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  async function confirmReset(token: string): Promise<void> {
    const pb = w.client();
    expect(
      await pb.collection('users').confirmPasswordReset(token, 'brand-new-pass', 'brand-new-pass'),
    ).toBe(true);
  }

  async function resetToken(email: string): Promise<string> {
    const before = w.sink.received.length;
    expect(await w.client().collection('users').requestPasswordReset(email)).toBe(true);
    return tokenOf(await waitForMail(w.sink, before + 1));
  }

  it('resets the password, verifies the record and ends every old token', async () => {
    const id = await createAccount(w, 'rita@example.com', 'password-123');
    const pb = w.client();
    const oldAuth = (
      await pb.collection('users').authWithPassword('rita@example.com', 'password-123')
    ).token;
    // Used once before the reset, so its verified signature is remembered (jwt.ts).
    expect((await w.guest.as(oldAuth).post('/api/collections/users/auth-refresh', {})).status).toBe(
      200,
    );
    const token = await resetToken('rita@example.com');
    expect(w.sink.received.at(-1)?.envelopeTo).toEqual(['rita@example.com']);
    expect(claimsOf(token)).toMatchObject({ id, type: 'passwordReset', email: 'rita@example.com' });
    // A repeat within two minutes still answers 204 but sends nothing.
    const count = w.sink.received.length;
    expect(await pb.collection('users').requestPasswordReset('rita@example.com')).toBe(true);
    await expectNoMoreMail(w.sink, count);

    await confirmReset(token);
    const user = await w.admin.collection('users').getOne(id);
    expect(user.verified).toBe(true);
    await w.client().collection('users').authWithPassword('rita@example.com', 'brand-new-pass');
    expect(
      (
        await sdkFailure(
          w.client().collection('users').authWithPassword('rita@example.com', 'password-123'),
        )
      ).status,
    ).toBe(400);
    // The old session and the used reset token are dead (the tokenKey rotated).
    expect((await w.guest.as(oldAuth).post('/api/collections/users/auth-refresh', {})).status).toBe(
      401,
    );
    const reused = await w.guest.post(RESET, {
      token,
      password: 'another-pass-1',
      passwordConfirm: 'another-pass-1',
    });
    expect(reused.status).toBe(400);
    expect(reused.body.data).toMatchObject(INVALID_TOKEN);
    await w.client().collection('users').authWithPassword('rita@example.com', 'brand-new-pass');
  });

  it('answers unknown emails exactly like known ones', async () => {
    await createAccount(w, 'kim@example.com', 'password-123');
    const url = '/api/collections/users/request-password-reset';
    const before = w.sink.received.length;
    const known = await w.guest.post(url, { email: 'kim@example.com' });
    const unknown = await w.guest.post(url, { email: 'ghost@example.com' });
    expect(unknown.status).toBe(known.status);
    expect(unknown.text).toBe(known.text);
    expect(known.status).toBe(204);
    await waitForMail(w.sink, before + 1);
    await expectNoMoreMail(w.sink, before + 1);
  });

  it('refuses bad tokens and bad passwords, leaving the password unchanged', async () => {
    const id = await createAccount(w, 'bob@example.com', 'password-123');
    const token = await resetToken('bob@example.com');
    const row = await storedRow(w, 'users', id);
    const expired = await expiredToken(w, id, 'passwordReset');
    const authToken = (
      await w.client().collection('users').authWithPassword('bob@example.com', 'password-123')
    ).token;
    const memberId = await createAccount(w, 'bob@example.com', 'password-123', 'members');
    expect(memberId).not.toBe(id);
    const before = w.sink.received.length;
    await w.client().collection('members').requestPasswordReset('bob@example.com');
    const memberToken = tokenOf(await waitForMail(w.sink, before + 1));
    const tampered = tamperSignature(token);
    for (const bad of [tampered, expired, authToken, memberToken]) {
      const res = await w.guest.post(RESET, {
        token: bad,
        password: 'brand-new-pass',
        passwordConfirm: 'brand-new-pass',
      });
      expect(res.status).toBe(400);
      expect(res.body.data).toMatchObject(INVALID_TOKEN);
    }
    const mismatch = await w.guest.post(RESET, {
      token,
      password: 'brand-new-pass',
      passwordConfirm: 'other-pass-123',
    });
    expect(mismatch.body.data).toMatchObject({
      passwordConfirm: { code: 'validation_values_mismatch' },
    });
    const short = await w.guest.post(RESET, { token, password: 'short', passwordConfirm: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.data).toHaveProperty('password');
    const huge = 'p'.repeat(1000);
    expect(
      (await w.guest.post(RESET, { token, password: huge, passwordConfirm: huge })).status,
    ).toBe(400);
    expect((await storedRow(w, 'users', id)).password).toBe(row.password);
    expect((await storedRow(w, 'users', id)).tokenKey).toBe(row.tokenKey);
    await w.client().collection('users').authWithPassword('bob@example.com', 'password-123');
    // The genuine token still works after all that.
    await confirmReset(token);
  });

  it('is refused when password auth is disabled', async () => {
    await w.admin.collections.update('members', { passwordAuth: { enabled: false } });
    const res = await w.guest.post('/api/collections/members/request-password-reset', {
      email: 'bob@example.com',
    });
    expect(res.status).toBe(400);
  });
});
