import { createHmac, timingSafeEqual } from 'node:crypto';
import { isJsonObject } from '../json-merge.js';

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

// Basalt's own tokens are HS256 only, signed and verified with node:crypto's synchronous HMAC.
// jose verifies through WebCrypto, whose thread-pool round trip measured 70-220 µs per token
// on the benchmark machine against 11 µs here; every authenticated request pays it.
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function hmac(input: string, key: string): Buffer {
  return createHmac('sha256', key).update(input, 'utf8').digest();
}

/** Parses one base64url JWT segment as a JSON object; undefined for anything else. */
function jsonSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The three segments of a compact JWS, or undefined. */
function segments(token: string): [string, string, string] | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts;
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  return [header, payload, signature];
}

/** Signs `claims` as an HS256 JWT that expires `durationSeconds` from now. */
export function signToken(
  claims: Omit<TokenClaims, 'exp'>,
  signingKey: string,
  durationSeconds: number,
): string {
  const exp = Math.floor(Date.now() / 1000) + durationSeconds;
  const input = `${HEADER}.${base64url(JSON.stringify({ ...claims, exp }))}`;
  return `${input}.${hmac(input, signingKey).toString('base64url')}`;
}

/** A compact JWS split and read, its signature not yet checked (decodeToken). */
export interface DecodedToken {
  /** The text the signature covers: `header.payload`. */
  readonly signed: string;
  readonly signature: string;
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** The claims every Basalt token has, or undefined when one is missing or not a string. */
  readonly claims: TokenClaims | undefined;
}

/** The Basalt claims of a payload (see DecodedToken.claims). */
function claimsOf(payload: Record<string, unknown>): TokenClaims | undefined {
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

// Tokens whose signature verified: a client sends the same token with every request, so its
// decoding (two base64url segments and their JSON) and its HMAC (about 23,000 instructions) are
// done once. A verification is remembered as `token NUL signing key`, so a rotated tokenKey or
// collection secret misses and fails as before; only successes are kept (frozen, shared by
// later requests), the time claims are checked on every use, and the oldest go first.
const VERIFIED_LIMIT = 4096;
const verifiedTokens = new Map<string, DecodedToken>();
const verifiedSignatures = new Set<string>();

function remember(token: string, decoded: DecodedToken, entry: string): void {
  if (verifiedSignatures.size >= VERIFIED_LIMIT) {
    const oldest = verifiedSignatures.values().next();
    if (!oldest.done) {
      verifiedSignatures.delete(oldest.value);
      verifiedTokens.delete(oldest.value.slice(0, oldest.value.indexOf('\u0000')));
    }
  }
  Object.freeze(decoded.header);
  Object.freeze(decoded.payload);
  if (decoded.claims) Object.freeze(decoded.claims);
  verifiedTokens.set(token, Object.freeze(decoded));
  verifiedSignatures.add(entry);
}

/**
 * Splits a token and parses its header and payload, once, WITHOUT checking the signature: the
 * claims only say which record and key to verify it with (verifyDecodedToken). Undefined for
 * anything that is not three base64url segments with JSON objects for header and payload.
 */
export function decodeToken(token: string): DecodedToken | undefined {
  const known = verifiedTokens.get(token);
  if (known) return known;
  const parts = segments(token);
  if (!parts) return undefined;
  const [headerPart, payloadPart, signature] = parts;
  const header = jsonSegment(headerPart);
  const payload = header && jsonSegment(payloadPart);
  if (!payload) return undefined;
  return {
    signed: `${headerPart}.${payloadPart}`,
    signature,
    header,
    payload,
    claims: claimsOf(payload),
  };
}

function signatureVerifies(decoded: DecodedToken, signingKey: string): boolean {
  const token = `${decoded.signed}.${decoded.signature}`;
  const entry = `${token}\u0000${signingKey}`;
  if (verifiedSignatures.has(entry)) return true;
  if (decoded.header.alg !== 'HS256' || 'crit' in decoded.header) return false;
  if (!/^[A-Za-z0-9_-]+$/.test(decoded.signature)) return false;
  const expected = hmac(decoded.signed, signingKey);
  const given = Buffer.from(decoded.signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  remember(token, decoded, entry);
  return true;
}

/**
 * Verifies a decoded token: an HS256 signature under `signingKey` (compared in constant time)
 * and the time claims: `exp` is required and must be in the future, `nbf` when present must
 * have passed. Only `alg: HS256` is accepted, so `alg: none` and algorithm-confusion tokens
 * fail, and so does any `crit` header (no extension is understood). Never throws.
 */
export function verifyDecodedToken(decoded: DecodedToken, signingKey: string): boolean {
  const { exp, nbf } = decoded.payload;
  const now = Math.floor(Date.now() / 1000);
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp <= now) return false;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) return false;
  return signatureVerifies(decoded, signingKey);
}
