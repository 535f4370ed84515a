import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimsOf,
  createAccount,
  expectNoMoreMail,
  expiredToken,
  sdkFailure,
  startMailWorld,
  tamperSignature,
  tokenOf,
  waitForMail,
  type MailWorld,
} from '../helpers/account-mail.js';

const INVALID_TOKEN = { token: { code: 'validation_invalid_token' } };

describe('email verification (API.md §4)', () => {
  let w: MailWorld;

  beforeAll(async () => {
    w = await startMailWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('mails a verification token and confirms it', async () => {
    const id = await createAccount(w, 'vera@example.com', 'password-123');
    const pb = w.client();
    expect(await pb.collection('users').requestVerification('vera@example.com')).toBe(true);
    const mail = await waitForMail(w.sink, 1);
    expect(mail.envelopeTo).toEqual(['vera@example.com']);
    expect(mail.parsed.subject).toBe('Verify your Basalt email');
    const token = tokenOf(mail);
    expect(claimsOf(token)).toMatchObject({
      id,
      type: 'verification',
      email: 'vera@example.com',
      collectionId: '_pb_users_auth_',
    });
    // A verification token is no auth token: the request stays a guest one.
    expect((await w.guest.as(token).post('/api/collections/users/auth-refresh', {})).status).toBe(
      401,
    );
    expect(await pb.collection('users').confirmVerification(token)).toBe(true);
    expect((await w.admin.collection('users').getOne(id)).verified).toBe(true);
    // Verified now: asking again sends nothing.
    expect(await pb.collection('users').requestVerification('vera@example.com')).toBe(true);
    await expectNoMoreMail(w.sink, 1);
  });

  it('answers unknown, verified and known emails the same way', async () => {
    await createAccount(w, 'known@example.com', 'password-123');
    const before = w.sink.received.length;
    const url = '/api/collections/users/request-verification';
    const known = await w.guest.post(url, { email: 'known@example.com' });
    const unknown = await w.guest.post(url, { email: 'nobody@example.com' });
    const verified = await w.guest.post(url, { email: 'vera@example.com' });
    for (const res of [known, unknown, verified]) {
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    }
    await waitForMail(w.sink, before + 1);
    await expectNoMoreMail(w.sink, before + 1);
  });

  it('refuses tampered, expired, foreign and stale tokens, leaving the record unverified', async () => {
    const id = await createAccount(w, 'tam@example.com', 'password-123');
    const before = w.sink.received.length;
    await w.client().collection('users').requestVerification('tam@example.com');
    const token = tokenOf(await waitForMail(w.sink, before + 1));
    const url = '/api/collections/users/confirm-verification';
    const tampered = tamperSignature(token);
    const expired = await expiredToken(w, id, 'verification');
    const authToken = (
      await w.client().collection('users').authWithPassword('tam@example.com', 'password-123')
    ).token;
    for (const bad of [tampered, expired, authToken, 'not-a-token']) {
      const res = await w.guest.post(url, { token: bad });
      expect(res.status).toBe(400);
      expect(res.body.data).toMatchObject(INVALID_TOKEN);
    }
    // Another collection's confirm route does not take it, nor does _superusers.
    const members = await w.guest.post('/api/collections/members/confirm-verification', { token });
    expect(members.body.data).toMatchObject(INVALID_TOKEN);
    expect(
      (await w.guest.post('/api/collections/_superusers/confirm-verification', { token })).status,
    ).toBe(400);
    expect(
      (
        await w.guest.post('/api/collections/_superusers/request-verification', {
          email: 'root@example.com',
        })
      ).status,
    ).toBe(400);
    // Oversized input.
    const huge = await w.guest.post(url, { token: 'x'.repeat(5000) });
    expect(huge.status).toBe(400);
    expect(
      (
        await w.guest.post('/api/collections/users/request-verification', {
          email: `${'a'.repeat(300)}@example.com`,
        })
      ).status,
    ).toBe(400);
    expect((await w.admin.collection('users').getOne(id)).verified).toBe(false);
    // Once the email changes, the token (which names the old one) is dead.
    await w.admin.collection('users').update(id, { email: 'tam2@example.com' });
    const stale = await sdkFailure(w.client().collection('users').confirmVerification(token));
    expect(stale).toMatchObject({ status: 400, data: INVALID_TOKEN });
    expect((await w.admin.collection('users').getOne(id)).verified).toBe(false);
  });
});
