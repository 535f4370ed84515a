import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { EventSource } from 'eventsource';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { startTestIdp, type TestIdp } from '../helpers/oidc-idp.js';

// Node 20 has no EventSource; the SDK's realtime popup flow opens one from the global scope.
const globals = globalThis as { EventSource?: unknown };
globals.EventSource ??= EventSource;

const REDIRECT = 'http://127.0.0.1:9/oauth2-redirect';
const CLIENT_ID = 'basalt-client';
const CLIENT_SECRET = 'basalt-client-secret-0123456789';
const POST_CLIENT_ID = 'basalt-post-client';
const POST_CLIENT_SECRET = 'basalt-post-client-secret-9876543210';
const ENCRYPTION_KEY = 'oauth2-test-encryption-key';

/** The `GET /auth-methods` answer, as the wire carries it. */
interface AuthMethodsJson {
  oauth2: { enabled: boolean; providers: Record<string, string>[] };
  authProviders: Record<string, string>[] | null;
}

function authMethods(pb: PocketBase, collection = 'users'): Promise<AuthMethodsJson> {
  return pb.send<AuthMethodsJson>(`/api/collections/${collection}/auth-methods`, {});
}

/* eslint-disable @typescript-eslint/no-deprecated -- the SDK marks its own helpers deprecated,
   but apps call them and API.md §8 maps them onto the records API of _externalAuths. */
async function linkedProviders(pb: PocketBase, recordId: string): Promise<string[]> {
  const links = await pb.collection('users').listExternalAuths(recordId);
  return links.map((l) => String(l.provider));
}

function unlink(pb: PocketBase, recordId: string, provider: string): Promise<boolean> {
  return pb.collection('users').unlinkExternalAuth(recordId, provider);
}
/* eslint-enable @typescript-eslint/no-deprecated */

/** The error of a failed SDK call: status and body. */
async function failure(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ClientResponseError) return { status: error.status, body: error.response };
    throw error;
  }
  throw new Error('the call succeeded');
}

/** A live Basalt (with the encryption key and a captured log) and the test provider. */
interface World {
  readonly live: LiveServer;
  readonly idp: TestIdp;
  readonly admin: PocketBase;
  readonly log: string[];
  client(): PocketBase;
  /** Signs in at the provider as `account` from a fresh auth-methods listing. */
  codeFor(
    account: string,
    options?: { provider?: string; collection?: string; scope?: string; pb?: PocketBase },
  ): Promise<{ code: string; verifier: string; state: string }>;
  close(): Promise<void>;
}

let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp(
    [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
      {
        client_id: POST_CLIENT_ID,
        client_secret: POST_CLIENT_SECRET,
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'client_secret_post',
        response_types: ['code'],
      },
    ],
    {
      alice: {
        email: 'alice@example.com',
        email_verified: true,
        name: 'Alice Liddell',
        preferred_username: 'alice',
        picture: 'https://img.example.com/alice.png',
      },
    },
  );
});
afterAll(async () => {
  await idp.close();
});

function oidcConfig(extra: Record<string, unknown> = {}) {
  return {
    name: 'oidc',
    displayName: 'Test IdP',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    authURL: idp.authURL,
    tokenURL: idp.tokenURL,
    userInfoURL: idp.userInfoURL,
    ...extra,
  };
}

async function startWorld(): Promise<World> {
  const log: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log.push(chunk.toString('utf8'));
      done();
    },
  });
  const live = await startLiveServer({
    encryptionKey: ENCRYPTION_KEY,
    logger: pino({ level: 'debug' }, sink),
  });
  await createSuperuser(live.app, 'root@example.com', 'root-password-1');
  const client = (): PocketBase => {
    const pb = new PocketBase(live.url);
    pb.autoCancellation(false);
    return pb;
  };
  const admin = client();
  await admin.collection('_superusers').authWithPassword('root@example.com', 'root-password-1');
  await admin.collections.update('users', {
    fields: [
      ...(await admin.collections.getOne('users')).fields,
      { name: 'nickname', type: 'text' },
      { name: 'picture', type: 'url' },
      { name: 'bio', type: 'text' },
    ],
    createRule: '@request.context = "oauth2"',
    oauth2: {
      enabled: true,
      providers: [oidcConfig()],
      mappedFields: { name: 'name', username: 'nickname', avatarURL: 'picture' },
    },
  });
  return {
    live,
    idp,
    admin,
    log,
    client,
    async codeFor(account, options = {}) {
      const pb = options.pb ?? client();
      const methods = await pb.collection(options.collection ?? 'users').listAuthMethods();
      const provider = methods.oauth2.providers.find(
        (p) => p.name === (options.provider ?? 'oidc'),
      );
      if (!provider) throw new Error('the provider is not listed');
      const url = new URL(provider.authURL + encodeURIComponent(REDIRECT));
      if (options.scope) url.searchParams.set('scope', options.scope);
      const back = await idp.signIn(url.toString(), account, REDIRECT);
      if (back.error) throw new Error(`the provider answered ${back.error}`);
      return { code: back.code, verifier: provider.codeVerifier, state: back.state };
    },
    close: () => live.close(),
  };
}

function addAccount(id: string, claims: Record<string, unknown>): void {
  idp.accounts.set(id, claims);
}

describe('OAuth2 sign-in against a real OpenID provider (API.md §4)', () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('lists the provider in auth-methods with a fresh state and PKCE pair', async () => {
    const pb = w.client();
    const first = await authMethods(pb);
    const second = await authMethods(pb);
    const provider = first.oauth2.providers[0]!;
    const other = second.oauth2.providers[0]!;
    expect(Object.keys(provider).sort()).toEqual(
      [
        'authURL',
        'authUrl',
        'codeChallenge',
        'codeChallengeMethod',
        'codeVerifier',
        'displayName',
        'logo',
        'name',
        'state',
      ].sort(),
    );
    expect(provider).toMatchObject({
      name: 'oidc',
      displayName: 'Test IdP',
      codeChallengeMethod: 'S256',
    });
    expect(provider.state).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(provider.state).not.toBe(other.state);
    expect(provider.codeVerifier).not.toBe(other.codeVerifier);
    expect(provider.authURL).toBe(provider.authUrl);
    expect(provider.authURL!.endsWith('&redirect_uri=')).toBe(true);
    const url = new URL(provider.authURL!);
    expect(url.origin + url.pathname).toBe(idp.authURL);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      state: provider.state,
      scope: 'openid email profile',
      code_challenge: provider.codeChallenge,
      code_challenge_method: 'S256',
      redirect_uri: '',
    });
    expect(first.authProviders).toEqual(first.oauth2.providers);
    expect(JSON.stringify(first)).not.toContain(CLIENT_SECRET);
  });

  it('creates a new record through the create path, then finds it again by its link', async () => {
    const pb = w.client();
    const { code, verifier, state } = await w.codeFor('alice');
    expect(state).toMatch(/^[A-Za-z0-9]{30}$/);
    const auth = await pb
      .collection('users')
      .authWithOAuth2Code('oidc', code, verifier, REDIRECT, { bio: 'hello' });
    expect(auth.meta).toMatchObject({
      id: 'alice',
      name: 'Alice Liddell',
      username: 'alice',
      email: 'alice@example.com',
      avatarURL: 'https://img.example.com/alice.png',
      avatarUrl: 'https://img.example.com/alice.png',
      isNew: true,
      refreshToken: '',
      rawUser: { sub: 'alice', email: 'alice@example.com', email_verified: true },
    });
    expect(typeof auth.meta?.accessToken).toBe('string');
    expect(String(auth.meta?.expiry)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(auth.record).toMatchObject({
      email: 'alice@example.com',
      verified: true,
      name: 'Alice Liddell',
      nickname: 'alice',
      picture: 'https://img.example.com/alice.png',
      bio: 'hello',
      avatar: '',
    });
    expect(pb.authStore.record?.id).toBe(auth.record.id);
    expect(pb.authStore.isValid).toBe(true);
    // The createRule only lets the OAuth2 context create records.
    const direct = await failure(
      w.client().collection('users').create({
        email: 'direct@example.com',
        password: 'password-123',
        passwordConfirm: 'password-123',
      }),
    );
    expect(direct.status).toBe(400);

    const again = await w.codeFor('alice');
    const second = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('oidc', again.code, again.verifier, REDIRECT, { bio: 'ignored' });
    expect(second.record.id).toBe(auth.record.id);
    expect(second.meta?.isNew).toBe(false);
    expect(second.record.bio).toBe('hello');
    const links = await w.admin.collection('_externalAuths').getFullList();
    expect(links.filter((l) => l.recordRef === auth.record.id)).toHaveLength(1);
    expect(links.find((l) => l.recordRef === auth.record.id)).toMatchObject({
      collectionRef: '_pb_users_auth_',
      provider: 'oidc',
      providerId: 'alice',
    });

    // The owner lists and unlinks through the records API; nobody else sees the link.
    expect(await linkedProviders(pb, auth.record.id)).toEqual(['oidc']);
    await w.admin.collection('users').create({
      email: 'stranger@example.com',
      password: 'stranger-password-1',
      passwordConfirm: 'stranger-password-1',
    });
    const stranger = w.client();
    await stranger
      .collection('users')
      .authWithPassword('stranger@example.com', 'stranger-password-1');
    expect(await stranger.collection('_externalAuths').getFullList()).toEqual([]);
    const denied = await failure(unlink(stranger, auth.record.id, 'oidc'));
    expect(denied.status).toBe(404);
    expect(await linkedProviders(pb, auth.record.id)).toEqual(['oidc']);
    expect(await unlink(pb, auth.record.id, 'oidc')).toBe(true);
    expect(await linkedProviders(pb, auth.record.id)).toEqual([]);
  });

  it('links a provider account to the record with the same, provider-verified email', async () => {
    addAccount('bob', { email: 'bob@example.com', email_verified: true, name: 'Bob' });
    const created = await w.admin.collection('users').create({
      email: 'bob@example.com',
      password: 'bob-password-1',
      passwordConfirm: 'bob-password-1',
    });
    expect(created.verified).toBe(false);
    const { code, verifier } = await w.codeFor('bob');
    const auth = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('oidc', code, verifier, REDIRECT);
    expect(auth.record.id).toBe(created.id);
    expect(auth.meta?.isNew).toBe(false);
    expect(auth.record.verified).toBe(true);
    // Whoever registered the address first chose that password: it no longer works.
    const old = await failure(
      w.client().collection('users').authWithPassword('bob@example.com', 'bob-password-1'),
    );
    expect(old.status).toBe(400);
  });

  it('does not link by an email the provider has not verified', async () => {
    addAccount('mallory', { email: 'victim@example.com', email_verified: false, name: 'M' });
    const victim = await w.admin.collection('users').create({
      email: 'victim@example.com',
      password: 'victim-password-1',
      passwordConfirm: 'victim-password-1',
    });
    const { code, verifier } = await w.codeFor('mallory');
    const result = await failure(
      w.client().collection('users').authWithOAuth2Code('oidc', code, verifier, REDIRECT),
    );
    // A new record needs an email, which the provider did not vouch for: the create fails.
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({
      message: 'Failed to create record.',
      data: { email: { code: 'validation_required' } },
    });
    const links = await w.admin
      .collection('_externalAuths')
      .getFullList({ filter: `providerId = "mallory"` });
    expect(links).toEqual([]);
    const login = await w
      .client()
      .collection('users')
      .authWithPassword('victim@example.com', 'victim-password-1');
    expect(login.record.id).toBe(victim.id);
  });

  it('links a provider to the account the request is signed in as', async () => {
    addAccount('carol-idp', { email: 'carol.other@example.com', email_verified: true });
    await w.admin.collection('users').create({
      email: 'carol@example.com',
      password: 'carol-password-1',
      passwordConfirm: 'carol-password-1',
    });
    const pb = w.client();
    const me = await pb
      .collection('users')
      .authWithPassword('carol@example.com', 'carol-password-1');
    const { code, verifier } = await w.codeFor('carol-idp', { pb });
    const auth = await pb.collection('users').authWithOAuth2Code('oidc', code, verifier, REDIRECT);
    expect(auth.record.id).toBe(me.record.id);
    expect(auth.record.email).toBe('carol@example.com');
    const again = await w.codeFor('carol-idp');
    const guest = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('oidc', again.code, again.verifier, REDIRECT);
    expect(guest.record.id).toBe(me.record.id);
  });

  it('writes nothing when linking fails: one transaction per sign-in', async () => {
    // Kim links a first provider account while signed in (emails differ: nothing changes)...
    addAccount('kim-old', { email: 'kim.old@example.com', email_verified: true });
    const kim = await w.admin.collection('users').create({
      email: 'kim@example.com',
      password: 'kim-password-1',
      passwordConfirm: 'kim-password-1',
    });
    const pb = w.client();
    await pb.collection('users').authWithPassword('kim@example.com', 'kim-password-1');
    const first = await w.codeFor('kim-old', { pb });
    await pb.collection('users').authWithOAuth2Code('oidc', first.code, first.verifier, REDIRECT);
    // ...then another account of the same provider with Kim's (verified) email signs in: the
    // record is found by email, gets verified and a random password, but it cannot hold two
    // links to one provider, so the whole sign-in is undone.
    addAccount('kim-new', { email: 'kim@example.com', email_verified: true });
    const second = await w.codeFor('kim-new');
    const res = await failure(
      w
        .client()
        .collection('users')
        .authWithOAuth2Code('oidc', second.code, second.verifier, REDIRECT),
    );
    expect(res).toEqual({
      status: 400,
      body: { data: {}, message: 'Failed to authenticate.', status: 400 },
    });
    const stored = await w.admin.collection('users').getOne(kim.id);
    expect(stored.verified).toBe(false);
    const login = await w
      .client()
      .collection('users')
      .authWithPassword('kim@example.com', 'kim-password-1');
    expect(login.record.id).toBe(kim.id);
  });

  it('refuses replayed and garbage codes, a wrong verifier and another redirect URL', async () => {
    addAccount('dave', { email: 'dave@example.com', email_verified: true });
    const users = () => w.client().collection('users');
    const first = await w.codeFor('dave');
    await users().authWithOAuth2Code('oidc', first.code, first.verifier, REDIRECT);
    const tokenFailure = { data: {}, message: 'Failed to fetch OAuth2 token.', status: 400 };

    const replay = await failure(
      users().authWithOAuth2Code('oidc', first.code, first.verifier, REDIRECT),
    );
    expect(replay).toEqual({ status: 400, body: tokenFailure });

    const garbage = await failure(
      users().authWithOAuth2Code('oidc', 'not-a-code', first.verifier, REDIRECT),
    );
    expect(garbage).toEqual({ status: 400, body: tokenFailure });

    const second = await w.codeFor('dave');
    const wrongVerifier = await failure(
      users().authWithOAuth2Code('oidc', second.code, `${second.verifier}x`, REDIRECT),
    );
    expect(wrongVerifier).toEqual({ status: 400, body: tokenFailure });

    const third = await w.codeFor('dave');
    const otherRedirect = await failure(
      users().authWithOAuth2Code(
        'oidc',
        third.code,
        third.verifier,
        'http://127.0.0.1:9/elsewhere',
      ),
    );
    expect(otherRedirect).toEqual({ status: 400, body: tokenFailure });

    // The provider echoes the listed state, which the client must compare (the SDK does).
    const pb = w.client();
    const methods = await pb.collection('users').listAuthMethods();
    const listed = methods.oauth2.providers[0]!;
    const back = await idp.signIn(listed.authURL + encodeURIComponent(REDIRECT), 'dave', REDIRECT);
    expect(back.state).toBe(listed.state);
    // A redirect URL the client is not registered for is refused by the provider itself.
    const foreign = await idp
      .signIn(
        listed.authURL + encodeURIComponent('http://127.0.0.1:9/not-registered'),
        'dave',
        'http://127.0.0.1:9/not-registered',
      )
      .catch((error: unknown) => error);
    expect(foreign).toBeInstanceOf(Error);

    // Neither codes, verifiers nor secrets reach the log.
    const log = w.log.join('');
    expect(log).toContain('OAuth2 sign-in failed at the provider');
    expect(log).toContain('invalid_grant');
    for (const secret of [CLIENT_SECRET, first.code, second.code, third.code, second.verifier]) {
      expect(log).not.toContain(secret);
    }
  });

  it('validates the form: unknown provider, missing fields', async () => {
    const res = await failure(
      w.client().collection('users').authWithOAuth2Code('github', 'code', 'verifier', REDIRECT),
    );
    expect(res).toEqual({
      status: 400,
      body: {
        data: {
          provider: {
            code: 'validation_invalid_provider',
            message: 'Provider with name github is missing or is not enabled.',
            params: { name: 'github' },
          },
        },
        message: 'An error occurred while loading the submitted data.',
        status: 400,
      },
    });
    const empty = await failure(
      w.client().send('/api/collections/users/auth-with-oauth2', { method: 'POST', body: {} }),
    );
    expect(empty.status).toBe(400);
    expect(Object.keys((empty.body as { data: object }).data).sort()).toEqual([
      'code',
      'provider',
      'redirectURL',
    ]);
    const legacy = await failure(
      w.client().send('/api/collections/users/auth-with-oauth2', {
        method: 'POST',
        body: { provider: 'oidc', code: 'x', redirectUrl: REDIRECT, createData: 'nope' },
      }),
    );
    expect((legacy.body as { data: object }).data).toEqual({
      createData: { code: 'validation_invalid_type', message: 'Invalid value type.' },
    });
  });

  it('never outputs the client secret and stores it encrypted', async () => {
    const outputs = [
      await w.admin.collections.getOne('users'),
      await w.admin.collections.getFullList(),
      await w.admin.collections.update('users', { oauth2: { enabled: true } }),
      await w.client().collection('users').listAuthMethods(),
    ];
    for (const output of outputs) expect(JSON.stringify(output)).not.toContain(CLIENT_SECRET);
    const collection = await w.admin.send<{ oauth2: { providers: Record<string, unknown>[] } }>(
      '/api/collections/users',
      {},
    );
    expect(collection.oauth2.providers[0]).not.toHaveProperty('clientSecret');
    const row = await w.live.app.db.db
      .selectFrom('_collections')
      .select('options')
      .where('name', '=', 'users')
      .executeTakeFirstOrThrow();
    expect(row.options).not.toContain(CLIENT_SECRET);
    expect(row.options).toMatch(/"clientSecret":"enc:v1:[A-Za-z0-9+/=]+"/);
    // Saving the providers back as the API output them keeps the stored secret.
    await w.admin.collections.update('users', {
      oauth2: { providers: collection.oauth2.providers },
    });
    addAccount('erin', { email: 'erin@example.com', email_verified: true });
    const { code, verifier } = await w.codeFor('erin');
    const auth = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('oidc', code, verifier, REDIRECT);
    expect(auth.record.email).toBe('erin@example.com');
  });

  it('lists the known providers to superusers only', async () => {
    const list = await w.admin.send<{ name: string }[]>(
      '/api/collections/meta/oauth2-providers',
      {},
    );
    expect(list.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'google',
        'github',
        'gitlab',
        'discord',
        'microsoft',
        'apple',
        'oidc',
        'oidc2',
        'oidc3',
      ]),
    );
    expect(
      (await failure(w.client().send('/api/collections/meta/oauth2-providers', {}))).status,
    ).toBe(401);
  });

  it('generates the Apple client secret (an ES256 JWT) for superusers', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { secret } = await w.admin.settings.generateAppleClientSecret(
      'com.example.app',
      'TEAM123456',
      'KEY1234567',
      pem,
      3600,
    );
    expect(decodeProtectedHeader(secret)).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
    const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const { payload } = await jwtVerify(secret, await importSPKI(spki, 'ES256'), {
      issuer: 'TEAM123456',
      subject: 'com.example.app',
      audience: 'https://appleid.apple.com',
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);

    const bad = await failure(
      w.admin.settings.generateAppleClientSecret('', 'short', 'KEY1234567', 'nope', 99_999_999),
    );
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body as { data: object }).data).sort()).toEqual([
      'clientId',
      'duration',
      'teamId',
    ]);
    const badKey = await failure(
      w.admin.settings.generateAppleClientSecret('a', 'TEAM123456', 'KEY1234567', 'nope', 60),
    );
    expect(badKey.body).toMatchObject({
      data: { privateKey: { code: 'validation_invalid_value' } },
    });
    const guest = await failure(
      w.client().settings.generateAppleClientSecret('a', 'TEAM123456', 'KEY1234567', pem, 60),
    );
    expect(guest.status).toBe(401);
  });

  it('validates provider configs when the collection is saved', async () => {
    const res = await failure(
      w.admin.collections.update('users', {
        oauth2: {
          enabled: true,
          providers: [
            { name: 'myspace', clientId: 'a', clientSecret: 'b' },
            { name: 'google', clientId: '', clientSecret: '', authURL: 'not a url' },
            { name: 'oidc2', clientId: 'a', clientSecret: 'b' },
            { name: 'oidc2', clientId: 'a', clientSecret: 'b', authURL: 'x', tokenURL: 'y' },
          ],
        },
      }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      message: 'Failed to update collection.',
      data: {
        oauth2: {
          providers: {
            0: { name: { code: 'validation_invalid_provider' } },
            1: {
              clientId: { code: 'validation_required' },
              clientSecret: { code: 'validation_required' },
              authURL: { code: 'validation_invalid_url' },
            },
            2: {
              authURL: { code: 'validation_required' },
              tokenURL: { code: 'validation_required' },
            },
            3: {
              name: { code: 'validation_duplicated_provider' },
              authURL: { code: 'validation_invalid_url' },
            },
          },
        },
      },
    });
    // The stored collection is unchanged and still signs in.
    addAccount('frank', { email: 'frank@example.com', email_verified: true });
    const { code, verifier } = await w.codeFor('frank');
    const auth = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('oidc', code, verifier, REDIRECT);
    expect(auth.meta?.isNew).toBe(true);
  });

  it('refuses a sign-up whose createData takes the id of a superuser (issue 15 S2)', async () => {
    const superuserId = String(w.admin.authStore.record?.id);
    addAccount('trudy', { email: 'trudy@example.com', email_verified: true });
    const { code, verifier } = await w.codeFor('trudy');
    const refused = await failure(
      w
        .client()
        .collection('users')
        .authWithOAuth2Code('oidc', code, verifier, REDIRECT, { id: superuserId }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      data: { id: { code: 'validation_invalid_auth_id' } },
    });
    const users = await w.admin
      .collection('users')
      .getFullList({ filter: `id = '${superuserId}'` });
    expect(users).toEqual([]);
  });
});

describe('OAuth2 with MFA, the authRule and disabled OAuth2', () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld();
    await w.admin.collections.update('users', { createRule: '', mfa: { enabled: true } });
  });
  afterAll(async () => {
    await w.close();
  });

  async function mfaIdOf(call: Promise<unknown>): Promise<string> {
    const res = await failure(call);
    expect(res.status).toBe(401);
    expect(Object.keys(res.body as object)).toEqual(['mfaId']);
    return (res.body as { mfaId: string }).mfaId;
  }

  it('takes OAuth2 as the first factor and a password as the second', async () => {
    addAccount('gina', { email: 'gina@example.com', email_verified: true });
    await w.admin.collection('users').create({
      email: 'gina@example.com',
      password: 'gina-password-1',
      passwordConfirm: 'gina-password-1',
      verified: true,
    });
    const pb = w.client();
    const { code, verifier } = await w.codeFor('gina');
    const mfaId = await mfaIdOf(
      pb.collection('users').authWithOAuth2Code('oidc', code, verifier, REDIRECT),
    );
    const auth = await pb
      .collection('users')
      .authWithPassword('gina@example.com', 'gina-password-1', { mfaId });
    expect(auth.record.email).toBe('gina@example.com');
    expect(pb.authStore.isValid).toBe(true);
  });

  it('takes a password first and OAuth2 second, and refuses OAuth2 twice', async () => {
    addAccount('hank', { email: 'hank@example.com', email_verified: true });
    await w.admin.collection('users').create({
      email: 'hank@example.com',
      password: 'hank-password-1',
      passwordConfirm: 'hank-password-1',
      verified: true,
    });
    const pb = w.client();
    const mfaId = await mfaIdOf(
      pb.collection('users').authWithPassword('hank@example.com', 'hank-password-1'),
    );
    const { code, verifier } = await w.codeFor('hank');
    const auth = await pb
      .collection('users')
      .authWithOAuth2Code('oidc', code, verifier, REDIRECT, {}, { mfaId });
    expect(auth.record.email).toBe('hank@example.com');
    expect(auth.meta?.isNew).toBe(false);

    const first = await w.codeFor('hank');
    const oauthId = await mfaIdOf(
      w
        .client()
        .collection('users')
        .authWithOAuth2Code('oidc', first.code, first.verifier, REDIRECT),
    );
    const second = await w.codeFor('hank');
    const same = await failure(
      w
        .client()
        .collection('users')
        .authWithOAuth2Code('oidc', second.code, second.verifier, REDIRECT, {}, { mfaId: oauthId }),
    );
    expect(same).toMatchObject({
      status: 400,
      body: { message: 'A different authentication method is required.' },
    });
  });

  it('applies the authRule after the provider sign-in', async () => {
    await w.admin.collections.update('users', {
      mfa: { enabled: false },
      authRule: 'verified = false',
    });
    try {
      addAccount('iris', { email: 'iris@example.com', email_verified: true });
      const { code, verifier } = await w.codeFor('iris');
      const res = await failure(
        w.client().collection('users').authWithOAuth2Code('oidc', code, verifier, REDIRECT),
      );
      expect(res).toEqual({
        status: 403,
        body: {
          data: {},
          message: "The request doesn't satisfy the collection requirements to authenticate.",
          status: 403,
        },
      });
    } finally {
      await w.admin.collections.update('users', { authRule: '' });
    }
  });

  it('answers 403 while OAuth2 is disabled and lists no providers', async () => {
    await w.admin.collections.update('users', {
      mfa: { enabled: false },
      oauth2: { enabled: false },
    });
    try {
      const res = await failure(
        w.client().collection('users').authWithOAuth2Code('oidc', 'code', 'verifier', REDIRECT),
      );
      expect(res).toEqual({
        status: 403,
        body: {
          data: {},
          message: 'The collection is not configured to allow OAuth2 authentication.',
          status: 403,
        },
      });
      const methods = await authMethods(w.client());
      expect(methods.oauth2).toEqual({ enabled: false, providers: [] });
      expect(methods.authProviders).toBeNull();
    } finally {
      await w.admin.collections.update('users', { oauth2: { enabled: true } });
    }
  });

  it('counts sign-ins under the authWithOAuth2 and auth rate-limit tags', async () => {
    const limit = (label: string) => ({ label, audience: '', duration: 60, maxRequests: 1 });
    for (const label of ['*:authWithOAuth2', 'users:auth']) {
      await w.admin.settings.update({ rateLimits: { enabled: true, rules: [limit(label)] } });
      try {
        const call = () =>
          failure(w.client().collection('users').authWithOAuth2Code('oidc', 'code', '', REDIRECT));
        expect((await call()).status).toBe(400);
        expect(await call()).toEqual({
          status: 429,
          body: { data: {}, message: 'Too Many Requests.', status: 429 },
        });
      } finally {
        await w.admin.settings.update({ rateLimits: { enabled: false, rules: [] } });
      }
    }
  });

  it('never creates superusers through OAuth2', async () => {
    await w.admin.collections.update('_superusers', {
      oauth2: { enabled: true, providers: [oidcConfig()] },
    });
    addAccount('root2', { email: 'root2@example.com', email_verified: true });
    const { code, verifier } = await w.codeFor('root2', { collection: '_superusers' });
    const res = await failure(
      w.client().collection('_superusers').authWithOAuth2Code('oidc', code, verifier, REDIRECT),
    );
    expect(res).toEqual({
      status: 400,
      body: { data: {}, message: 'Failed to authenticate.', status: 400 },
    });
    expect(await w.admin.collection('_superusers').getFullList()).toHaveLength(1);
    // An existing superuser with a provider-verified email may sign in with it.
    addAccount('root', { email: 'root@example.com', email_verified: true });
    const again = await w.codeFor('root', { collection: '_superusers' });
    const auth = await w
      .client()
      .collection('_superusers')
      .authWithOAuth2Code('oidc', again.code, again.verifier, REDIRECT);
    expect(auth.record.email).toBe('root@example.com');
  });
});

describe('named providers pointed at the loopback provider', () => {
  let w: World;

  beforeAll(async () => {
    w = await startWorld();
    await w.admin.collections.update('users', {
      createRule: '',
      oauth2: {
        enabled: true,
        providers: [
          oidcConfig(),
          {
            name: 'google',
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            authURL: idp.authURL,
            tokenURL: idp.tokenURL,
            userInfoURL: idp.userInfoURL,
          },
          {
            name: 'apple',
            clientId: POST_CLIENT_ID,
            clientSecret: POST_CLIENT_SECRET,
            authURL: idp.authURL,
            tokenURL: idp.tokenURL,
            extra: { issuers: [idp.issuer], jwksURL: idp.jwksURL },
          },
          {
            name: 'oidc2',
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            authURL: idp.authURL,
            tokenURL: idp.tokenURL,
            extra: { issuers: [idp.issuer], jwksURL: idp.jwksURL },
          },
          { ...oidcConfig(), name: 'oidc3', displayName: '', pkce: false },
        ],
      },
    });
  });

  it('starts and completes a sign-in without PKCE when a provider turns it off', async () => {
    const methods = await authMethods(w.client());
    const plain = methods.oauth2.providers.find((p) => p.name === 'oidc3')!;
    expect(plain).toMatchObject({
      displayName: 'OpenID Connect (3)',
      codeVerifier: '',
      codeChallenge: '',
      codeChallengeMethod: '',
    });
    expect(new URL(plain.authURL!).searchParams.has('code_challenge')).toBe(false);
    addAccount('nora', { email: 'nora@example.com', email_verified: true });
    const { code, verifier } = await w.codeFor('nora', { provider: 'oidc3' });
    expect(verifier).toBe('');
    const auth = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('oidc3', code, verifier, REDIRECT);
    expect(auth.meta).toMatchObject({ id: 'nora', email: 'nora@example.com' });
  });
  afterAll(async () => {
    await w.close();
  });

  it('signs in with Google (user info endpoint)', async () => {
    addAccount('gus', {
      email: 'gus@example.com',
      email_verified: true,
      name: 'Gus',
      picture: 'https://img.example.com/gus.png',
    });
    const { code, verifier } = await w.codeFor('gus', {
      provider: 'google',
      scope: 'openid email profile',
    });
    const auth = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('google', code, verifier, REDIRECT);
    expect(auth.meta).toMatchObject({
      id: 'gus',
      name: 'Gus',
      email: 'gus@example.com',
      isNew: true,
    });
    expect(auth.record).toMatchObject({ email: 'gus@example.com', verified: true, name: 'Gus' });
  });

  it('signs in with Apple (client secret in the body, verified ID token)', async () => {
    addAccount('ann', { email: 'ann@example.com', email_verified: 'true' });
    const methods = await w.client().collection('users').listAuthMethods();
    const apple = methods.oauth2.providers.find((p) => p.name === 'apple');
    expect(new URL(apple!.authURL).searchParams.get('response_mode')).toBe('form_post');
    const { code, verifier } = await w.codeFor('ann', { provider: 'apple', scope: 'openid email' });
    const auth = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('apple', code, verifier, REDIRECT);
    expect(auth.meta).toMatchObject({ id: 'ann', email: 'ann@example.com', isNew: true });
    expect(auth.meta?.rawUser).toMatchObject({ iss: idp.issuer, aud: POST_CLIENT_ID, sub: 'ann' });
    expect(auth.record).toMatchObject({ email: 'ann@example.com', verified: true });
  });

  it('signs in with a generic OIDC provider from the verified ID token alone', async () => {
    addAccount('otto', { email: 'otto@example.com', email_verified: true, name: 'Otto' });
    const { code, verifier } = await w.codeFor('otto', { provider: 'oidc2' });
    const auth = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('oidc2', code, verifier, REDIRECT);
    expect(auth.meta).toMatchObject({ id: 'otto', email: 'otto@example.com', name: 'Otto' });
    expect(auth.meta?.rawUser).toMatchObject({ iss: idp.issuer, aud: CLIENT_ID });
  });

  it('refuses an ID token from an unexpected issuer', async () => {
    await w.admin.collections.update('users', {
      oauth2: {
        providers: [
          oidcConfig(),
          {
            name: 'oidc2',
            clientId: CLIENT_ID,
            authURL: idp.authURL,
            tokenURL: idp.tokenURL,
            extra: { issuers: ['https://issuer.example.com'], jwksURL: idp.jwksURL },
          },
        ],
      },
    });
    addAccount('pete', { email: 'pete@example.com', email_verified: true });
    const { code, verifier } = await w.codeFor('pete', { provider: 'oidc2' });
    const res = await failure(
      w.client().collection('users').authWithOAuth2Code('oidc2', code, verifier, REDIRECT),
    );
    expect(res).toEqual({
      status: 400,
      body: { data: {}, message: 'Failed to fetch OAuth2 user.', status: 400 },
    });
  });
});

describe("the SDK's authWithOAuth2 popup flow over realtime", () => {
  let w: World;
  let popupIdp: TestIdp;

  beforeAll(async () => {
    w = await startWorld();
    popupIdp = await startTestIdp(
      [
        {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          redirect_uris: [`${w.live.url}/api/oauth2-redirect`],
          response_types: ['code'],
        },
      ],
      { lena: { email: 'lena@example.com', email_verified: true, name: 'Lena' } },
    );
    await w.admin.collections.update('users', {
      createRule: '',
      oauth2: {
        providers: [
          {
            ...oidcConfig(),
            authURL: popupIdp.authURL,
            tokenURL: popupIdp.tokenURL,
            userInfoURL: popupIdp.userInfoURL,
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await w.close();
    await popupIdp.close();
  });

  it('signs in through /api/oauth2-redirect and the @oauth2 realtime message', async () => {
    const pb = w.client();
    const redirectURL = `${w.live.url}/api/oauth2-redirect`;
    const auth = await pb.collection('users').authWithOAuth2({
      provider: 'oidc',
      createData: { name: 'from createData' },
      urlCallback: async (url) => {
        const back = await popupIdp.signIn(url, 'lena', redirectURL);
        // The browser follows the provider's redirect back to Basalt.
        const res = await fetch(back.url, { redirect: 'manual' });
        await res.body?.cancel();
      },
    });
    expect(auth.meta).toMatchObject({ id: 'lena', email: 'lena@example.com', isNew: true });
    expect(auth.record).toMatchObject({ email: 'lena@example.com', name: 'from createData' });
    expect(pb.authStore.record?.id).toBe(auth.record.id);
  });
});

describe('OAuth2 avatars into a file field (API.md §3.1 mappedFields.avatarURL)', () => {
  let w: World;
  let images: Server;
  let base: string;

  beforeAll(async () => {
    w = await startWorld();
    const png = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: 0, g: 90, b: 200 } },
    })
      .png()
      .toBuffer();
    images = createServer((req, res) => {
      if (req.url === '/portrait.png') {
        res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      } else if (req.url === '/page.html') {
        res.writeHead(200, { 'content-type': 'image/png' }).end('<html><script></script></html>');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String((images.address() as AddressInfo).port)}`;
    // users.avatar is a file field of image types (API.md §3.1): map the avatar URL into it.
    await w.admin.collections.update('users', {
      oauth2: { mappedFields: { name: 'name', username: 'nickname', avatarURL: 'avatar' } },
    });
  });
  afterAll(async () => {
    await w.close();
    await new Promise((resolve) => images.close(resolve));
  });

  async function signUp(account: string, picture: string): Promise<Record<string, unknown>> {
    idp.accounts.set(account, {
      email: `${account}@example.com`,
      email_verified: true,
      name: account,
      picture,
    });
    const { code, verifier } = await w.codeFor(account);
    const auth = await w
      .client()
      .collection('users')
      .authWithOAuth2Code('oidc', code, verifier, REDIRECT);
    return auth.record;
  }

  it('stores the downloaded avatar as the new record’s file', async () => {
    const record = await signUp('carol', `${base}/portrait.png`);
    expect(record.avatar).toMatch(/^portrait_[a-z0-9]{10}\.png$/);
    const url = w.admin.files.getURL(record, String(record.avatar));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    await res.arrayBuffer();
  });

  it('signs in without an avatar when it is missing, not an image, or not http', async () => {
    for (const [account, picture] of [
      ['dave', `${base}/missing.png`],
      ['erin', `${base}/page.html`],
      ['finn', 'file:///etc/passwd'],
    ] as const) {
      const record = await signUp(account, picture);
      expect(record.avatar).toBe('');
    }
  });
});
