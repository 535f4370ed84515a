import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import {
  processSuperuserToken,
  startBasaltProcess,
  type BasaltProcess,
} from '../helpers/basalt-process.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';
import { HooksAppDir } from './hooks-app-dir.js';

// Two `basalt serve` processes (the built CLI) on one database, the same basalt_hooks with an
// every-second cron job that writes one row per run: each tick runs once in total, whichever
// process claims it (`_cronTicks`). On SQLite both processes share one data directory (WAL).

const HOOKS = `import { defineHooks } from 'basalt';
export default defineHooks((app) => {
  app.cronAdd('tick-log', '* * * * * *', async (e) => {
    await e.app.records('cron_runs').create({ tick: String(e.tick), pid: String(process.pid) });
  });
  let n = 0;
  app.cronAdd('flaky', '* * * * * *', () => {
    n++;
    if (n % 2 === 1) throw new Error('flaky run ' + String(n));
  });
});
`;

/** The rows that enough runs wrote; we wait for this many, never for a duration. */
const RUNS = 8;

let appDir: HooksAppDir;
let database: EngineDatabase;
const processes: BasaltProcess[] = [];

beforeEach(async () => {
  appDir = new HooksAppDir();
  database = await createEngineDatabase();
});
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
  await database.drop();
  appDir.remove();
});

async function createRunsCollection(url: string): Promise<void> {
  const token = await processSuperuserToken(url);
  const res = await fetch(`${url}/api/collections`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({
      name: 'cron_runs',
      type: 'base',
      fields: [
        { name: 'tick', type: 'text' },
        { name: 'pid', type: 'text' },
      ],
    }),
  });
  if (!res.ok) throw new Error(`collection create failed: ${await res.text()}`);
}

/** How many rows `cron_runs` holds, through the API. */
async function countRuns(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/api/collections/cron_runs/records?perPage=1`, {
    headers: { authorization: token },
  });
  const body = (await res.json()) as { totalItems?: number };
  return body.totalItems ?? 0;
}

describe('cron across processes', () => {
  it('runs each tick once in total with two processes on one database', async () => {
    appDir.write('crons.ts', HOOKS);
    const dbUrl = database.url ?? '';
    const first = await startBasaltProcess(appDir.dataDir, dbUrl);
    processes.push(first);
    await createRunsCollection(first.url);
    const other = await startBasaltProcess(appDir.dataDir, dbUrl);
    processes.push(other);
    const token = await processSuperuserToken(first.url);
    const started = await countRuns(first.url, token);
    for (let i = 0; i < 600 && (await countRuns(first.url, token)) < started + RUNS; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    // SIGTERM: the schedulers stop and their runs finish before the processes exit.
    expect(await first.stop()).toBe(0);
    expect(await other.stop()).toBe(0);

    const app = await App.open({ dataDir: appDir.dataDir, databaseUrl: database.url });
    try {
      const rows = await app.records('cron_runs').list({ perPage: 1000, sort: 'tick' });
      const ticks = rows.items.map((r) => String(r.tick));
      expect(ticks.length).toBeGreaterThanOrEqual(started + RUNS);
      // Once each: no tick was run by both processes.
      expect(new Set(ticks).size).toBe(ticks.length);
      // Ticks are the scheduled seconds, the same on both processes.
      for (const tick of ticks) expect(Number(tick) % 1000).toBe(0);
      // The job that fails every other run in each process did not stop the schedulers; its
      // last run is recorded either way.
      const flaky = await app.cron.state('flaky');
      expect(flaky.lastTick).toBeGreaterThan(0);
      expect(['ok', 'error']).toContain(flaky.lastStatus);
    } finally {
      await app.close();
    }
  }, 120_000);
});
