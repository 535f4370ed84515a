import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAuthRecord } from '../helpers/users.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let token: string;
/** Queries run since the last reset (the throttle must refuse before any lookup). */
let queries = 0;

beforeAll(async () => {
  t = await createTestApp({
    onQuery: () => {
      queries++;
    },
  });
  token = await superuserToken(t);
  await insertAuthRecord(t.app, 'users', 'alice@example.com', 'alice-password-1');
  await insertAuthRecord(t.app, 'users', 'bob@example.com', 'bob-password-1');
  await insertAuthRecord(t.app, 'users', 'carol@example.com', 'carol-password-1');
});
afterAll(async () => {
  await t.close();
});

/** A sign-in from `ip`; answers `status message`. */
async function signIn(
  ip: string,
  identity: string,
  password: string,
  collection = 'users',
): Promise<string> {
  const res = await t.server.inject({
    method: 'POST',
    url: `/api/collections/${collection}/auth-with-password`,
    remoteAddress: ip,
    payload: { identity, password },
  });
  const body = res.json<{ status?: number; message?: string; data?: unknown; token?: string }>();
  if (res.statusCode === 200) return `200 ${typeof body.token}`;
  expect(body.status).toBe(res.statusCode);
  expect(body.data).toEqual({});
  return `${String(res.statusCode)} ${String(body.message)}`;
}

async function patchSettings(patch: unknown) {
  return t.server.inject({
    method: 'PATCH',
    url: '/api/settings',
    headers: { authorization: token },
    payload: patch as Record<string, unknown>,
  });
}

const FAILED = '400 Failed to authenticate.';
const THROTTLED = '429 Too Many Requests.';
const SIGNED_IN = '200 string';

async function failures(ip: string, identity: string, n: number, collection = 'users') {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await signIn(ip, identity, 'wrong-password', collection));
  return out;
}

describe('failed sign-in throttling (a Basalt addition)', () => {
  it('is on by default, and shown and validated in the settings', async () => {
    const res = await t.server.inject({
      method: 'GET',
      url: '/api/settings',
      headers: { authorization: token },
    });
    expect(res.json<{ authThrottle: unknown }>().authThrottle).toEqual({
      enabled: true,
      maxFailuresPerIdentity: 5,
      maxFailuresPerIP: 20,
      windowSeconds: 60,
    });
  });

  it.each([
    ['a zero identity limit', { maxFailuresPerIdentity: 0 }, 'maxFailuresPerIdentity'],
    ['a fractional IP limit', { maxFailuresPerIP: 2.5 }, 'maxFailuresPerIP'],
    ['a text window', { windowSeconds: '60' }, 'windowSeconds'],
    ['a window over a day', { windowSeconds: 86_401 }, 'windowSeconds'],
    ['a negative window', { windowSeconds: -1 }, 'windowSeconds'],
    ['a text switch', { enabled: 'no' }, 'enabled'],
  ])('refuses %s with 400 and keeps the settings', async (_name, patch, key) => {
    const res = await patchSettings({ authThrottle: patch });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ status: number; data: Record<string, Record<string, unknown>> }>();
    expect(body.status).toBe(400);
    expect(body.data.authThrottle?.[key]).toMatchObject({
      code: expect.stringMatching(/^validation_/) as string,
    });
    expect(t.app.settings.peek().authThrottle).toMatchObject({ enabled: true, windowSeconds: 60 });
  });

  it('refuses a section that is not an object', async () => {
    const res = await patchSettings({ authThrottle: 'off' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ data: unknown }>().data).toMatchObject({
      authThrottle: { code: 'validation_invalid_type' },
    });
  });

  it('answers 429 past the identity limit, even to the right password, until the window passes', async () => {
    expect((await patchSettings({ authThrottle: { windowSeconds: 2 } })).statusCode).toBe(200);
    try {
      expect(await failures('10.1.0.1', 'alice@example.com', 6)).toEqual([
        ...Array<string>(5).fill(FAILED),
        THROTTLED,
      ]);
      // From another IP, in another letter case: the limit is the identity's.
      expect(await signIn('10.1.0.2', 'ALICE@example.com', 'alice-password-1')).toBe(THROTTLED);
      // Refused before any lookup or password hashing.
      queries = 0;
      expect(await signIn('10.1.0.1', 'alice@example.com', 'alice-password-1')).toBe(THROTTLED);
      expect(queries).toBe(0);
      // Other identities are not affected.
      expect(await signIn('10.1.0.1', 'bob@example.com', 'bob-password-1')).toBe(SIGNED_IN);
      await sleep(2_100);
      expect(await signIn('10.1.0.1', 'alice@example.com', 'alice-password-1')).toBe(SIGNED_IN);
      // A success clears the identity's failures.
      expect(await failures('10.1.0.1', 'alice@example.com', 4)).toEqual(
        Array<string>(4).fill(FAILED),
      );
      expect(await signIn('10.1.0.1', 'alice@example.com', 'alice-password-1')).toBe(SIGNED_IN);
      expect(await failures('10.1.0.1', 'alice@example.com', 6)).toEqual([
        ...Array<string>(5).fill(FAILED),
        THROTTLED,
      ]);
    } finally {
      await patchSettings({ authThrottle: { windowSeconds: 60 } });
    }
  });

  it('throttles an unknown identity exactly like a known one', async () => {
    const known = await failures('10.2.0.1', 'carol@example.com', 7);
    const unknown = await failures('10.2.0.2', 'nobody@example.com', 7);
    expect(unknown).toEqual(known);
    expect(known).toEqual([...Array<string>(5).fill(FAILED), THROTTLED, THROTTLED]);
  });

  it('answers 429 past the IP limit for any identity from that IP only', async () => {
    const sprayed: string[] = [];
    for (let i = 0; i < 20; i++) {
      sprayed.push(await signIn('10.3.0.1', `user${String(i)}@example.com`, 'guess-1'));
    }
    expect(sprayed).toEqual(Array<string>(20).fill(FAILED));
    expect(await signIn('10.3.0.1', 'someone-new@example.com', 'guess-1')).toBe(THROTTLED);
    expect(await signIn('10.3.0.1', 'bob@example.com', 'bob-password-1')).toBe(THROTTLED);
    expect(await signIn('10.3.0.2', 'bob@example.com', 'bob-password-1')).toBe(SIGNED_IN);
  });

  it('counts an IPv6 client per /64', async () => {
    const sprayed: string[] = [];
    for (let i = 1; i <= 20; i++) {
      sprayed.push(await signIn(`2001:db8:7:1::${i.toString(16)}`, `v6-${String(i)}@x.io`, 'g-1'));
    }
    expect(sprayed).toEqual(Array<string>(20).fill(FAILED));
    expect(await signIn('2001:db8:7:1:ffff::1', 'v6-new@x.io', 'g-1')).toBe(THROTTLED);
    expect(await signIn('2001:db8:7:2::1', 'bob@example.com', 'bob-password-1')).toBe(SIGNED_IN);
  });

  it('counts successes against nobody, so one IP may sign in many times', async () => {
    for (let i = 0; i < 25; i++) {
      expect(await signIn('10.4.0.1', 'bob@example.com', 'bob-password-1')).toBe(SIGNED_IN);
    }
  });

  it('throttles the superuser sign-in and failed OTP sign-ins too', async () => {
    expect(await failures('10.5.0.1', 'admin@example.com', 6, '_superusers')).toEqual([
      ...Array<string>(5).fill(FAILED),
      THROTTLED,
    ]);
    const users = await t.server.inject({
      method: 'PATCH',
      url: '/api/collections/users',
      headers: { authorization: token },
      payload: { otp: { enabled: true } },
    });
    expect(users.statusCode).toBe(200);
    const otp: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await t.server.inject({
        method: 'POST',
        url: '/api/collections/users/auth-with-otp',
        remoteAddress: '10.5.0.3',
        payload: { otpId: `unknown${String(i)}`, password: '12345678' },
      });
      otp.push(res.statusCode);
    }
    // Unknown OTP ids: 400 after a dummy password check, counted against the IP.
    expect(otp).toEqual([...Array<number>(20).fill(400), 429]);
  });

  it('can be switched off', async () => {
    expect((await patchSettings({ authThrottle: { enabled: false } })).statusCode).toBe(200);
    try {
      expect(await failures('10.6.0.1', 'alice@example.com', 25)).toEqual(
        Array<string>(25).fill(FAILED),
      );
      expect(await signIn('10.6.0.1', 'alice@example.com', 'alice-password-1')).toBe(SIGNED_IN);
    } finally {
      await patchSettings({ authThrottle: { enabled: true } });
    }
  });
});
