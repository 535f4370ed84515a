import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { sdkClient, sdkSuperuser } from '../helpers/sdk-client.js';

let live: LiveServer;
let admin: PocketBase;
let guest: PocketBase;

beforeAll(async () => {
  live = await startLiveServer();
  admin = await sdkSuperuser(live);
  guest = sdkClient(live);
});
afterAll(async () => {
  await live.close();
});

describe('auth-methods through the official pocketbase SDK', () => {
  it('lists the default methods of users, with the legacy keys', async () => {
    const res = await fetch(`${live.url}/api/collections/users/auth-methods`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      password: { enabled: true, identityFields: ['email'] },
      oauth2: { enabled: false, providers: [] },
      mfa: { enabled: false, duration: 0 },
      otp: { enabled: false, duration: 0 },
      authProviders: null,
      usernamePassword: false,
      emailPassword: true,
    });
    const methods = await guest.collection('users').listAuthMethods();
    expect(methods).toEqual({
      password: { enabled: true, identityFields: ['email'] },
      oauth2: { enabled: false, providers: [] },
      mfa: { enabled: false, duration: 0 },
      otp: { enabled: false, duration: 0 },
    });
  });

  it('reports disabled password auth and enabled otp, mfa and oauth2', async () => {
    await admin.collections.create({
      name: 'members',
      type: 'auth',
      fields: [],
      passwordAuth: { enabled: false },
      otp: { enabled: true, duration: 300 },
      mfa: { enabled: true, duration: 900 },
      oauth2: { enabled: true },
    });
    const res = await fetch(`${live.url}/api/collections/members/auth-methods`);
    expect(await res.json()).toMatchObject({
      authProviders: [],
      usernamePassword: false,
      emailPassword: false,
    });
    const methods = await guest.collection('members').listAuthMethods();
    expect(methods).toEqual({
      password: { enabled: false, identityFields: [] },
      oauth2: { enabled: true, providers: [] },
      mfa: { enabled: true, duration: 900 },
      otp: { enabled: true, duration: 300 },
    });
  });

  it('answers 404 for base and unknown collections', async () => {
    await admin.collections.create({ name: 'posts', type: 'base', fields: [] });
    const cases = [
      ['posts', 'Missing or invalid auth collection context.'],
      ['missing', 'Missing or invalid collection context.'],
    ] as const;
    for (const [name, message] of cases) {
      const error = await guest
        .collection(name)
        .listAuthMethods()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ClientResponseError);
      expect((error as ClientResponseError).status).toBe(404);
      expect((error as ClientResponseError).message).toBe(message);
    }
  });
});
