import type { ProviderDefinition } from '../oauth2-provider.js';
import { asObject, claimBool, claimText } from '../profile-values.js';

/** Google (OpenID Connect user info endpoint); only a verified email is reported. */
export const google: ProviderDefinition = {
  name: 'google',
  displayName: 'Google',
  pkce: true,
  scopes: [
    'https://www.googleapis.com/auth/userinfo.profile',
    'https://www.googleapis.com/auth/userinfo.email',
  ],
  authURL: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenURL: 'https://oauth2.googleapis.com/token',
  userInfoURL: 'https://www.googleapis.com/oauth2/v3/userinfo',
  tokenAuthMethod: 'client_secret_basic',
  async fetchProfile(ctx) {
    const raw = asObject(await ctx.fetchJson(ctx.provider.userInfoURL));
    const verified = claimBool(raw, 'email_verified');
    return {
      id: claimText(raw, 'sub'),
      name: claimText(raw, 'name'),
      username: '',
      email: verified ? claimText(raw, 'email') : '',
      emailVerified: verified,
      avatarURL: claimText(raw, 'picture'),
      rawUser: raw,
    };
  },
};
