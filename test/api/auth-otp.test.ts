import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccount,
  expectNoMoreMail,
  otpOf,
  sdkFailure,
  startMailWorld,
  storedRow,
  waitForMail,
  type MailWorld,
} from '../helpers/account-mail.js';

const OTP_INVALID = 'Invalid or expired OTP.';

describe('OTP sign-in (API.md §4)', () => {
  let w: MailWorld;

  beforeAll(async () => {
    w = await startMailWorld();
    await w.admin.collections.update('users', { otp: { enabled: true } });
    await w.admin.collections.update('members', { otp: { enabled: true } });
    // This file fails OTP sign-ins on purpose, all from 127.0.0.1: lift the per-IP failure
    // limit above what it needs (test/api/auth-throttle.test.ts covers the limit itself).
    await w.live.app.settings.update({ authThrottle: { maxFailuresPerIP: 1000 } });
  });
  afterAll(async () => {
    await w.close();
  });

  /** Requests an OTP for `email` and returns its id and the mailed password. */
  async function requestOtp(email: string, collection = 'users') {
    const before = w.sink.received.length;
    const { otpId } = await w.client().collection(collection).requestOTP(email);
    const mail = await waitForMail(w.sink, before + 1);
    expect(mail.envelopeTo).toEqual([email]);
    return { otpId, password: otpOf(mail) };
  }

  async function otpRows(recordId: string) {
    return w.live.app.db.db
      .selectFrom('_otps')
      .selectAll()
      .where('recordRef', '=', recordId)
      .execute();
  }

  it('signs in with a mailed OTP once; the OTP is stored hashed and then consumed', async () => {
    const id = await createAccount(w, 'olga@example.com', 'password-123');
    const { otpId, password } = await requestOtp('olga@example.com');
    expect(password).toMatch(/^\d{8}$/);
    const [row] = await otpRows(id);
    expect(row?.id).toBe(otpId);
    expect(row?.sentTo).toBe('olga@example.com');
    expect(String(row?.password)).not.toContain(password);
    expect(String(row?.password)).toMatch(/^\$argon2id\$/);

    const pb = w.client();
    const auth = await pb.collection('users').authWithOTP(otpId, password);
    expect(auth.record.id).toBe(id);
    expect(pb.authStore.isValid).toBe(true);
    expect(await otpRows(id)).toHaveLength(0);
    // Consumed: the same OTP again is refused.
    const again = await w.guest.post('/api/collections/users/auth-with-otp', { otpId, password });
    expect(again.status).toBe(400);
    expect(again.body.message).toBe(OTP_INVALID);
  });

  it('verifies an unverified record the OTP was mailed to and locks out its old password', async () => {
    const id = await createAccount(w, 'ursula@example.com', 'attacker-chosen-1');
    const squatter = w.client();
    await squatter.collection('users').authWithPassword('ursula@example.com', 'attacker-chosen-1');
    const { otpId, password } = await requestOtp('ursula@example.com');
    const auth = await w.client().collection('users').authWithOTP(otpId, password);
    expect(auth.record.verified).toBe(true);
    expect((await storedRow(w, 'users', id)).verified).toBeTruthy();
    // Whoever registered the address first no longer gets in, nor keeps a session.
    const failed = await sdkFailure(
      w.client().collection('users').authWithPassword('ursula@example.com', 'attacker-chosen-1'),
    );
    expect(failed.status).toBe(400);
    const refresh = await w.guest
      .as(squatter.authStore.token)
      .post('/api/collections/users/auth-refresh', {});
    expect(refresh.status).toBe(401);
    // The token just issued stays valid.
    const mine = await w.guest.as(auth.token).post('/api/collections/users/auth-refresh', {});
    expect(mine.status).toBe(200);
  });

  it('answers an unknown email like a known one, and sends nothing', async () => {
    const before = w.sink.received.length;
    const res = await w.guest.post('/api/collections/users/request-otp', {
      email: 'nobody@example.com',
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['otpId']);
    expect(res.body.otpId).toMatch(/^[a-z0-9]{15}$/);
    await expectNoMoreMail(w.sink, before);
    const auth = await w.guest.post('/api/collections/users/auth-with-otp', {
      otpId: res.body.otpId,
      password: '12345678',
    });
    expect(auth.status).toBe(400);
    expect(auth.body.message).toBe(OTP_INVALID);
  });

  it('answers 429 after five attempts at one record within the window, even with the right OTP', async () => {
    await createAccount(w, 'greta@example.com', 'password-123');
    const { otpId, password } = await requestOtp('greta@example.com');
    const wrong = password === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 5; i++) {
      const res = await w.guest.post('/api/collections/users/auth-with-otp', {
        otpId,
        password: wrong,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(OTP_INVALID);
    }
    const blocked = await w.guest.post('/api/collections/users/auth-with-otp', {
      otpId,
      password,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ status: 429, message: 'Too Many Requests.' });
    // A fresh OTP for the same record is still blocked: the limit is per record.
    const second = await requestOtp('greta@example.com');
    const stillBlocked = await sdkFailure(
      w.client().collection('users').authWithOTP(second.otpId, second.password),
    );
    expect(stillBlocked.status).toBe(429);
  });

  it('refuses expired OTPs and OTPs of another collection', async () => {
    const id = await createAccount(w, 'edda@example.com', 'password-123');
    const { otpId, password } = await requestOtp('edda@example.com');
    await w.live.app.db.db
      .updateTable('_otps')
      .set({ created: '2020-01-01 00:00:00.000Z' })
      .where('id', '=', otpId)
      .execute();
    const expired = await w.guest.post('/api/collections/users/auth-with-otp', {
      otpId,
      password,
    });
    expect(expired.status).toBe(400);
    expect(expired.body.message).toBe(OTP_INVALID);

    await createAccount(w, 'edda@example.com', 'password-123', 'members');
    const member = await requestOtp('edda@example.com', 'members');
    const crossed = await w.guest.post('/api/collections/users/auth-with-otp', member);
    expect(crossed.status).toBe(400);
    expect(crossed.body.message).toBe(OTP_INVALID);
    // Still usable where it belongs.
    const ok = await w.client().collection('members').authWithOTP(member.otpId, member.password);
    expect(ok.record.collectionName).toBe('members');
    // The expired one was swept by the next request of the same record.
    await requestOtp('edda@example.com');
    expect((await otpRows(id)).map((r) => r.id)).not.toContain(otpId);
  });

  it('reuses the newest OTP once a record holds ten live ones', async () => {
    const id = await createAccount(w, 'tina@example.com', 'password-123');
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await requestOtp('tina@example.com')).otpId);
    const count = w.sink.received.length;
    const res = await w.guest.post('/api/collections/users/request-otp', {
      email: 'tina@example.com',
    });
    expect(res.status).toBe(200);
    expect(res.body.otpId).toBe(ids[9]);
    await expectNoMoreMail(w.sink, count);
    expect(await otpRows(id)).toHaveLength(10);
  });

  it('answers twelve requests for a known and an unknown email alike, and their OTP ids too', async () => {
    await createAccount(w, 'kim@example.com', 'password-123');
    const before = w.sink.received.length;
    async function twelve(email: string) {
      const answers = [];
      for (let i = 0; i < 12; i++) {
        answers.push(await w.guest.post('/api/collections/users/request-otp', { email }));
      }
      return answers;
    }
    const known = await twelve('kim@example.com');
    const unknown = await twelve('nobody-at-all@example.com');
    /** Per answer: its status, its keys and the index of the first answer with its id. */
    const shape = (answers: typeof known) =>
      answers.map((a) => {
        expect(a.body.otpId).toMatch(/^[a-z0-9]{15}$/);
        return [
          a.status,
          Object.keys(a.body).join(),
          answers.findIndex((b) => b.body.otpId === a.body.otpId),
        ];
      });
    expect(shape(unknown)).toEqual(shape(known));
    expect(shape(known).map(([, , first]) => first)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9]);
    // Ten mails for the known email, none for the unknown one.
    await waitForMail(w.sink, before + 10);
    await expectNoMoreMail(w.sink, before + 10);

    // Wrong guesses at the reused id: 400 five times, then 429, for both.
    async function guesses(otpId: unknown) {
      const statuses = [];
      for (let i = 0; i < 6; i++) {
        const res = await w.guest.post('/api/collections/users/auth-with-otp', {
          otpId,
          password: 'not-the-otp',
        });
        statuses.push(`${String(res.status)} ${String(res.body.message)}`);
      }
      return statuses;
    }
    const knownGuesses = await guesses(known[11]?.body.otpId);
    expect(await guesses(unknown[11]?.body.otpId)).toEqual(knownGuesses);
    expect(knownGuesses).toEqual([
      ...Array<string>(5).fill(`400 ${OTP_INVALID}`),
      '429 Too Many Requests.',
    ]);
  });

  it('sweeps a collection’s expired OTPs, those of unknown emails included', async () => {
    const sweepers = await w.admin.collections.create({
      name: 'sweepers',
      type: 'auth',
      otp: { enabled: true },
    });
    const row = (id: string, created: string) => ({
      id,
      collectionRef: sweepers.id,
      recordRef: 'standin00000001',
      password: 'x',
      sentTo: 'gone@example.com',
      created,
      updated: created,
    });
    const db = w.live.app.db.db;
    await db
      .insertInto('_otps')
      .values([
        row('expiredotp00001', '2020-01-01 00:00:00.000Z'),
        row('liveotp00000001', '2999-01-01 00:00:00.000Z'),
      ])
      .execute();
    // The collection's first OTP request sweeps; later ones within a minute do not.
    const res = await w.guest.post('/api/collections/sweepers/request-otp', {
      email: 'ghost@example.com',
    });
    expect(res.status).toBe(200);
    const ids = await db
      .selectFrom('_otps')
      .select('id')
      .where('collectionRef', '=', sweepers.id)
      .execute();
    expect(ids.map((r) => r.id).sort()).toEqual([String(res.body.otpId), 'liveotp00000001'].sort());
  });

  it('uses the configured length and template', async () => {
    await w.admin.collections.update('members', {
      otp: {
        length: 4,
        emailTemplate: { subject: 'Code for {APP_NAME}', body: '<p><strong>{OTP}</strong></p>' },
      },
    });
    await createAccount(w, 'lena@example.com', 'password-123', 'members');
    const { password } = await requestOtp('lena@example.com', 'members');
    expect(password).toMatch(/^\d{4}$/);
    expect(w.sink.received.at(-1)?.parsed.subject).toBe('Code for Basalt');
  });

  it('answers 403 on both routes when OTP is disabled, and bad input with 400', async () => {
    await w.admin.collections.update('members', { otp: { enabled: false } });
    for (const path of ['request-otp', 'auth-with-otp']) {
      const res = await w.guest.post(`/api/collections/members/${path}`, {
        email: 'a@example.com',
        otpId: 'x',
        password: 'y',
      });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe(
        'The collection is not configured to allow OTP authentication.',
      );
    }
    await w.admin.collections.update('members', { otp: { enabled: true } });

    const missing = await w.guest.post('/api/collections/users/auth-with-otp', {});
    expect(missing.status).toBe(400);
    expect(missing.body.data).toMatchObject({
      otpId: { code: 'validation_required' },
      password: { code: 'validation_required' },
    });
    const huge = await w.guest.post('/api/collections/users/auth-with-otp', {
      otpId: 'x'.repeat(5000),
      password: '1'.repeat(5000),
    });
    expect(huge.status).toBe(400);
    const typed = await w.guest.post('/api/collections/users/auth-with-otp', {
      otpId: 12,
      password: ['1'],
    });
    expect(typed.status).toBe(400);
    const badEmail = await w.guest.post('/api/collections/users/request-otp', { email: 'no' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.data).toMatchObject({ email: { code: 'validation_is_email' } });
    const notAuth = await w.guest.post('/api/collections/nope/request-otp', { email: 'a@b.co' });
    expect(notAuth.status).toBe(404);
  });

  it('drops a record’s OTPs with the record, and hides them from guests', async () => {
    const id = await createAccount(w, 'dora@example.com', 'password-123');
    const { otpId } = await requestOtp('dora@example.com');
    const guestView = await w.guest.get(`/api/collections/_otps/records/${otpId}`);
    expect(guestView.status).toBe(404);
    const asAdmin = await w.admin.collection('_otps').getOne(otpId);
    // Even superusers never see the hash.
    expect(asAdmin.password ?? '').toBe('');
    expect(asAdmin.sentTo).toBe('dora@example.com');
    await w.admin.collection('users').delete(id);
    expect(await otpRows(id)).toHaveLength(0);
    const after = await sdkFailure(w.client().collection('users').authWithOTP(otpId, '12345678'));
    expect(after.status).toBe(400);
  });

  it('lets only one of two racing sign-ins use an OTP', async () => {
    await createAccount(w, 'rory@example.com', 'password-123');
    const { otpId, password } = await requestOtp('rory@example.com');
    const results = await Promise.allSettled([
      w.client().collection('users').authWithOTP(otpId, password),
      w.client().collection('users').authWithOTP(otpId, password),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason instanceof ClientResponseError).toBe(
      true,
    );
  });
});
