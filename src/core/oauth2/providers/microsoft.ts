import type { ProviderDefinition } from '../oauth2-provider.js';
import { asObject, claimText } from '../profile-values.js';

/**
 * Microsoft (Entra ID / personal accounts through the `common` tenant, Graph `/me`). Graph's
 * `mail` is reported as PocketBase does, but it is an attribute any tenant administrator can
 * set to any address, so Basalt does not treat it as verified: it never links an existing
 * account or marks a record verified by it.
 */
export const microsoft: ProviderDefinition = {
  name: 'microsoft',
  displayName: 'Microsoft',
  pkce: true,
  scopes: ['User.Read'],
  authURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
  tokenURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
  userInfoURL: 'https://graph.microsoft.com/v1.0/me',
  tokenAuthMethod: 'client_secret_basic',
  async fetchProfile(ctx) {
    const raw = asObject(await ctx.fetchJson(ctx.provider.userInfoURL));
    return {
      id: claimText(raw, 'id'),
      name: claimText(raw, 'displayName'),
      username: '',
      email: claimText(raw, 'mail'),
      emailVerified: false,
      avatarURL: '',
      rawUser: raw,
    };
  },
};
