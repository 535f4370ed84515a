import bcrypt from 'bcryptjs';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from './compare.js';
import { crc32Decimal } from './crc32.js';
import { readUnverifiedClaims, signToken, verifyTokenSignature } from './jwt.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password.js';
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
    const token = await signToken(
      { id: 'r1', type: 'auth', collectionId: 'c1', refreshable: true },
      key,
      60,
    );
    expect(readUnverifiedClaims(token)).toMatchObject({
      id: 'r1',
      type: 'auth',
      collectionId: 'c1',
      refreshable: true,
    });
    expect(await verifyTokenSignature(token, key)).toBe(true);
    expect(await verifyTokenSignature(token, `${key}x`)).toBe(false);
  });

  it('rejects alg=none, other algorithms, expired tokens and tokens without exp', async () => {
    const claims = { id: 'r1', type: 'auth', collectionId: 'c1' };
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: 9999999999 })}.`;
    expect(await verifyTokenSignature(none, key)).toBe(false);
    const hs512 = await new SignJWT({ ...claims, exp: 9999999999 })
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(key));
    expect(await verifyTokenSignature(hs512, key)).toBe(false);
    const expired = await new SignJWT({ ...claims, exp: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(key));
    expect(await verifyTokenSignature(expired, key)).toBe(false);
    const noExp = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(key));
    expect(await verifyTokenSignature(noExp, key)).toBe(false);
  });

  it('reads no claims from malformed tokens', () => {
    expect(readUnverifiedClaims('a.b.c')).toBeUndefined();
    expect(readUnverifiedClaims('')).toBeUndefined();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(
      readUnverifiedClaims(
        `${b64({ alg: 'HS256' })}.${b64({ id: 1, type: 'auth', collectionId: 'c' })}.x`,
      ),
    ).toBeUndefined();
  });
});
