import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAuthRecord } from '../helpers/users.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { sdkClient, sdkSuperuser } from '../helpers/sdk-client.js';
import { testEngine } from '../helpers/test-engine.js';

// `GET /api/crons` and `POST /api/crons/{id}` through the official SDK's `pb.crons`
// (PocketBase apis/cron.go): superusers only, run in the background, 204.

let live: LiveServer;
let admin: PocketBase;
let user: PocketBase;
const runs: string[] = [];

async function failure(promise: Promise<unknown>): Promise<ClientResponseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientResponseError);
  return error as ClientResponseError;
}

/** Polls until `runs` has `n` entries (generous limit; it waits, it does not measure). */
async function runsReach(n: number): Promise<void> {
  for (let i = 0; i < 500 && runs.length < n; i++) await new Promise((r) => setTimeout(r, 20));
}

beforeAll(async () => {
  live = await startLiveServer();
  admin = await sdkSuperuser(live);
  await insertAuthRecord(live.app, 'users', 'cron-user@example.com', 'cron-password-1');
  user = sdkClient(live);
  await user.collection('users').authWithPassword('cron-user@example.com', 'cron-password-1');
  live.app.cron.add('reports', '@daily', (e) => {
    runs.push(`reports:${e.tick === undefined ? 'now' : 'tick'}`);
  });
  live.app.cron.add('expire-orders', '*/5 * * * *', () => {
    runs.push('expire-orders');
  });
});
afterAll(async () => {
  await live.close();
});

describe('crons through the pocketbase SDK', () => {
  it('lists app jobs by id, then the system jobs (PocketBase ids and schedules)', async () => {
    const list = await admin.crons.getFullList();
    expect(list).toEqual([
      { id: 'expire-orders', expression: '*/5 * * * *' },
      { id: 'reports', expression: '0 0 * * *' },
      { id: '__basaltIdempotencyCleanup__', expression: '15 * * * *' },
      { id: '__basaltJobsCleanup__', expression: '30 3 * * *' },
      ...(testEngine() === 'sqlite' ? [{ id: '__pbDBOptimize__', expression: '0 0 * * *' }] : []),
      { id: '__pbMFACleanup__', expression: '0 * * * *' },
      { id: '__pbOTPCleanup__', expression: '0 * * * *' },
    ]);
  });

  it('runs a job now: 204 at once, the run follows in the background', async () => {
    const before = runs.length;
    expect(await admin.crons.run('reports')).toBe(true);
    await runsReach(before + 1);
    expect(runs.slice(before)).toEqual(['reports:now']);
  });

  it('refuses guests (401) and other records (403), and runs nothing', async () => {
    const before = runs.length;
    const guest = sdkClient(live);
    const guestList = await failure(guest.crons.getFullList());
    expect(guestList.status).toBe(401);
    expect(guestList.response).toEqual({
      status: 401,
      message: 'The request requires valid record authorization token.',
      data: {},
    });
    expect((await failure(guest.crons.run('reports'))).status).toBe(401);
    const userList = await failure(user.crons.getFullList());
    expect(userList.status).toBe(403);
    expect(userList.response).toEqual({
      status: 403,
      message: 'The authorized record is not allowed to perform this action.',
      data: {},
    });
    expect((await failure(user.crons.run('reports'))).status).toBe(403);
    // A run on demand would have been queued by now: one that was allowed comes after it.
    await admin.crons.run('expire-orders');
    await runsReach(before + 1);
    expect(runs.slice(before)).toEqual(['expire-orders']);
  });

  it('answers 404 for an unknown job', async () => {
    const missing = await failure(admin.crons.run('missing'));
    expect(missing.status).toBe(404);
    expect(missing.response).toEqual({
      status: 404,
      message: 'Missing or invalid cron job.',
      data: {},
    });
  });

  it('runs a system clean-up on demand', async () => {
    expect(await admin.crons.run('__pbOTPCleanup__')).toBe(true);
    for (let i = 0; i < 500; i++) {
      if ((await live.app.cron.state('__pbOTPCleanup__')).lastStatus !== '') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await live.app.cron.state('__pbOTPCleanup__')).toMatchObject({ lastStatus: 'ok' });
  });
});
