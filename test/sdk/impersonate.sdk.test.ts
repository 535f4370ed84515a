import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAuthRecord } from '../helpers/users.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { sdkClient, sdkSuperuser } from '../helpers/sdk-client.js';

let live: LiveServer;
let admin: PocketBase;
let user: PocketBase;
let userId: string;
let adminId: string;

function client(): PocketBase {
  return sdkClient(live);
}

function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function failure(promise: Promise<unknown>): Promise<ClientResponseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientResponseError);
  return error as ClientResponseError;
}

beforeAll(async () => {
  live = await startLiveServer();
  admin = await sdkSuperuser(live);
  adminId = admin.authStore.record?.id ?? '';
  userId = await insertAuthRecord(live.app, 'users', 'imp@example.com', 'imp-password-1');
  user = client();
  await user.collection('users').authWithPassword('imp@example.com', 'imp-password-1');
});
afterAll(async () => {
  await live.close();
});

describe('impersonate through the official pocketbase SDK', () => {
  it('returns a client authenticated as the record with a non-refreshable token', async () => {
    const before = Math.floor(Date.now() / 1000);
    const impersonated = await admin.collection('users').impersonate(userId, 3600);
    const { token, record } = impersonated.authStore;
    expect(record).toMatchObject({ id: userId, email: 'imp@example.com' });
    expect(record).not.toHaveProperty('password');
    expect(record).not.toHaveProperty('tokenKey');
    const claims = claimsOf(token);
    expect(claims).toMatchObject({
      id: userId,
      type: 'auth',
      collectionId: '_pb_users_auth_',
      refreshable: false,
    });
    expect(Number(claims.exp) - before).toBeGreaterThanOrEqual(3600);
    expect(Number(claims.exp) - before).toBeLessThanOrEqual(3602);
    const own = await impersonated.collection('users').getOne(userId);
    expect(own.id).toBe(userId);
    const refreshed = await impersonated.collection('users').authRefresh();
    expect(refreshed.token).toBe(token);
  });

  it('uses the collection authToken duration for 0 and honours fields', async () => {
    const res = await fetch(
      `${live.url}/api/collections/users/impersonate/${userId}?fields=token`,
      {
        method: 'POST',
        headers: { Authorization: admin.authStore.token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ duration: 0 }),
      },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string };
    expect(Object.keys(body)).toEqual(['token']);
    const collection = live.app.collections.findAuth('users');
    const lifetime = Number(claimsOf(body.token).exp) - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan((collection?.authToken.duration ?? 0) - 60);
    expect(lifetime).toBeLessThanOrEqual(collection?.authToken.duration ?? 0);
  });

  it('is for superusers only', async () => {
    const guest = await failure(client().collection('users').impersonate(userId, 0));
    expect(guest.status).toBe(401);
    expect(guest.message).toBe('The request requires valid record authorization token.');
    const asUser = await failure(user.collection('users').impersonate(userId, 0));
    expect(asUser.status).toBe(403);
    expect(asUser.message).toBe('The authorized record is not allowed to perform this action.');
    const superuser = await failure(user.collection('_superusers').impersonate(adminId, 0));
    expect(superuser.status).toBe(403);
    const impersonated = await admin.collection('_superusers').impersonate(adminId, 60);
    expect(impersonated.authStore.isSuperuser).toBe(true);
    const collections = await impersonated.collections.getList(1, 1);
    expect(collections.totalItems).toBeGreaterThan(0);
  });

  it('answers 404 for unknown records and non-auth or unknown collections', async () => {
    const missing = await failure(admin.collection('users').impersonate('nope12345678901', 0));
    expect(missing.status).toBe(404);
    await admin.collections.create({ name: 'notes', type: 'base', fields: [] });
    for (const name of ['notes', 'missing']) {
      const error = await failure(admin.collection(name).impersonate(userId, 0));
      expect(error.status).toBe(404);
      expect(error.message).toBe('Missing or invalid auth collection context.');
    }
  });

  it('validates the duration', async () => {
    for (const duration of [-1, 1.5, 'soon', 1e12]) {
      const error = await failure(
        admin.send(`/api/collections/users/impersonate/${userId}`, {
          method: 'POST',
          body: { duration },
        }),
      );
      expect(error.status).toBe(400);
      expect(error.message).toBe('An error occurred while validating the submitted data.');
      expect(error.data.data).toHaveProperty('duration.code');
    }
  });
});
