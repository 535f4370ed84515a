import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';

let live: LiveServer;
let admin: PocketBase;
let user: PocketBase;
let userId: string;

beforeAll(async () => {
  live = await startLiveServer();
  await createSuperuser(live.app, 'root@example.com', 'root-password-1');
  admin = new PocketBase(live.url);
  admin.autoCancellation(false);
  await admin.collection('_superusers').authWithPassword('root@example.com', 'root-password-1');
  await admin.collections.create({
    name: 'tasks',
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: '@request.auth.id != "" && owner = @request.auth.id',
    updateRule: 'owner = @request.auth.id',
    deleteRule: 'owner = @request.auth.id',
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'done', type: 'bool' },
      { name: 'due', type: 'date' },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', required: true },
      { name: 'priority', type: 'number' },
    ],
  });
  await admin.settings.update({ batch: { enabled: true } });
  user = new PocketBase(live.url);
  user.autoCancellation(false);
  const created = await user.collection('users').create({
    email: 'sdk@example.com',
    password: 'sdk-password-1',
    passwordConfirm: 'sdk-password-1',
    name: 'SDK',
  });
  userId = created.id;
  await user.collection('users').authWithPassword('sdk@example.com', 'sdk-password-1');
});
afterAll(async () => {
  await live.close();
});

describe('records through the official pocketbase SDK', () => {
  it('creates, reads, updates and deletes', async () => {
    const task = await user.collection('tasks').create({
      title: 'Write tests',
      owner: userId,
      priority: 2,
      due: new Date('2030-01-02T03:04:05Z'),
    });
    expect(task.title).toBe('Write tests');
    expect(task.due).toBe('2030-01-02 03:04:05.000Z');
    const read = await user.collection('tasks').getOne(task.id, { expand: 'owner' });
    const owner = (read.expand as { owner: { name: string } } | undefined)?.owner;
    expect(owner?.name).toBe('SDK');
    const updated = await user.collection('tasks').update(task.id, { done: true, 'priority+': 3 });
    expect(updated).toMatchObject({ done: true, priority: 5 });
    await user.collection('tasks').delete(task.id);
    const gone = await user
      .collection('tasks')
      .getOne(task.id)
      .catch((e: unknown) => e);
    expect((gone as ClientResponseError).status).toBe(404);
  });

  it('lists with getList, getFullList and getFirstListItem, and pb.filter', async () => {
    for (let i = 0; i < 25; i++)
      await user
        .collection('tasks')
        .create({ title: `task ${String(i)}`, owner: userId, priority: i });
    const page = await user
      .collection('tasks')
      .getList(2, 10, { sort: '-priority', filter: 'priority >= 5' });
    expect(page).toMatchObject({ page: 2, perPage: 10, totalItems: 20, totalPages: 2 });
    expect(page.items[0]!.priority).toBe(14);
    const all = await user.collection('tasks').getFullList({ batch: 7, sort: 'priority' });
    expect(all.length).toBe(25);
    const first = await user
      .collection('tasks')
      .getFirstListItem(user.filter('title = {:t} && priority > {:p}', { t: 'task 7', p: 1 }));
    expect(first.priority).toBe(7);
    const missing = await user
      .collection('tasks')
      .getFirstListItem('title = "nope"')
      .catch((e: unknown) => e);
    expect((missing as ClientResponseError).status).toBe(404);
    const guest = new PocketBase(live.url);
    expect((await guest.collection('tasks').getList(1, 10)).totalItems).toBe(0);
  });

  it('sends transactional batches', async () => {
    const batch = user.createBatch();
    batch.collection('tasks').create({ title: 'b1', owner: userId });
    batch.collection('tasks').create({ title: 'b2', owner: userId });
    const results = await batch.send();
    expect(results.map((r: { status: number }) => r.status)).toEqual([200, 200]);
    const failing = user.createBatch();
    failing.collection('tasks').create({ title: 'b3', owner: userId });
    failing.collection('tasks').create({ title: '', owner: userId });
    const err = await failing.send().catch((e: unknown) => e);
    expect((err as ClientResponseError).status).toBe(400);
    const b3 = await user.collection('tasks').getList(1, 1, { filter: 'title = "b3"' });
    expect(b3.totalItems).toBe(0);
  });

  it('reports validation errors the SDK way', async () => {
    const err = await user
      .collection('tasks')
      .create({ title: '', owner: userId })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientResponseError);
    expect((err as ClientResponseError).response.data).toMatchObject({
      title: { code: 'validation_required' },
    });
  });
});
