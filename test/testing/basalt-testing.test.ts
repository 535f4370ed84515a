import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineHooks } from '../../src/http/hooks-app.js';
import { createTestServer, type TestServer } from '../../src/testing/index.js';
import { mysqlAdminUrl, postgresAdminUrl, testEngine } from '../helpers/test-engine.js';

// basalt/testing as an app's own tests use it: the real server over a fresh database of the
// run's engine, SDK clients per actor, a fake clock that decides when jobs are due, crons
// run on demand, the mails kept, and the replay switch.
const engine = testEngine();
const adminUrl =
  engine === 'postgres' ? postgresAdminUrl() : engine === 'mysql' ? mysqlAdminUrl() : undefined;

const HOUR = 3_600_000;
let hookRuns = 0;

const app = defineHooks((b) => {
  b.jobAdd('remind', async (e) => {
    const payload = e.payload as { note: string };
    await e.app.records('reminders').create({ note: payload.note });
  });
  b.cronAdd('tally', '0 * * * *', async (e) => {
    const notes = await e.app.records('notes').list({ perPage: 1 });
    await e.app.records('tallies').create({ count: notes.totalItems });
  });
  b.onRecordCreate('notes', async (e) => {
    hookRuns += 1;
    await e.next();
    // A reminder an hour after the note: written in the note's transaction.
    await e.app.enqueue('remind', { note: e.record.id }, { runAt: e.app.clock.now() + HOUR });
  });
});

async function createCollections(t: TestServer): Promise<void> {
  const su = await t.superuser();
  const users = await su.collections.getOne('users');
  await su.collections.create({
    name: 'notes',
    type: 'base',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
    ],
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: '@request.auth.id != "" && owner = @request.auth.id',
  });
  await su.collections.create({
    name: 'reminders',
    type: 'base',
    fields: [{ name: 'note', type: 'text' }],
  });
  await su.collections.create({
    name: 'tallies',
    type: 'base',
    fields: [{ name: 'count', type: 'number' }],
  });
}

describe('basalt/testing', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await createTestServer({
      engine,
      adminUrl,
      hooks: app,
      now: Date.parse('2030-05-01T08:00:00Z'),
    });
    await createCollections(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives each actor its own signed-in SDK client, and the rules apply', async () => {
    const alice = await t.actor('alice');
    const bob = await t.actor('bob');
    const aliceId = alice.authStore.record?.id ?? '';
    const note = await alice.collection('notes').create({ title: 'mine', owner: aliceId });
    expect((await alice.collection('notes').getList()).totalItems).toBe(1);
    expect((await bob.collection('notes').getList()).totalItems).toBe(0);
    await expect(bob.collection('notes').getOne(note.id)).rejects.toMatchObject({ status: 404 });
    await expect(t.guest().collection('notes').create({ title: 'x' })).rejects.toMatchObject({
      status: 400,
    });
    // A second call signs in to the same account.
    expect((await t.actor('alice')).authStore.record?.id).toBe(aliceId);
  });

  it('runs a job when the fake clock makes it due', async () => {
    // The reminders of earlier notes first.
    t.clock.advance(2 * HOUR);
    await t.drainJobs();
    const alice = await t.actor('alice');
    const before = await t.app.records('reminders').list();
    const note = await alice
      .collection('notes')
      .create({ title: 'later', owner: alice.authStore.record?.id });
    expect((await t.drainJobs()).ran).toBe(0);
    t.clock.advance(HOUR - 1);
    expect((await t.drainJobs()).ran).toBe(0);
    t.clock.advance(1);
    expect(await t.drainJobs()).toMatchObject({ ran: 1, done: 1 });
    const after = await t.app.records('reminders').list();
    expect(after.totalItems).toBe(before.totalItems + 1);
    expect(after.items.map((r) => r.note)).toContain(note.id);
  });

  it('runs a cron job on demand', async () => {
    const notes = await t.app.records('notes').list({ perPage: 1 });
    await t.runCron('tally');
    const tallies = await t.app.records('tallies').list();
    expect(tallies.items.map((r) => r.count)).toEqual([notes.totalItems]);
    await expect(t.runCron('nope')).rejects.toMatchObject({ status: 404 });
  });

  it('keeps the mails sent', async () => {
    const carol = await t.actor('carol', { data: { name: 'Carol' } });
    const sent = t.mails.length;
    await carol.collection('users').requestPasswordReset('carol@basalt.test');
    await expect.poll(() => t.mails.length).toBe(sent + 1);
    expect(t.mails.at(-1)).toMatchObject({ to: 'carol@basalt.test' });
    // An unknown address gets no mail (and the same answer).
    await t.guest().collection('users').requestPasswordReset('nobody@basalt.test');
    expect(t.mails.length).toBe(sent + 1);
  });
});

describe('basalt/testing with replayWriteAttempts', () => {
  it('runs every write attempt twice: a hook that counts outside the database shows it', async () => {
    const t = await createTestServer({ engine, adminUrl, hooks: app, replayWriteAttempts: true });
    const dataDir = t.app.config.dataDir;
    try {
      await createCollections(t);
      const alice = await t.actor('alice');
      const runs = hookRuns;
      await alice.collection('notes').create({ title: 'twice', owner: alice.authStore.record?.id });
      expect(hookRuns - runs).toBe(2);
      // The data and the job are there once.
      expect((await alice.collection('notes').getList()).totalItems).toBe(1);
      t.clock.advance(HOUR);
      expect((await t.drainJobs()).ran).toBe(1);
    } finally {
      await t.close();
    }
    expect(existsSync(dataDir)).toBe(false);
  });
});
