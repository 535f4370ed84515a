import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBasalt, defineHooks, HooksLoadError, type Basalt } from '../../src/index.js';
import { JobEnqueueError } from '../../src/core/jobs/job-input.js';
import type { Clock } from '../../src/lib/clock.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';
import { HooksAppDir } from '../hooks/hooks-app-dir.js';

// jobAdd from a hooks folder (a reload replaces the folder's jobs, a bad option fails the
// load naming the file) and the workers createBasalt starts and close() stops.

/** Runs the hooks files record, visible to the test (the bundles run in this process). */
const RUNS_KEY = '__basaltJobRuns';

function runs(): string[] {
  const holder = globalThis as unknown as Record<string, string[] | undefined>;
  holder[RUNS_KEY] ??= [];
  return holder[RUNS_KEY];
}

function jobsFile(version: string, extra = ''): string {
  return `
import { defineHooks } from 'basalt';

export default defineHooks((app) => {
  const runs = (globalThis.${RUNS_KEY} ??= []);
  app.jobAdd('greet', (e) => {
    runs.push('${version}:' + e.payload.who);
  });
  ${extra}
});
`;
}

const clock: Clock = { now: () => Date.UTC(2030, 0, 1) };
let appDir: HooksAppDir;
let database: EngineDatabase;
let basalt: Basalt | undefined;

beforeEach(async () => {
  runs().length = 0;
  appDir = new HooksAppDir();
  database = await createEngineDatabase();
});

afterEach(async () => {
  await basalt?.close({ graceMs: 500 });
  basalt = undefined;
  await database.drop();
  appDir.remove();
});

describe('jobs of the hooks folder', () => {
  it('replaces the folder jobs on reload and keeps them when a reload fails', async () => {
    appDir.write('jobs.ts', jobsFile('v1', "app.jobAdd('gone', () => undefined);"));
    basalt = await createBasalt({
      dataDir: appDir.dataDir,
      db: database.url,
      hooksDir: appDir.hooksDir,
      clock,
      jobs: { disabled: true },
    });
    expect(basalt.app.jobs.started).toBe(false);
    await basalt.app.enqueue('greet', { who: 'ada' });
    expect(await basalt.app.jobs.drain()).toMatchObject({ ran: 1, done: 1 });
    expect(basalt.app.jobs.names()).toEqual(['gone', 'greet']);

    appDir.write('jobs.ts', jobsFile('v2', "app.jobAdd('added', () => undefined);"));
    await basalt.hooksFolder?.reload();
    expect(basalt.app.jobs.names()).toEqual(['added', 'greet']);
    await expect(basalt.app.enqueue('gone', {})).rejects.toThrow(JobEnqueueError);
    await basalt.app.enqueue('greet', { who: 'bob' });
    await basalt.app.jobs.drain();
    expect(runs()).toEqual(['v1:ada', 'v2:bob']);

    appDir.write('jobs.ts', jobsFile('v3', "app.jobAdd('bad', () => undefined, { retries: -1 });"));
    const failed = basalt.hooksFolder?.reload();
    await expect(failed).rejects.toThrow(HooksLoadError);
    await expect(failed).rejects.toThrow(/basalt_hooks\/jobs\.ts.*retries must be an integer/);
    expect(basalt.app.jobs.names()).toEqual(['added', 'greet']);
    await basalt.app.enqueue('greet', { who: 'cy' });
    await basalt.app.jobs.drain();
    expect(runs()).toEqual(['v1:ada', 'v2:bob', 'v2:cy']);
  });

  it('lets a hooks file remove its own job with the function jobAdd returns', async () => {
    appDir.write(
      'jobs.ts',
      jobsFile('v1', "const remove = app.jobAdd('temp', () => undefined); remove();"),
    );
    basalt = await createBasalt({
      dataDir: appDir.dataDir,
      db: database.url,
      hooksDir: appDir.hooksDir,
      jobs: { disabled: true },
    });
    expect(basalt.app.jobs.names()).toEqual(['greet']);
  });
});

describe('the workers of createBasalt', () => {
  it('starts them after onBootstrap and stops them on close', async () => {
    const order: string[] = [];
    basalt = await createBasalt({
      dataDir: appDir.dataDir,
      db: database.url,
      hooks: defineHooks((app) => {
        app.onBootstrap(async (e) => {
          order.push(`bootstrap, started: ${String(e.app.jobs.started)}`);
          await e.next();
        });
        app.jobAdd('auto', (e) => {
          order.push(`ran ${String((e.payload as { n: number }).n)}`);
        });
      }),
      jobs: { concurrency: 2, pollMs: 60_000 },
    });
    expect(basalt.app.jobs.started).toBe(true);
    // Woken by the enqueue: no poll needed.
    await basalt.app.enqueue('auto', { n: 1 });
    for (let i = 0; i < 600 && order.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(order).toEqual(['bootstrap, started: false', 'ran 1']);
    const { app } = basalt;
    await basalt.close({ graceMs: 500 });
    basalt = undefined;
    expect(app.jobs.started).toBe(false);
  });

  it('refuses bad worker options', async () => {
    await expect(
      createBasalt({ dataDir: appDir.dataDir, db: database.url, jobs: { concurrency: 0 } }),
    ).rejects.toThrow(/concurrency/);
  });
});
