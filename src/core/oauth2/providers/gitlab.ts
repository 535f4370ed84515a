import type { ProviderDefinition } from '../oauth2-provider.js';
import { asObject, claimText } from '../profile-values.js';

/**
 * GitLab (gitlab.com by default; point the URLs at a self-managed instance). The user's
 * primary email is a confirmed one, as GitLab requires confirmation before it becomes primary.
 */
export const gitlab: ProviderDefinition = {
  name: 'gitlab',
  displayName: 'GitLab',
  pkce: true,
  scopes: ['read_user'],
  authURL: 'https://gitlab.com/oauth/authorize',
  tokenURL: 'https://gitlab.com/oauth/token',
  userInfoURL: 'https://gitlab.com/api/v4/user',
  tokenAuthMethod: 'client_secret_basic',
  async fetchProfile(ctx) {
    const raw = asObject(await ctx.fetchJson(ctx.provider.userInfoURL));
    const email = claimText(raw, 'email');
    return {
      id: claimText(raw, 'id'),
      name: claimText(raw, 'name'),
      username: claimText(raw, 'username'),
      email,
      emailVerified: email !== '',
      avatarURL: claimText(raw, 'avatar_url'),
      rawUser: raw,
    };
  },
};
