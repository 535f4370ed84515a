import { webcrypto } from 'node:crypto';
import { SignJWT, decodeJwt, jwtVerify } from 'jose';

type CryptoKey = webcrypto.CryptoKey;

/** Claims of every Basalt token (API.md §4). Extra claims depend on the token type. */
export interface TokenClaims {
  id: string;
  type: string;
  collectionId: string;
  exp?: number;
  refreshable?: boolean;
  email?: string;
  newEmail?: string;
}

const encoder = new TextEncoder();

/** How many imported signing keys stay cached. */
const KEY_CACHE_SIZE = 10_000;
const importedKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The HMAC key of a signing secret, imported once: importing a raw key costs more than
 * verifying a token with it. Least recently used keys are dropped past the cache size.
 * The cache only memoises a pure derivation; it changes no behaviour.
 */
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = importedKeys.get(secret);
  if (key) {
    importedKeys.delete(secret);
  } else {
    key = webcrypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    if (importedKeys.size >= KEY_CACHE_SIZE) {
      const oldest = importedKeys.keys().next();
      if (!oldest.done) importedKeys.delete(oldest.value);
    }
  }
  importedKeys.set(secret, key);
  return key;
}

/** Signs `claims` as an HS256 JWT that expires `durationSeconds` from now. */
export async function signToken(
  claims: Omit<TokenClaims, 'exp'>,
  signingKey: string,
  durationSeconds: number,
): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + durationSeconds)
    .sign(await hmacKey(signingKey));
}

/**
 * Reads a token's claims WITHOUT checking its signature, only to find which record and key to
 * verify it with. Returns undefined for anything that is not a well-formed JWT with the
 * required string claims.
 */
export function readUnverifiedClaims(token: string): TokenClaims | undefined {
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(token);
  } catch {
    return undefined;
  }
  const { id, type, collectionId } = payload;
  if (typeof id !== 'string' || typeof type !== 'string' || typeof collectionId !== 'string') {
    return undefined;
  }
  if (!id || !type || !collectionId) return undefined;
  return {
    id,
    type,
    collectionId,
    ...(typeof payload.exp === 'number' ? { exp: payload.exp } : {}),
    ...(typeof payload.refreshable === 'boolean' ? { refreshable: payload.refreshable } : {}),
    ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
    ...(typeof payload.newEmail === 'string' ? { newEmail: payload.newEmail } : {}),
  };
}

/**
 * Verifies an HS256 signature and the expiry. Only HS256 is accepted, so `alg: none` and
 * algorithm-confusion tokens fail. Returns false instead of throwing.
 */
export async function verifyTokenSignature(token: string, signingKey: string): Promise<boolean> {
  try {
    await jwtVerify(token, await hmacKey(signingKey), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
    });
    return true;
  } catch {
    return false;
  }
}
