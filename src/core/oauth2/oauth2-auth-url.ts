import { CodeChallengeMethod, generateCodeVerifier, OAuth2Client } from 'arctic';
import { randomString } from '../../lib/security/random.js';
import type { ResolvedProvider } from './oauth2-provider.js';

/** One provider as `GET /auth-methods` lists it (API.md §4). */
export interface AuthMethodProvider {
  readonly name: string;
  readonly displayName: string;
  readonly logo: string;
  readonly state: string;
  readonly authURL: string;
  readonly authUrl: string;
  readonly codeVerifier: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: string;
}

const STATE_LENGTH = 30;

/**
 * A fresh sign-in start for a provider: a random 30-character state, and for PKCE providers a
 * new code verifier with its S256 challenge, all in the authorization URL, which ends with
 * `&redirect_uri=` for the client to complete (API.md §4).
 */
export function authMethodProvider(provider: ResolvedProvider): AuthMethodProvider {
  const client = new OAuth2Client(provider.clientId, null, null);
  const state = randomString(STATE_LENGTH);
  const scopes = [...provider.scopes];
  const codeVerifier = provider.pkce ? generateCodeVerifier() : '';
  const url = provider.pkce
    ? client.createAuthorizationURLWithPKCE(
        provider.authURL,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        scopes,
      )
    : client.createAuthorizationURL(provider.authURL, state, scopes);
  for (const [key, value] of Object.entries(provider.definition.authParams ?? {})) {
    url.searchParams.set(key, value);
  }
  url.searchParams.delete('redirect_uri');
  const authURL = `${url.toString()}&redirect_uri=`;
  return {
    name: provider.name,
    displayName: provider.displayName,
    logo: '',
    state,
    authURL,
    authUrl: authURL,
    codeVerifier,
    codeChallenge: url.searchParams.get('code_challenge') ?? '',
    codeChallengeMethod: provider.pkce ? 'S256' : '',
  };
}
