import { EventSource } from 'eventsource';
import type PocketBase from 'pocketbase';
import type { RecordModel } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient } from '../helpers/sdk-client.js';
import { realtimeFixture, sleep, type RealtimeFixture } from './realtime-fixture.js';

// Node 20 has no EventSource; the SDK opens `new EventSource(url)` from the global scope.
const globals = globalThis as { EventSource?: unknown };
globals.EventSource ??= EventSource;

interface Event {
  action: string;
  record: RecordModel;
}

let f: RealtimeFixture;
let admin: PocketBase;
let user: PocketBase;
let userId: string;

/** Collects the events a callback receives; `next` waits for the next one. */
function collector() {
  const events: Event[] = [];
  const cb = (e: Event) => {
    events.push(e);
  };
  const next = async (ms = 5000): Promise<Event> => {
    const deadline = Date.now() + ms;
    while (events.length === 0) {
      if (Date.now() > deadline) throw new Error('no event');
      await sleep(10);
    }
    return events.shift() as Event;
  };
  return { events, cb, next };
}

beforeAll(async () => {
  f = await realtimeFixture({ realtime: { maxLifetimeMs: 60_000 } });
  admin = sdkClient(f.live);
  await admin.collection('_superusers').authWithPassword('root@example.com', 'root-password-1');
  await admin.collections.create({
    name: 'tasks',
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
    ],
  });
  await admin.collections.update('users', { listRule: '', viewRule: '' });
  const u = await admin.collection('users').create({
    email: 'sdk-rt@example.com',
    password: 'sdk-password-1',
    passwordConfirm: 'sdk-password-1',
    name: 'Rita',
  });
  userId = u.id;
  user = sdkClient(f.live);
  await user.collection('users').authWithPassword('sdk-rt@example.com', 'sdk-password-1');
});
afterAll(async () => {
  await user.realtime.unsubscribe();
  await admin.realtime.unsubscribe();
  // After a server-ended stream the SDK's reconnected EventSource (the eventsource polyfill
  // over undici) can keep its socket open although the SDK closed it: cut what is left.
  f.live.server.server.closeAllConnections();
  await f.close();
});

describe('realtime through the official pocketbase SDK', () => {
  it("subscribes to '*' and to one record, and unsubscribes", async () => {
    const all = collector();
    const one = collector();
    await user.collection('tasks').subscribe('*', all.cb);
    const task = await user.collection('tasks').create({ title: 'a', owner: userId });
    expect(await all.next()).toMatchObject({ action: 'create', record: { id: task.id } });
    await user.collection('tasks').subscribe(task.id, one.cb);
    await user.collection('tasks').update(task.id, { title: 'b' });
    expect(await one.next()).toMatchObject({ action: 'update', record: { title: 'b' } });
    expect(await all.next()).toMatchObject({ action: 'update', record: { title: 'b' } });
    await user.collection('tasks').unsubscribe(task.id);
    await user.collection('tasks').delete(task.id);
    expect(await all.next()).toMatchObject({ action: 'delete', record: { id: task.id } });
    await sleep(150);
    expect(one.events).toEqual([]);
    await user.collection('tasks').unsubscribe();
    await user.collection('tasks').create({ title: 'c', owner: userId });
    await sleep(150);
    expect(all.events).toEqual([]);
    expect(user.realtime.isConnected).toBe(false);
  });

  it('passes filter, expand and fields options', async () => {
    const got = collector();
    await user
      .collection('tasks')
      .subscribe('*', got.cb, { filter: 'title ~ "yes"', expand: 'owner', fields: 'title,expand' });
    await user.collection('tasks').create({ title: 'no', owner: userId });
    await user.collection('tasks').create({ title: 'yes!', owner: userId });
    const e = await got.next();
    expect(e.record).toEqual({
      title: 'yes!',
      expand: { owner: expect.objectContaining({ name: 'Rita' }) as unknown },
    });
    await sleep(100);
    expect(got.events).toEqual([]);
    await user.collection('tasks').unsubscribe('*');
  });

  it('keeps other users out by the rules; guests too', async () => {
    const guest = sdkClient(f.live);
    const g = collector();
    const s = collector();
    await guest.collection('tasks').subscribe('*', g.cb);
    await admin.collection('tasks').subscribe('*', s.cb);
    await user.collection('tasks').create({ title: 'private', owner: userId });
    expect((await s.next()).record.title).toBe('private');
    await sleep(150);
    expect(g.events).toEqual([]);
    await guest.realtime.unsubscribe();
    await admin.collection('tasks').unsubscribe();
  });

  it('receives custom topics and PB_CONNECT', async () => {
    const pb = sdkClient(f.live);
    const news: unknown[] = [];
    const connects: unknown[] = [];
    await pb.realtime.subscribe('PB_CONNECT', (e) => connects.push(e));
    await pb.realtime.subscribe('news', (e) => news.push(e));
    await sleep(50);
    expect(connects).toHaveLength(1);
    expect(f.live.app.realtime.send('news', { hello: 'world' })).toBe(1);
    for (let i = 0; i < 100 && news.length === 0; i++) await sleep(10);
    expect(news).toEqual([{ hello: 'world' }]);
    await pb.realtime.unsubscribe();
  });

  it('reconnects and subscribes again when the server ends the stream', async () => {
    const got = collector();
    await user.collection('tasks').subscribe('*', got.cb);
    const before = user.realtime.clientId;
    f.live.app.realtime.closeAll();
    for (let i = 0; i < 300 && user.realtime.clientId === before; i++) await sleep(10);
    for (let i = 0; i < 300 && !user.realtime.isConnected; i++) await sleep(10);
    expect(user.realtime.clientId).not.toBe(before);
    await sleep(100);
    await user.collection('tasks').create({ title: 'after', owner: userId });
    expect((await got.next()).record.title).toBe('after');
    await user.collection('tasks').unsubscribe();
  });

  it('hears changes through the record hooks: enriched, never for a rollback, never stopped by an app handler', async () => {
    const hooks = f.live.app.hooks;
    const bound = [
      hooks.onRecordEnrich.on('tasks', async (e) => {
        e.record.set('shout', e.record.getString('title').toUpperCase());
        await e.next();
      }),
    ];
    const stop = hooks.onRecordAfterCreateSuccess.on('tasks', async () => {
      // Returns without e.next(): logged, and must not keep realtime from sending.
    });
    const refuse = hooks.onRecordCreate.on('tasks', async (e) => {
      await e.next();
      if (e.record.getString('title') === 'rolled back') throw new Error('no');
    });
    try {
      const got = collector();
      await user.collection('tasks').subscribe('*', got.cb);
      await expect(
        user.collection('tasks').create({ title: 'rolled back', owner: userId }),
      ).rejects.toThrow();
      await user.collection('tasks').create({ title: 'kept', owner: userId });
      const event = await got.next();
      expect(event.action).toBe('create');
      expect(event.record).toMatchObject({ title: 'kept', shout: 'KEPT' });
      await sleep(100);
      expect(got.events).toEqual([]);
      await user.collection('tasks').unsubscribe();
    } finally {
      hooks.onRecordEnrich.unbind(...bound);
      hooks.onRecordAfterCreateSuccess.unbind(stop);
      hooks.onRecordCreate.unbind(refuse);
    }
  });
});
