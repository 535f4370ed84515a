import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSuperuser, setSuperuserPassword } from '../../src/core/auth/superuser-admin.js';
import { insertAuthRecord } from '../helpers/users.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
  await createSuperuser(t.app, 'admin@example.com', 'admin-password-1');
});
afterEach(async () => {
  await t.close();
});

async function login(collection: string, identity: unknown, password: unknown) {
  return t.server.inject({
    method: 'POST',
    url: `/api/collections/${collection}/auth-with-password`,
    payload: { identity, password },
  });
}

function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('auth-with-password', () => {
  it('returns a token with the claims of API.md §4 and the record', async () => {
    const res = await login('_superusers', 'admin@example.com', 'admin-password-1');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ token: string; record: Record<string, unknown> }>();
    expect(Object.keys(body)).toEqual(['record', 'token']);
    expect(body.record).toMatchObject({
      collectionId: 'pbc_3142635823',
      collectionName: '_superusers',
      email: 'admin@example.com',
      verified: true,
    });
    expect(body.record).not.toHaveProperty('password');
    expect(body.record).not.toHaveProperty('tokenKey');
    const header = JSON.parse(
      Buffer.from(body.token.split('.')[0]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(header.alg).toBe('HS256');
    const claims = decodeClaims(body.token);
    expect(Object.keys(claims).sort()).toEqual([
      'collectionId',
      'exp',
      'id',
      'refreshable',
      'type',
    ]);
    expect(claims).toMatchObject({
      id: body.record.id,
      type: 'auth',
      collectionId: 'pbc_3142635823',
      refreshable: true,
    });
    const lifetime = Number(claims.exp) - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan(86400 - 60);
    expect(lifetime).toBeLessThanOrEqual(86400);
  });

  it('answers the same 400 for a wrong password and an unknown identity', async () => {
    const wrong = await login('_superusers', 'admin@example.com', 'not-the-password');
    const unknown = await login('_superusers', 'nobody@example.com', 'admin-password-1');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ data: {}, message: 'Failed to authenticate.', status: 400 });
    }
  });

  it('validates the form', async () => {
    const res = await login('_superusers', '', 42);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      message: 'An error occurred while validating the submitted data.',
      data: {
        identity: { code: 'validation_required' },
        password: { code: 'validation_is_string' },
      },
    });
    const long = await login('_superusers', 'a'.repeat(10_000), 'x');
    expect(long.statusCode).toBe(400);
  });

  it('answers 404 for unknown and non-auth collections', async () => {
    await t.app.db.db.selectFrom('_collections').selectAll().execute();
    const missing = await login('nope', 'a@b.co', 'x');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ message: 'Missing or invalid collection context.' });
  });

  it('refuses password auth when the collection disables it', async () => {
    const c = t.app.collections.findAuth('users')!;
    const { updateCollection } = await import('../../src/core/collection/collection-service.js');
    await updateCollection(t.app, c.id, { passwordAuth: { enabled: false } });
    const res = await login('users', 'a@example.com', 'whatever-123');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      message: 'The collection is not configured to allow password authentication.',
    });
  });

  it('logs users in and shows the own email only to the record itself', async () => {
    await insertAuthRecord(t.app, 'users', 'ann@example.com', 'ann-password-1');
    const res = await login('users', 'ann@example.com', 'ann-password-1');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ record: Record<string, unknown> }>();
    expect(body.record).toMatchObject({
      email: 'ann@example.com',
      emailVisibility: false,
      name: '',
      avatar: '',
    });
    expect(Object.keys(body.record)).toEqual([...Object.keys(body.record)].sort());
  });
});

describe('tokens on requests', () => {
  async function superuserToken(): Promise<string> {
    return (await login('_superusers', 'admin@example.com', 'admin-password-1')).json<{
      token: string;
    }>().token;
  }

  async function collectionsStatus(authorization?: string): Promise<number> {
    const res = await t.server.inject({
      method: 'GET',
      url: '/api/collections',
      headers: authorization ? { authorization } : {},
    });
    return res.statusCode;
  }

  it('accepts the raw token and the Bearer form', async () => {
    const token = await superuserToken();
    expect(await collectionsStatus(token)).toBe(200);
    expect(await collectionsStatus(`Bearer ${token}`)).toBe(200);
    expect(await collectionsStatus(`bearer ${token}`)).toBe(200);
  });

  it('treats invalid tokens as guests, never as 401 by themselves', async () => {
    const token = await superuserToken();
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = decodeClaims(token);
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: Number(claims.exp) + 999 })).toString('base64url')}.${s}`;
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    const expired = await new SignJWT({ ...claims, exp: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('guess'));
    for (const bad of [tampered, none, expired, 'garbage', `${h}.${p}`]) {
      expect(await collectionsStatus(bad)).toBe(401);
    }
    const health = await t.server.inject({
      method: 'GET',
      url: '/api/health',
      headers: { authorization: 'garbage' },
    });
    expect(health.statusCode).toBe(200);
  });

  it('refuses other algorithms even when signed with the genuine key (algorithm confusion)', async () => {
    const token = await superuserToken();
    const claims = decodeClaims(token);
    const superusers = t.app.collections.findAuth('_superusers');
    if (!superusers) throw new Error('no superusers');
    const row = await t.app.db.db
      .selectFrom('_superusers')
      .select('tokenKey')
      .where('id', '=', String(claims.id))
      .executeTakeFirstOrThrow();
    const key = new TextEncoder().encode(String(row.tokenKey) + superusers.authToken.secret);
    // The genuine key and algorithm work, so the refusals below are about the algorithm alone.
    const genuine = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
    expect(await collectionsStatus(genuine)).toBe(200);
    for (const alg of ['HS384', 'HS512']) {
      const other = await new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
      expect(await collectionsStatus(other)).toBe(401);
    }
    // An asymmetric header over an HMAC signature (the classic public-key-as-secret trick).
    const [, p, sig] = genuine.split('.') as [string, string, string];
    for (const alg of ['RS256', 'ES256', 'PS256', 'EdDSA']) {
      const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
      expect(await collectionsStatus(`${header}.${p}.${sig}`)).toBe(401);
    }
  });

  it('invalidates every token when the password changes (tokenKey rotation)', async () => {
    const token = await superuserToken();
    await setSuperuserPassword(t.app, 'admin@example.com', 'new-password-22');
    expect(await collectionsStatus(token)).toBe(401);
  });

  it('refreshes a token for the same collection only', async () => {
    const token = await superuserToken();
    const refresh = await t.server.inject({
      method: 'POST',
      url: '/api/collections/_superusers/auth-refresh',
      headers: { authorization: token },
    });
    expect(refresh.statusCode).toBe(200);
    const body = refresh.json<{ token: string; record: { email: string } }>();
    expect(body.record.email).toBe('admin@example.com');
    expect(decodeClaims(body.token)).toMatchObject({ type: 'auth', refreshable: true });
    const other = await t.server.inject({
      method: 'POST',
      url: '/api/collections/users/auth-refresh',
      headers: { authorization: token },
    });
    expect(other.statusCode).toBe(403);
    const guest = await t.server.inject({
      method: 'POST',
      url: '/api/collections/_superusers/auth-refresh',
    });
    expect(guest.statusCode).toBe(401);
  });

  it('shows superusers the client IP on /api/health', async () => {
    const res = await t.server.inject({
      method: 'GET',
      url: '/api/health',
      headers: { authorization: await superuserToken() },
    });
    expect(res.json()).toMatchObject({
      code: 200,
      message: 'API is healthy.',
      data: { realIP: '127.0.0.1' },
    });
  });
});
