import type { ProviderDefinition } from '../oauth2-provider.js';
import { asObject, claimBool, claimText } from '../profile-values.js';

/** Discord; the avatar is a hash turned into a CDN URL, only a verified email is reported. */
export const discord: ProviderDefinition = {
  name: 'discord',
  displayName: 'Discord',
  pkce: true,
  scopes: ['identify', 'email'],
  authURL: 'https://discord.com/api/oauth2/authorize',
  tokenURL: 'https://discord.com/api/oauth2/token',
  userInfoURL: 'https://discord.com/api/users/@me',
  tokenAuthMethod: 'client_secret_basic',
  async fetchProfile(ctx) {
    const raw = asObject(await ctx.fetchJson(ctx.provider.userInfoURL));
    const id = claimText(raw, 'id');
    const username = claimText(raw, 'username');
    const avatar = claimText(raw, 'avatar');
    const verified = claimBool(raw, 'verified');
    return {
      id,
      name: claimText(raw, 'global_name') || username,
      username,
      email: verified ? claimText(raw, 'email') : '',
      emailVerified: verified,
      avatarURL:
        avatar && id
          ? `https://cdn.discordapp.com/avatars/${encodeURIComponent(id)}/${encodeURIComponent(avatar)}.png`
          : '',
      rawUser: raw,
    };
  },
};
