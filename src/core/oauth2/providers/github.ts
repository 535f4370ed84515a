import { isJsonObject } from '../../../lib/json-merge.js';
import type { ProfileContext, ProviderDefinition } from '../oauth2-provider.js';
import { asObject, claimBool, claimText } from '../profile-values.js';

/**
 * The primary verified address of a user who keeps theirs private, from `<user URL>/emails`
 * (needs the `user:email` scope; without it the lookup is skipped, not an error).
 */
async function primaryEmail(ctx: ProfileContext): Promise<string> {
  const url = `${ctx.provider.userInfoURL.replace(/\/+$/, '')}/emails`;
  const list = await ctx.fetchJson(url, true);
  if (!Array.isArray(list)) return '';
  const primary = list.find(
    (item) => isJsonObject(item) && claimBool(item, 'primary') && claimBool(item, 'verified'),
  );
  return isJsonObject(primary) ? claimText(primary, 'email') : '';
}

/**
 * GitHub. A public profile email is one GitHub has verified (only verified addresses can be
 * made public), otherwise the primary verified one is looked up.
 */
export const github: ProviderDefinition = {
  name: 'github',
  displayName: 'GitHub',
  // GitHub ignores the PKCE parameters of clients that do not use them, so sending them is safe.
  pkce: true,
  scopes: ['read:user', 'user:email'],
  authURL: 'https://github.com/login/oauth/authorize',
  tokenURL: 'https://github.com/login/oauth/access_token',
  userInfoURL: 'https://api.github.com/user',
  tokenAuthMethod: 'client_secret_basic',
  async fetchProfile(ctx) {
    const raw = asObject(await ctx.fetchJson(ctx.provider.userInfoURL));
    const email = claimText(raw, 'email') || (await primaryEmail(ctx));
    return {
      id: claimText(raw, 'id'),
      name: claimText(raw, 'name'),
      username: claimText(raw, 'login'),
      email,
      emailVerified: email !== '',
      avatarURL: claimText(raw, 'avatar_url'),
      rawUser: raw,
    };
  },
};
