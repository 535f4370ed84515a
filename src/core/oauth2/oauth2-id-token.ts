import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose';
import type { JsonObject } from '../../lib/json-merge.js';
import { OAuth2ProviderError } from './oauth2-errors.js';
import { PROVIDER_TIMEOUT_MS } from './oauth2-fetch.js';
import type { ResolvedProvider } from './oauth2-provider.js';

/** Clock skew allowed on `exp`/`iat`, in seconds. */
const LEEWAY_SECONDS = 5 * 60;

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The ID token checks of a provider: `extra.issuers`/`extra.jwksURL`, else its defaults. */
export function idTokenChecks(provider: ResolvedProvider): { issuers: string[]; jwksURL: string } {
  const defaults = provider.definition.idToken;
  const issuers = stringList(provider.extra.issuers) ?? [...(defaults?.issuers ?? [])];
  const jwks = provider.extra.jwksURL;
  const jwksURL = typeof jwks === 'string' && jwks !== '' ? jwks : (defaults?.jwksURL ?? '');
  return { issuers, jwksURL };
}

/** The checks of an ID token whose signature is not verified (no JWKS URL configured). */
function checkUnsignedClaims(claims: JWTPayload, provider: ResolvedProvider, issuers: string[]) {
  const now = Math.floor(Date.now() / 1000);
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(provider.clientId)) {
    throw new OAuth2ProviderError('user', 'the ID token is for another audience');
  }
  if (typeof claims.exp !== 'number' || claims.exp + LEEWAY_SECONDS < now) {
    throw new OAuth2ProviderError('user', 'the ID token has expired');
  }
  if (typeof claims.iat === 'number' && claims.iat - LEEWAY_SECONDS > now) {
    throw new OAuth2ProviderError('user', 'the ID token was issued in the future');
  }
  if (issuers.length > 0 && !issuers.includes(claims.iss ?? '')) {
    throw new OAuth2ProviderError('user', 'the ID token has an unexpected issuer');
  }
}

/** How many providers' key sets are kept; past it the oldest is dropped. */
const MAX_KEY_SETS = 32;

/**
 * Key sets by JWKS URL. jose's remote key set keeps the keys it fetched (refetching for an
 * unknown key id, at most every 30 s), so one per URL spares a fetch on every sign-in. Only
 * public keys are held, so sharing them between apps in one process is harmless.
 */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySet(url: string): ReturnType<typeof createRemoteJWKSet> {
  let keys = keySets.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url), { timeoutDuration: PROVIDER_TIMEOUT_MS });
    if (keySets.size >= MAX_KEY_SETS) keySets.delete(keySets.keys().next().value ?? '');
    keySets.set(url, keys);
  }
  return keys;
}

/**
 * The claims of an OpenID Connect ID token, checked as PocketBase does: the audience must be
 * the client id and the token unexpired; the issuer must be one of the configured issuers
 * when some are; the signature is verified against the JWKS URL when one is configured.
 */
export async function verifiedIdTokenClaims(
  idToken: string,
  provider: ResolvedProvider,
): Promise<JsonObject> {
  if (idToken === '') throw new OAuth2ProviderError('user', 'no ID token was returned');
  const { issuers, jwksURL } = idTokenChecks(provider);
  if (jwksURL === '') {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(idToken);
    } catch {
      throw new OAuth2ProviderError('user', 'the ID token is malformed');
    }
    checkUnsignedClaims(claims, provider, issuers);
    return claims;
  }
  try {
    const { payload } = await jwtVerify(idToken, keySet(jwksURL), {
      audience: provider.clientId,
      ...(issuers.length > 0 ? { issuer: issuers } : {}),
      clockTolerance: LEEWAY_SECONDS,
      requiredClaims: ['exp'],
    });
    return payload;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'invalid';
    throw new OAuth2ProviderError('user', `the ID token failed verification (${code})`);
  }
}
