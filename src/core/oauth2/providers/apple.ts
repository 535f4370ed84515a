import type { ProviderDefinition } from '../oauth2-provider.js';
import { claimBool, claimText } from '../profile-values.js';

/**
 * Sign in with Apple: the user is the validated ID token (issuer, audience, expiry and
 * signature against Apple's keys). The client secret is the JWT that
 * `POST /api/settings/apple/generate-client-secret` makes, sent in the form body as Apple
 * requires. `extra.issuers` and `extra.jwksURL` override the checks (tests, proxies). Apple
 * sends the user's name only once, to the redirect URL, never in the token: `name` stays ''.
 */
export const apple: ProviderDefinition = {
  name: 'apple',
  displayName: 'Apple',
  pkce: true,
  scopes: ['name', 'email'],
  authURL: 'https://appleid.apple.com/auth/authorize',
  tokenURL: 'https://appleid.apple.com/auth/token',
  userInfoURL: '',
  tokenAuthMethod: 'client_secret_post',
  // Apple posts the result to the redirect URL when name or email are asked for.
  authParams: { response_mode: 'form_post' },
  idToken: {
    issuers: ['https://appleid.apple.com'],
    jwksURL: 'https://appleid.apple.com/auth/keys',
  },
  async fetchProfile(ctx) {
    const claims = await ctx.idTokenClaims();
    const verified = claimBool(claims, 'email_verified');
    return {
      id: claimText(claims, 'sub'),
      name: claimText(claims, 'name'),
      username: '',
      email: verified ? claimText(claims, 'email') : '',
      emailVerified: verified,
      avatarURL: '',
      rawUser: claims,
    };
  },
};
