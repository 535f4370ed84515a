import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import {
  processSuperuserToken,
  startBasaltProcess,
  type BasaltProcess,
} from '../helpers/basalt-process.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// Several `basalt serve` processes (the built CLI) on one database, each running the job
// workers createBasalt starts, with the jobs of a hooks folder: every job runs exactly once
// across them, and a job whose worker is killed with kill -9 mid-attempt is run again by
// another process after its lease. Runs are recorded in a `runs` collection.

const HOOKS = `
import { defineHooks } from 'basalt';

export default defineHooks((app) => {
  const record = (e, n) =>
    e.app.records('runs').create({ job: e.job.id, n, pid: process.pid, attempt: e.job.attempt });
  app.jobAdd('record', async (e) => {
    await record(e, e.payload.n);
    await new Promise((r) => setTimeout(r, 100));
  });
  // The first attempt never ends: the test kills its process.
  app.jobAdd(
    'hang',
    async (e) => {
      await record(e, -1);
      if (e.job.attempt === 1) await new Promise(() => undefined);
    },
    { timeoutMs: 2000 },
  );
});
`;

const JOBS = 40;

let root: string;
let dataDir: string;
let database: EngineDatabase;
let observer: App;
const processes: BasaltProcess[] = [];

async function start(): Promise<BasaltProcess> {
  const proc = await startBasaltProcess(dataDir, database.url ?? '');
  processes.push(proc);
  return proc;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  // Polling only waits (generously); the assertions are on rows and counts.
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface RunRow {
  job: string;
  n: number;
  pid: number;
  attempt: number;
}

async function runsOf(job?: string): Promise<RunRow[]> {
  let query = observer.db.db.selectFrom('runs').select(['job', 'n', 'pid', 'attempt']);
  if (job !== undefined) query = query.where('job', '=', job);
  const rows = await query.orderBy('attempt').execute();
  return rows.map((r) => ({
    job: String(r.job),
    n: Number(r.n),
    pid: Number(r.pid),
    attempt: Number(r.attempt),
  }));
}

/** A bigint column's value (PostgreSQL returns text). */
const asNumber = (value: unknown): number => Number(value);

async function jobState(id: string) {
  const row = await observer.db.db
    .selectFrom('_jobs')
    .select(['state', 'attempts', 'lockedBy'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { state: row.state, attempts: asNumber(row.attempts), lockedBy: row.lockedBy };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'basalt-jobs-'));
  dataDir = join(root, 'basalt_data');
  mkdirSync(join(root, 'basalt_hooks'));
  writeFileSync(join(root, 'basalt_hooks', 'jobs.js'), HOOKS);
  database = await createEngineDatabase();
  const first = await start();
  const token = await processSuperuserToken(first.url);
  const created = await fetch(`${first.url}/api/collections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({
      name: 'runs',
      type: 'base',
      fields: [
        { name: 'job', type: 'text' },
        { name: 'n', type: 'number' },
        { name: 'pid', type: 'number' },
        { name: 'attempt', type: 'number' },
      ],
    }),
  });
  expect(created.status).toBe(200);
  await start();
  // This process only enqueues and observes (its workers are never started).
  observer = await App.open({ dataDir, databaseUrl: database.url });
  observer.jobs.add('record', () => undefined);
  observer.jobs.add('hang', () => undefined);
}, 120_000);

afterAll(async () => {
  for (const proc of processes) await proc.stop('SIGKILL');
  await observer.close();
  await database.drop();
  rmSync(root, { recursive: true, force: true });
});

describe('job workers in several processes', () => {
  it('runs each of N jobs exactly once across two processes', async () => {
    const ids = await observer.transaction(async () => {
      const out: string[] = [];
      for (let n = 0; n < JOBS; n++) out.push(await observer.enqueue('record', { n }));
      return out;
    });
    await waitFor(async () => {
      const done = await observer.db.db
        .selectFrom('_jobs')
        .select((eb) => eb.fn.countAll().as('c'))
        .where('state', '=', 'done')
        .executeTakeFirstOrThrow();
      return Number(done.c) === JOBS;
    }, 'every job to be done');
    const runs = await runsOf();
    expect(runs.map((r) => r.n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: JOBS }, (_, n) => n),
    );
    expect(new Set(runs.map((r) => r.job))).toEqual(new Set(ids));
    expect(runs.every((r) => r.attempt === 1)).toBe(true);
    const workers = new Set(runs.map((r) => r.pid));
    const pids = new Set(processes.map((p) => p.child.pid));
    expect([...workers].every((pid) => pids.has(pid))).toBe(true);
    for (const proc of processes) expect(proc.alive()).toBe(true);
  });

  it('runs a job again in another process after its worker is killed mid-attempt', async () => {
    // One process left, so that it is the one that takes the job.
    const [first, second] = processes;
    if (!first || !second) throw new Error('two processes expected');
    await second.stop('SIGTERM');
    const id = await observer.enqueue('hang', {});
    await waitFor(async () => (await runsOf(id)).length === 1, 'the first attempt to start');
    expect(await jobState(id)).toMatchObject({ state: 'running', attempts: 1 });
    expect((await jobState(id)).lockedBy).toContain(`/${String(first.child.pid)}/`);
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');

    const third = await start();
    await waitFor(async () => (await jobState(id)).state === 'done', 'the job to be done');
    expect(await jobState(id)).toEqual({ state: 'done', attempts: 2, lockedBy: null });
    const runs = await runsOf(id);
    expect(runs.map((r) => [r.attempt, r.pid])).toEqual([
      [1, first.child.pid],
      [2, third.child.pid],
    ]);
  });
});
