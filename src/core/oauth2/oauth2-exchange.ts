import {
  ArcticFetchError,
  OAuth2Client,
  OAuth2RequestError,
  UnexpectedResponseError,
  type OAuth2Tokens,
} from 'arctic';
import * as openid from 'openid-client';
import type { JsonObject } from '../../lib/json-merge.js';
import { OAuth2ProviderError } from './oauth2-errors.js';
import { PROVIDER_TIMEOUT_MS, withTimeout } from './oauth2-fetch.js';
import { idTokenChecks } from './oauth2-id-token.js';
import type { ProviderTokens, ResolvedProvider } from './oauth2-provider.js';

/** What the client brings back from the provider's redirect. */
export interface CodeGrant {
  readonly code: string;
  /** The PKCE verifier of the sign-in start; '' when the provider does not use PKCE. */
  readonly codeVerifier: string;
  /** The redirect URL the code was issued for (the token request must repeat it). */
  readonly redirectURL: string;
}

function text(data: object, key: string): string {
  const value = (data as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}

function expiryOf(expiresIn: unknown): Date | undefined {
  return typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0
    ? new Date(Date.now() + expiresIn * 1000)
    : undefined;
}

/** The reason of an arctic failure: its kind and the OAuth2 error code or HTTP status only. */
function arcticReason(error: unknown): string {
  if (error instanceof OAuth2RequestError) return `the provider refused the code (${error.code})`;
  if (error instanceof ArcticFetchError) return 'the token endpoint cannot be reached';
  if (error instanceof UnexpectedResponseError) {
    return `the token endpoint answered ${error.status}`;
  }
  return 'the token request failed';
}

function fromArctic(tokens: OAuth2Tokens): ProviderTokens {
  const data = tokens.data;
  const accessToken = text(data, 'access_token');
  if (accessToken === '') {
    // GitHub answers errors with status 200 and an `error` field instead of tokens.
    const code = text(data, 'error');
    throw new OAuth2ProviderError('token', `no access token was returned (${code || 'none'})`);
  }
  return {
    accessToken,
    refreshToken: text(data, 'refresh_token'),
    expiry: expiryOf((data as Record<string, unknown>).expires_in),
    idToken: text(data, 'id_token'),
    idTokenClaims: undefined,
  };
}

/** The code exchange with HTTP Basic client authentication, through arctic's OAuth2Client. */
async function exchangeWithBasic(
  provider: ResolvedProvider,
  grant: CodeGrant,
): Promise<ProviderTokens> {
  const client = new OAuth2Client(provider.clientId, provider.clientSecret, grant.redirectURL);
  let tokens: OAuth2Tokens;
  try {
    tokens = await withTimeout(
      client.validateAuthorizationCode(
        provider.tokenURL,
        grant.code,
        grant.codeVerifier === '' ? null : grant.codeVerifier,
      ),
      'token',
      PROVIDER_TIMEOUT_MS,
    );
  } catch (error) {
    if (error instanceof OAuth2ProviderError) throw error;
    throw new OAuth2ProviderError('token', arcticReason(error));
  }
  return fromArctic(tokens);
}

/** The reason of an openid-client failure: its kind and the OAuth2 error code only. */
function openidReason(error: unknown): string {
  if (error instanceof openid.ResponseBodyError) {
    return `the provider refused the code (${error.error})`;
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return 'the provider did not answer in time';
  }
  const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
  return `the token response was refused (${code})`;
}

/**
 * The code exchange with the client secret in the form body (Apple), through openid-client,
 * which also validates the ID token: issuer, audience (the client id), expiry, and with a
 * JWKS URL the signature.
 */
async function exchangeWithPost(
  provider: ResolvedProvider,
  grant: CodeGrant,
): Promise<ProviderTokens> {
  const { issuers, jwksURL } = idTokenChecks(provider);
  try {
    const server: openid.ServerMetadata = {
      issuer: issuers[0] ?? new URL(provider.tokenURL).origin,
      authorization_endpoint: provider.authURL,
      token_endpoint: provider.tokenURL,
      ...(jwksURL ? { jwks_uri: jwksURL } : {}),
    };
    const config = new openid.Configuration(
      server,
      provider.clientId,
      { client_secret: provider.clientSecret },
      openid.ClientSecretPost(provider.clientSecret),
    );
    config.timeout = PROVIDER_TIMEOUT_MS / 1000;
    const urls = [provider.tokenURL, jwksURL].filter((u) => u !== '');
    // A superuser may configure plain-HTTP endpoints (an identity provider on an internal
    // network, as PocketBase allows); openid-client refuses them unless told.
    if (urls.some((u) => new URL(u).protocol === 'http:')) {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- flagged only to stand out
      openid.allowInsecureRequests(config);
    }
    if (jwksURL) openid.enableNonRepudiationChecks(config);
    // openid-client reads the code from the callback URL and sends that URL (without its
    // query) as redirect_uri.
    const callback = new URL(grant.redirectURL);
    callback.search = '';
    callback.hash = '';
    callback.searchParams.set('code', grant.code);
    const response = await openid.authorizationCodeGrant(config, callback, {
      ...(grant.codeVerifier ? { pkceCodeVerifier: grant.codeVerifier } : {}),
      // The state was checked by the client that received the redirect (API.md §8).
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- flagged only to stand out
      expectedState: openid.skipStateCheck,
      idTokenExpected: true,
    });
    return {
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? '',
      expiry: expiryOf(response.expires_in),
      idToken: response.id_token ?? '',
      idTokenClaims: response.claims() as JsonObject | undefined,
    };
  } catch (error) {
    throw new OAuth2ProviderError('token', openidReason(error));
  }
}

/** Exchanges an authorization code (with its PKCE verifier) for the provider's tokens. */
export function exchangeCode(
  provider: ResolvedProvider,
  grant: CodeGrant,
): Promise<ProviderTokens> {
  return provider.definition.tokenAuthMethod === 'client_secret_post'
    ? exchangeWithPost(provider, grant)
    : exchangeWithBasic(provider, grant);
}
