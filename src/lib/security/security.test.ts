import bcrypt from 'bcryptjs';
import { createHmac } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { constantTimeEqual } from './compare.js';
import { crc32Decimal } from './crc32.js';
import { decodeToken, signToken, verifyDecodedToken } from './jwt.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password.js';
import { keyedRecordId } from './keyed-id.js';
import { LOWER_ALPHANUMERIC, newRecordId, randomString } from './random.js';

describe('random strings', () => {
  it('draws from the alphabet with the requested length', () => {
    const id = newRecordId();
    expect(id).toMatch(/^[a-z0-9]{15}$/);
    const ids = new Set(Array.from({ length: 1000 }, () => newRecordId()));
    expect(ids.size).toBe(1000);
    expect(randomString(50)).toMatch(/^[A-Za-z0-9]{50}$/);
  });

  it('uses every character of the alphabet about evenly', () => {
    const counts = new Map<string, number>();
    for (const ch of randomString(36_000, LOWER_ALPHANUMERIC))
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(36);
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
  });
});

describe('keyed record ids', () => {
  it('are record ids, stable per secret and text, and differ with either', () => {
    const id = keyedRecordId('secret-1', 'a@example.com');
    expect(id).toMatch(/^[a-z0-9]{15}$/);
    expect(keyedRecordId('secret-1', 'a@example.com')).toBe(id);
    expect(keyedRecordId('secret-2', 'a@example.com')).not.toBe(id);
    expect(keyedRecordId('secret-1', 'b@example.com')).not.toBe(id);
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => keyedRecordId('s', String(i))));
    expect(ids.size).toBe(1000);
  });
});

describe('constant-time comparison', () => {
  it('compares by content', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('secret', 'secreT')).toBe(false);
    expect(constantTimeEqual('secret', 'secret-longer')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});

describe('collection ids', () => {
  it('matches PocketBase ids', () => {
    expect(`pbc_${crc32Decimal('auth_superusers')}`).toBe('pbc_3142635823');
  });
});

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('hunter2-hunter2');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword('hunter2-hunter2', hash)).toBe(true);
    expect(await verifyPassword('hunter2-hunter3', hash)).toBe(false);
  });

  it('verifies bcrypt hashes imported from PocketBase', async () => {
    const hash = bcrypt.hashSync('imported-pass', 4);
    expect(await verifyPassword('imported-pass', hash)).toBe(true);
    expect(await verifyPassword('other', hash)).toBe(false);
  });

  it('never matches unknown formats', async () => {
    expect(await verifyPassword('plain', 'plain')).toBe(false);
    expect(await verifyPassword('x', '')).toBe(false);
    expect(await verifyAgainstDummy('x')).toBe(false);
  });
});

describe('JWT', () => {
  const key = 'k'.repeat(80);

  it('signs HS256 tokens and verifies them', async () => {
    const token = signToken(
      { id: 'r1', type: 'auth', collectionId: 'c1', refreshable: true },
      key,
      60,
    );
    expect(decodeToken(token)?.claims).toMatchObject({
      id: 'r1',
      type: 'auth',
      collectionId: 'c1',
      refreshable: true,
    });
    expect(verifies(token, key)).toBe(true);
    expect(verifies(token, `${key}x`)).toBe(false);
  });

  it('rejects alg=none, other algorithms, expired tokens and tokens without exp', async () => {
    const claims = { id: 'r1', type: 'auth', collectionId: 'c1' };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: 9999999999 })}.`;
    expect(verifies(none, key)).toBe(false);
    const hs512 = await new SignJWT({ ...claims, exp: 9999999999 })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(key));
    expect(verifies(hs512, key)).toBe(false);
    const expired = await new SignJWT({ ...claims, exp: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(key));
    expect(verifies(expired, key)).toBe(false);
    const noExp = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(key));
    expect(verifies(noExp, key)).toBe(false);
  });

  it('interoperates with jose in both directions', async () => {
    const secret = new TextEncoder().encode(key);
    const ours = signToken({ id: 'r1', type: 'auth', collectionId: 'c1' }, key, 60);
    const verified = await jwtVerify(ours, secret, { algorithms: ['HS256'] });
    expect(verified.payload).toMatchObject({ id: 'r1', type: 'auth', collectionId: 'c1' });
    expect(verified.protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    const theirs = await new SignJWT({ id: 'r2', type: 'auth', collectionId: 'c1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(secret);
    expect(verifies(theirs, key)).toBe(true);
  });

  it('rejects tampered payloads, future nbf, crit headers and malformed signatures', async () => {
    const secret = new TextEncoder().encode(key);
    const token = signToken({ id: 'r1', type: 'auth', collectionId: 'c1' }, key, 60);
    const [header = '', payload = '', signature = ''] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ id: 'admin', type: 'auth', collectionId: 'c1', exp: 9999999999 }),
    ).toString('base64url');
    expect(verifies(`${header}.${forged}.${signature}`, key)).toBe(false);
    expect(verifies(`${header}.${payload}.${signature}=`, key)).toBe(false);
    expect(verifies(`${header}.${payload}.${signature.slice(1)}`, key)).toBe(false);
    expect(verifies(`${header}.${payload}`, key)).toBe(false);
    expect(verifies(`${token}.x`, key)).toBe(false);
    const notYet = await new SignJWT({ id: 'r1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .setNotBefore('10m')
      .sign(secret);
    expect(verifies(notYet, key)).toBe(false);
    // No extension is understood, so any critical one fails the token.
    const critHeader = Buffer.from(JSON.stringify({ alg: 'HS256', crit: ['b64'] })).toString(
      'base64url',
    );
    const critToken = signedWith(critHeader, payload, key);
    expect(verifies(critToken, key)).toBe(false);
    expect(verifies(signedWith(header, payload, key), key)).toBe(true);
  });

  it('remembers a verified signature only with its key, and checks the time claims on every use', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Claims no other test signs, so that this token was never verified before.
      const token = signToken({ id: 'r-cached', type: 'auth', collectionId: 'c1' }, key, 60);
      expect(decodeToken(token)).not.toBe(decodeToken(token));
      expect(verifies(token, key)).toBe(true);
      // Verified once, the decoded token is kept, frozen, and served again.
      const kept = decodeToken(token);
      expect(decodeToken(token)).toBe(kept);
      expect(Object.isFrozen(kept?.claims)).toBe(true);
      expect(verifies(token, key)).toBe(true);
      // A rotated tokenKey (another signing key) fails although the token verified before.
      expect(verifies(token, `${key}x`)).toBe(false);
      expect(verifies(token, key.slice(1))).toBe(false);
      const [header = '', payload = '', signature = ''] = token.split('.');
      const flipped = signature.startsWith('A')
        ? `B${signature.slice(1)}`
        : `A${signature.slice(1)}`;
      expect(verifies(`${header}.${payload}.${flipped}`, key)).toBe(false);
      expect(verifies(token, key)).toBe(true);
      vi.setSystemTime(Date.now() + 61_000);
      expect(verifies(token, key)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads no claims from malformed tokens', () => {
    expect(decodeToken('a.b.c')).toBeUndefined();
    expect(decodeToken('')).toBeUndefined();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(
      decodeToken(`${b64({ alg: 'HS256' })}.${b64({ id: 1, type: 'auth', collectionId: 'c' })}.x`)
        ?.claims,
    ).toBeUndefined();
  });
});

/** Whether `token` decodes and verifies under `key`. */
function verifies(token: string, key: string): boolean {
  const decoded = decodeToken(token);
  return decoded !== undefined && verifyDecodedToken(decoded, key);
}

/** A compact JWS over the given segments, signed HS256 with `key`. */
function signedWith(header: string, payload: string, key: string): string {
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
