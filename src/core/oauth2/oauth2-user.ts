import { formatDateTime } from '../../lib/datetime.js';
import type { JsonObject } from '../../lib/json-merge.js';
import { OAuth2ProviderError } from './oauth2-errors.js';
import { exchangeCode, type CodeGrant } from './oauth2-exchange.js';
import { fetchProviderJson } from './oauth2-fetch.js';
import { verifiedIdTokenClaims } from './oauth2-id-token.js';
import type {
  ProfileContext,
  ProviderProfile,
  ProviderTokens,
  ResolvedProvider,
} from './oauth2-provider.js';

/** PocketBase's OAuth2 user: the provider's profile and tokens (API.md §4 `meta`). */
export interface OAuth2User extends ProviderProfile {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiry: Date | undefined;
}

function profileContext(provider: ResolvedProvider, tokens: ProviderTokens): ProfileContext {
  return {
    provider,
    tokens,
    async fetchJson(url, optional) {
      const value = await fetchProviderJson(url, tokens.accessToken, optional);
      if (value === undefined) return undefined;
      if (typeof value === 'object' && value !== null) return value as JsonObject | unknown[];
      throw new OAuth2ProviderError('user', 'the user endpoint answered no object');
    },
    idTokenClaims() {
      return tokens.idTokenClaims
        ? Promise.resolve(tokens.idTokenClaims)
        : verifiedIdTokenClaims(tokens.idToken, provider);
    },
  };
}

/**
 * Completes a sign-in at the provider: exchanges the code, then learns the user. A user
 * without an id is a failure (nothing could link to it).
 */
export async function fetchOAuth2User(
  provider: ResolvedProvider,
  grant: CodeGrant,
): Promise<OAuth2User> {
  const tokens = await exchangeCode(provider, grant);
  const profile = await provider.definition.fetchProfile(profileContext(provider, tokens));
  if (profile.id === '') throw new OAuth2ProviderError('user', 'the user has no id');
  return {
    ...profile,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiry: tokens.expiry,
  };
}

/** The response `meta` of an OAuth2 sign-in: the user as PocketBase outputs it, and `isNew`. */
export function oauth2UserMeta(user: OAuth2User, isNew: boolean): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    username: user.username,
    email: user.email,
    avatarURL: user.avatarURL,
    avatarUrl: user.avatarURL,
    accessToken: user.accessToken,
    refreshToken: user.refreshToken,
    expiry: user.expiry ? formatDateTime(user.expiry) : '',
    rawUser: user.rawUser,
    isNew,
  };
}
