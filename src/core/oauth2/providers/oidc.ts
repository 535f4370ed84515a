import type { ProviderDefinition } from '../oauth2-provider.js';
import { asObject, claimBool, claimText } from '../profile-values.js';

/**
 * A generic OpenID Connect provider (`oidc`, `oidc2`, `oidc3`, so that three can be set up at
 * once). Its URLs come from the configuration. The user comes from the user info endpoint,
 * or, without one, from the ID token's claims (audience and expiry always checked; issuer
 * when `extra.issuers` lists them; signature when `extra.jwksURL` is set). Only a verified
 * email (`email_verified`) is reported.
 */
function oidcProvider(name: string, displayName: string): ProviderDefinition {
  return {
    name,
    displayName,
    pkce: true,
    scopes: ['openid', 'email', 'profile'],
    authURL: '',
    tokenURL: '',
    userInfoURL: '',
    tokenAuthMethod: 'client_secret_basic',
    async fetchProfile(ctx) {
      const { userInfoURL } = ctx.provider;
      const raw = userInfoURL
        ? asObject(await ctx.fetchJson(userInfoURL))
        : await ctx.idTokenClaims();
      const verified = claimBool(raw, 'email_verified');
      return {
        id: claimText(raw, 'sub'),
        name: claimText(raw, 'name'),
        username: claimText(raw, 'preferred_username'),
        email: verified ? claimText(raw, 'email') : '',
        emailVerified: verified,
        avatarURL: claimText(raw, 'picture'),
        rawUser: raw,
      };
    },
  };
}

export const oidc = oidcProvider('oidc', 'OpenID Connect');
export const oidc2 = oidcProvider('oidc2', 'OpenID Connect (2)');
export const oidc3 = oidcProvider('oidc3', 'OpenID Connect (3)');
