import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccount,
  otpOf,
  sdkFailure,
  startMailWorld,
  waitForMail,
  type MailWorld,
} from '../helpers/account-mail.js';

const PASSWORD_AUTH = '/api/collections/users/auth-with-password';
const OTP_AUTH = '/api/collections/users/auth-with-otp';

/** The `mfaId` of a 401 that asks for a second factor. */
async function mfaIdOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof ClientResponseError)) throw error;
    expect(error.status).toBe(401);
    expect(Object.keys(error.response)).toEqual(['mfaId']);
    return String(error.response.mfaId);
  }
  throw new Error('no second factor was asked for');
}

describe('multi-factor authentication (API.md §4)', () => {
  let w: MailWorld;

  beforeAll(async () => {
    w = await startMailWorld();
    await w.admin.collections.update('users', {
      otp: { enabled: true },
      mfa: { enabled: true },
    });
  });
  afterAll(async () => {
    await w.close();
  });

  async function otpFor(email: string): Promise<{ otpId: string; password: string }> {
    const before = w.sink.received.length;
    const { otpId } = await w.client().collection('users').requestOTP(email);
    const mail = await waitForMail(w.sink, before + 1);
    return { otpId, password: otpOf(mail) };
  }

  it('asks for a second, different method and then signs in', async () => {
    const id = await createAccount(w, 'mia@example.com', 'password-123');
    const pb = w.client();
    const mfaId = await mfaIdOf(
      pb.collection('users').authWithPassword('mia@example.com', 'password-123'),
    );
    expect(pb.authStore.isValid).toBe(false);
    const rows = await w.live.app.db.db
      .selectFrom('_mfas')
      .selectAll()
      .where('id', '=', mfaId)
      .execute();
    expect(rows[0]).toMatchObject({ recordRef: id, method: 'password' });

    // The same method again is not a second factor.
    const same = await w.guest.post(PASSWORD_AUTH, {
      identity: 'mia@example.com',
      password: 'password-123',
      mfaId,
    });
    expect(same.status).toBe(400);
    expect(same.body.message).toBe('A different authentication method is required.');

    // The SDK sends mfaId as a query parameter.
    const otp = await otpFor('mia@example.com');
    const auth = await pb.collection('users').authWithOTP(otp.otpId, otp.password, { mfaId });
    expect(auth.record.id).toBe(id);
    expect(pb.authStore.isValid).toBe(true);
    // One MFA session completes one sign-in.
    const next = await otpFor('mia@example.com');
    const reused = await w.guest.post(OTP_AUTH, { ...next, mfaId });
    expect(reused.status).toBe(400);
    expect(reused.body.message).toBe('Invalid or expired MFA session.');
  });

  it('takes the OTP first and the password second', async () => {
    await createAccount(w, 'noor@example.com', 'password-123');
    const otp = await otpFor('noor@example.com');
    const mfaId = await mfaIdOf(
      w.client().collection('users').authWithOTP(otp.otpId, otp.password),
    );
    const res = await w.guest.post(PASSWORD_AUTH, {
      identity: 'noor@example.com',
      password: 'password-123',
      mfaId,
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['record', 'token']);
  });

  it('refuses an MFA session of another record, an expired one and an unknown one', async () => {
    await createAccount(w, 'omar@example.com', 'password-123');
    await createAccount(w, 'pia@example.com', 'password-123');
    const omars = await mfaIdOf(
      w.client().collection('users').authWithPassword('omar@example.com', 'password-123'),
    );
    const otp = await otpFor('pia@example.com');
    const crossed = await w.guest.post(OTP_AUTH, { ...otp, mfaId: omars });
    expect(crossed.status).toBe(400);
    expect(crossed.body.message).toBe('Invalid MFA session.');

    const unknown = await w.guest.post(PASSWORD_AUTH, {
      identity: 'pia@example.com',
      password: 'password-123',
      mfaId: 'nosuchsession00',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('Invalid or expired MFA session.');

    const pias = await mfaIdOf(
      w.client().collection('users').authWithPassword('pia@example.com', 'password-123'),
    );
    await w.live.app.db.db
      .updateTable('_mfas')
      .set({ created: '2020-01-01 00:00:00.000Z' })
      .where('id', '=', pias)
      .execute();
    const fresh = await otpFor('pia@example.com');
    const expired = await w.guest.post(OTP_AUTH, { ...fresh, mfaId: pias });
    expect(expired.status).toBe(400);
    expect(expired.body.message).toBe('Invalid or expired MFA session.');
    // A wrong first factor never opens a session.
    const wrong = await sdkFailure(
      w.client().collection('users').authWithPassword('pia@example.com', 'wrong-password'),
    );
    expect(wrong.status).toBe(400);
  });

  it('applies only where mfa.rule matches', async () => {
    await w.admin.collections.update('users', { mfa: { rule: "email ~ '@corp.example.com'" } });
    try {
      await createAccount(w, 'quinn@example.com', 'password-123');
      await createAccount(w, 'rhea@corp.example.com', 'password-123');
      const direct = await w
        .client()
        .collection('users')
        .authWithPassword('quinn@example.com', 'password-123');
      expect(direct.token).toBeTruthy();
      await mfaIdOf(
        w.client().collection('users').authWithPassword('rhea@corp.example.com', 'password-123'),
      );
    } finally {
      await w.admin.collections.update('users', { mfa: { rule: '' } });
    }
  });

  it('needs two enabled methods to turn MFA on', async () => {
    const failed = await sdkFailure(
      w.admin.collections.update('members', { mfa: { enabled: true } }),
    );
    expect(failed.status).toBe(400);
    expect(failed.data).toMatchObject({ mfa: { enabled: { code: 'validation_invalid_value' } } });
    const members = await w.admin.collections.getOne('members');
    expect(members).toMatchObject({ mfa: { enabled: false } });
  });
});

describe('authRule (API.md §3.3)', () => {
  let w: MailWorld;

  beforeAll(async () => {
    w = await startMailWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('lets in only records that satisfy it, on sign-in and on refresh', async () => {
    const id = await createAccount(w, 'sam@example.com', 'password-123');
    const pb = w.client();
    await pb.collection('users').authWithPassword('sam@example.com', 'password-123');
    await w.admin.collections.update('users', { authRule: 'verified = true' });
    try {
      const denied = await w.guest.post('/api/collections/users/auth-with-password', {
        identity: 'sam@example.com',
        password: 'password-123',
      });
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe(
        "The request doesn't satisfy the collection requirements to authenticate.",
      );
      const refresh = await sdkFailure(pb.collection('users').authRefresh());
      expect(refresh.status).toBe(403);
      await w.admin.collection('users').update(id, { verified: true });
      await w.client().collection('users').authWithPassword('sam@example.com', 'password-123');
      await w.admin.collections.update('users', { authRule: null });
      const locked = await sdkFailure(
        w.client().collection('users').authWithPassword('sam@example.com', 'password-123'),
      );
      expect(locked.status).toBe(403);
    } finally {
      await w.admin.collections.update('users', { authRule: '' });
    }
  });
});
