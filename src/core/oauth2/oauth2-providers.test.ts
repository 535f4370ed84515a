import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../lib/json-merge.js';
import type { OAuth2ProviderConfig } from '../collection/collection-model.js';
import { ErrorCollector } from '../validation-errors.js';
import { authMethodProvider } from './oauth2-auth-url.js';
import { validateOAuth2Providers } from './oauth2-config-validate.js';
import type { ProfileContext, ProviderProfile, ResolvedProvider } from './oauth2-provider.js';
import { findProviderDefinition, providerDefinitions } from './oauth2-registry.js';
import { resolveProvider } from './oauth2-resolve.js';

function config(name: string, extra: Partial<OAuth2ProviderConfig> = {}): OAuth2ProviderConfig {
  return {
    name,
    clientId: 'client-id',
    clientSecret: 'client-secret',
    authURL: '',
    tokenURL: '',
    userInfoURL: '',
    displayName: '',
    pkce: null,
    extra: {},
    ...extra,
  };
}

function resolved(name: string, extra: Partial<OAuth2ProviderConfig> = {}): ResolvedProvider {
  const provider = resolveProvider(config(name, extra));
  if (!provider) throw new Error(`unknown provider ${name}`);
  return provider;
}

/**
 * Runs a provider's user mapping over recorded answers of its API (by URL), the way the
 * sign-in runs it after the code exchange; no network involved.
 */
async function profileFrom(
  name: string,
  answers: Record<string, JsonObject | unknown[] | undefined>,
  idTokenClaims: JsonObject = {},
): Promise<{ profile: ProviderProfile; fetched: string[] }> {
  const provider = resolved(name);
  const fetched: string[] = [];
  const ctx: ProfileContext = {
    provider,
    tokens: {
      accessToken: 'access',
      refreshToken: '',
      expiry: undefined,
      idToken: '',
      idTokenClaims,
    },
    fetchJson(url) {
      fetched.push(url);
      return Promise.resolve(answers[url]);
    },
    idTokenClaims: () => Promise.resolve(idTokenClaims),
  };
  return { profile: await provider.definition.fetchProfile(ctx), fetched };
}

describe('the provider registry', () => {
  it("knows PocketBase's names, display names, endpoints, scopes and PKCE defaults", () => {
    const table = Object.fromEntries(
      providerDefinitions().map((p) => [
        p.name,
        [p.displayName, p.authURL, p.tokenURL, p.userInfoURL, p.scopes.join(' '), p.pkce],
      ]),
    );
    expect(table).toEqual({
      google: [
        'Google',
        'https://accounts.google.com/o/oauth2/v2/auth',
        'https://oauth2.googleapis.com/token',
        'https://www.googleapis.com/oauth2/v3/userinfo',
        'https://www.googleapis.com/auth/userinfo.profile https://www.googleapis.com/auth/userinfo.email',
        true,
      ],
      github: [
        'GitHub',
        'https://github.com/login/oauth/authorize',
        'https://github.com/login/oauth/access_token',
        'https://api.github.com/user',
        'read:user user:email',
        true,
      ],
      gitlab: [
        'GitLab',
        'https://gitlab.com/oauth/authorize',
        'https://gitlab.com/oauth/token',
        'https://gitlab.com/api/v4/user',
        'read_user',
        true,
      ],
      discord: [
        'Discord',
        'https://discord.com/api/oauth2/authorize',
        'https://discord.com/api/oauth2/token',
        'https://discord.com/api/users/@me',
        'identify email',
        true,
      ],
      microsoft: [
        'Microsoft',
        'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
        'https://login.microsoftonline.com/common/oauth2/v2.0/token',
        'https://graph.microsoft.com/v1.0/me',
        'User.Read',
        true,
      ],
      apple: [
        'Apple',
        'https://appleid.apple.com/auth/authorize',
        'https://appleid.apple.com/auth/token',
        '',
        'name email',
        true,
      ],
      oidc: ['OpenID Connect', '', '', '', 'openid email profile', true],
      oidc2: ['OpenID Connect (2)', '', '', '', 'openid email profile', true],
      oidc3: ['OpenID Connect (3)', '', '', '', 'openid email profile', true],
    });
    expect(findProviderDefinition('apple')?.tokenAuthMethod).toBe('client_secret_post');
    expect(findProviderDefinition('google')?.tokenAuthMethod).toBe('client_secret_basic');
    expect(findProviderDefinition('myspace')).toBeUndefined();
  });

  it('lets the configuration override URLs, display name and PKCE', () => {
    const p = resolved('gitlab', {
      authURL: 'https://git.example.com/oauth/authorize',
      displayName: 'Our GitLab',
      pkce: false,
    });
    expect(p).toMatchObject({
      authURL: 'https://git.example.com/oauth/authorize',
      tokenURL: 'https://gitlab.com/oauth/token',
      displayName: 'Our GitLab',
      pkce: false,
    });
    const start = authMethodProvider(p);
    expect(start).toMatchObject({ codeVerifier: '', codeChallenge: '', codeChallengeMethod: '' });
    const url = new URL(start.authURL);
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(url.searchParams.get('scope')).toBe('read_user');
    expect(start.authURL.endsWith('&redirect_uri=')).toBe(true);
  });

  it('builds a PKCE start whose challenge is the S256 of the verifier', async () => {
    const start = authMethodProvider(resolved('google'));
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(start.codeVerifier),
    );
    expect(start.codeChallenge).toBe(Buffer.from(digest).toString('base64url'));
    expect(start.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.state).toMatch(/^[A-Za-z0-9]{30}$/);
  });
});

describe('user mapping from recorded provider answers', () => {
  it('google: a verified email only', async () => {
    const raw = {
      sub: '1098765',
      name: 'Ada Lovelace',
      picture: 'https://lh3.googleusercontent.com/a/ada',
      email: 'ada@gmail.com',
      email_verified: true,
    };
    const { profile, fetched } = await profileFrom('google', {
      'https://www.googleapis.com/oauth2/v3/userinfo': raw,
    });
    expect(fetched).toEqual(['https://www.googleapis.com/oauth2/v3/userinfo']);
    expect(profile).toEqual({
      id: '1098765',
      name: 'Ada Lovelace',
      username: '',
      email: 'ada@gmail.com',
      emailVerified: true,
      avatarURL: 'https://lh3.googleusercontent.com/a/ada',
      rawUser: raw,
    });
    const unverified = await profileFrom('google', {
      'https://www.googleapis.com/oauth2/v3/userinfo': { ...raw, email_verified: false },
    });
    expect(unverified.profile).toMatchObject({ email: '', emailVerified: false });
  });

  it('github: numeric id, login, and the primary verified email when the public one is hidden', async () => {
    const raw = {
      id: 583231,
      login: 'octocat',
      name: 'The Octocat',
      email: null,
      avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
    };
    const { profile, fetched } = await profileFrom('github', {
      'https://api.github.com/user': raw,
      'https://api.github.com/user/emails': [
        { email: 'old@example.com', primary: false, verified: true },
        { email: 'unverified@example.com', primary: true, verified: false },
        { email: 'octo@example.com', primary: true, verified: true },
      ],
    });
    expect(fetched).toEqual(['https://api.github.com/user', 'https://api.github.com/user/emails']);
    expect(profile).toMatchObject({
      id: '583231',
      name: 'The Octocat',
      username: 'octocat',
      email: 'octo@example.com',
      emailVerified: true,
      avatarURL: 'https://avatars.githubusercontent.com/u/583231?v=4',
    });
    const noScope = await profileFrom('github', { 'https://api.github.com/user': raw });
    expect(noScope.profile).toMatchObject({ email: '', emailVerified: false });
    const publicEmail = await profileFrom('github', {
      'https://api.github.com/user': { ...raw, email: 'public@example.com' },
    });
    expect(publicEmail.fetched).toHaveLength(1);
    expect(publicEmail.profile.email).toBe('public@example.com');
  });

  it('gitlab: numeric id, username, email', async () => {
    const { profile } = await profileFrom('gitlab', {
      'https://gitlab.com/api/v4/user': {
        id: 1,
        username: 'john_smith',
        name: 'John Smith',
        email: 'john@example.com',
        avatar_url: 'https://gitlab.com/uploads/-/system/user/avatar/1/avatar.png',
      },
    });
    expect(profile).toMatchObject({
      id: '1',
      name: 'John Smith',
      username: 'john_smith',
      email: 'john@example.com',
      emailVerified: true,
      avatarURL: 'https://gitlab.com/uploads/-/system/user/avatar/1/avatar.png',
    });
  });

  it('discord: avatar hash to CDN URL, verified email only', async () => {
    const raw = {
      id: '80351110224678912',
      username: 'nelly',
      global_name: 'Nelly',
      discriminator: '0',
      avatar: '8342729096ea3675442027381ff50dfe',
      verified: true,
      email: 'nelly@discord.com',
    };
    const { profile } = await profileFrom('discord', { 'https://discord.com/api/users/@me': raw });
    expect(profile).toMatchObject({
      id: '80351110224678912',
      name: 'Nelly',
      username: 'nelly',
      email: 'nelly@discord.com',
      emailVerified: true,
      avatarURL:
        'https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png',
    });
    const unverified = await profileFrom('discord', {
      'https://discord.com/api/users/@me': { ...raw, verified: false, avatar: null },
    });
    expect(unverified.profile).toMatchObject({ email: '', emailVerified: false, avatarURL: '' });
  });

  it('microsoft: Graph /me, mail reported but never treated as verified', async () => {
    const { profile } = await profileFrom('microsoft', {
      'https://graph.microsoft.com/v1.0/me': {
        id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
        displayName: 'Adele Vance',
        mail: 'AdeleV@contoso.com',
        userPrincipalName: 'AdeleV@contoso.com',
      },
    });
    expect(profile).toMatchObject({
      id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      name: 'Adele Vance',
      email: 'AdeleV@contoso.com',
      emailVerified: false,
    });
  });

  it('apple: the ID token claims, email_verified as text', async () => {
    const claims = {
      iss: 'https://appleid.apple.com',
      aud: 'com.example.app',
      sub: '001234.abcdef.1234',
      email: 'x7@privaterelay.appleid.com',
      email_verified: 'true',
      is_private_email: 'true',
    };
    const { profile, fetched } = await profileFrom('apple', {}, claims);
    expect(fetched).toEqual([]);
    expect(profile).toMatchObject({
      id: '001234.abcdef.1234',
      email: 'x7@privaterelay.appleid.com',
      emailVerified: true,
      rawUser: claims,
    });
    expect(findProviderDefinition('apple')?.authParams).toEqual({ response_mode: 'form_post' });
  });

  it('oidc: standard claims from the user info endpoint', async () => {
    const provider = resolved('oidc', { userInfoURL: 'https://id.example.com/userinfo' });
    const raw = {
      sub: 'u1',
      name: 'Jane Doe',
      preferred_username: 'jane',
      picture: 'https://id.example.com/jane.png',
      email: 'jane@example.com',
      email_verified: true,
    };
    const profile = await provider.definition.fetchProfile({
      provider,
      tokens: {
        accessToken: 'a',
        refreshToken: '',
        expiry: undefined,
        idToken: '',
        idTokenClaims: undefined,
      },
      fetchJson: (url) => Promise.resolve(url === provider.userInfoURL ? raw : undefined),
      idTokenClaims: () => Promise.reject(new Error('not used')),
    });
    expect(profile).toMatchObject({
      id: 'u1',
      name: 'Jane Doe',
      username: 'jane',
      email: 'jane@example.com',
      emailVerified: true,
      avatarURL: 'https://id.example.com/jane.png',
    });
  });
});

describe('provider config validation', () => {
  function errorsOf(enabled: boolean, providers: OAuth2ProviderConfig[]) {
    const errors = new ErrorCollector();
    validateOAuth2Providers(
      { enabled, providers, mappedFields: { id: '', name: '', username: '', avatarURL: '' } },
      errors,
    );
    return errors.data;
  }

  it('checks names and URLs always, credentials only while enabled', () => {
    const providers = [
      config('nope'),
      config('google', { clientId: '', clientSecret: '', tokenURL: 'ftp://x' }),
      config('oidc'),
      config('oidc3', { extra: { jwksURL: 'nope', issuers: 'x' } }),
    ];
    expect(errorsOf(true, providers)).toMatchObject({
      oauth2: {
        providers: {
          0: { name: { code: 'validation_invalid_provider' } },
          1: {
            clientId: { code: 'validation_required' },
            clientSecret: { code: 'validation_required' },
            tokenURL: { code: 'validation_invalid_url' },
          },
          2: {
            authURL: { code: 'validation_required' },
            tokenURL: { code: 'validation_required' },
          },
          3: {
            extra: {
              jwksURL: { code: 'validation_invalid_url' },
              issuers: { code: 'validation_invalid_type' },
            },
          },
        },
      },
    });
    const disabled = errorsOf(false, providers);
    expect(Object.keys(disabled)).toEqual(['oauth2']);
    expect(JSON.stringify(disabled)).not.toContain('validation_required');
    expect(errorsOf(true, [config('github')])).toEqual({});
  });
});
