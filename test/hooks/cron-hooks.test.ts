import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBasalt,
  CronJobError,
  HooksLoadError,
  type Basalt,
  type CronJobInfo,
} from '../../src/index.js';
import { isSystemCronId } from '../../src/core/cron/cron-job.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';
import { HooksAppDir } from './hooks-app-dir.js';

// `cronAdd` / `cronRemove` of hooks modules and of the hooks folder (a reload swaps the
// folder's jobs), and the scheduler that createBasalt starts after onBootstrap.

let appDir: HooksAppDir;
let database: EngineDatabase;
let basalt: Basalt | undefined;

beforeEach(async () => {
  appDir = new HooksAppDir();
  database = await createEngineDatabase();
});
afterEach(async () => {
  await basalt?.close({ graceMs: 500 });
  basalt = undefined;
  await database.drop();
  appDir.remove();
});

function appJobs(b: Basalt): CronJobInfo[] {
  return b.app.cron.list().filter((j) => !isSystemCronId(j.id));
}

describe('cron jobs of hooks', () => {
  it('a reload of the hooks folder swaps its jobs; a failed one keeps them', async () => {
    appDir.write(
      'jobs.ts',
      `import { defineHooks } from 'basalt';
export default defineHooks((app) => {
  app.cronAdd('expire-orders', '*/5 * * * *', () => {});
  app.cronAdd('report', '@daily', () => {});
});
`,
    );
    basalt = await createBasalt({
      dataDir: appDir.dataDir,
      db: database.url,
      hooksDir: appDir.hooksDir,
      cron: { disabled: true },
    });
    basalt.cronAdd('embedded', '0 * * * *', () => undefined);
    expect(appJobs(basalt)).toEqual([
      { id: 'embedded', expression: '0 * * * *' },
      { id: 'expire-orders', expression: '*/5 * * * *' },
      { id: 'report', expression: '0 0 * * *' },
    ]);

    appDir.write(
      'jobs.ts',
      `import { defineHooks } from 'basalt';
export default defineHooks((app) => {
  app.cronAdd('expire-orders', '* * * * *', () => {});
  app.cronRemove('__pbMFACleanup__');
});
`,
    );
    await basalt.hooksFolder?.reload();
    expect(appJobs(basalt)).toEqual([
      { id: 'embedded', expression: '0 * * * *' },
      { id: 'expire-orders', expression: '* * * * *' },
    ]);
    expect(basalt.app.cron.has('__pbMFACleanup__')).toBe(false);

    appDir.write(
      'jobs.ts',
      `import { defineHooks } from 'basalt';
export default defineHooks((app) => {
  app.cronAdd('other', '*/15 * * * *', () => {});
  app.cronAdd('expire-orders', '0 0 * *', () => {});
});
`,
    );
    const failed = await basalt.hooksFolder?.reload().catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(HooksLoadError);
    expect((failed as Error).message).toContain(
      'Invalid cron expression "0 0 * *" of the cron job "expire-orders"',
    );
    expect((failed as Error).message).toContain('basalt_hooks/jobs.ts');
    expect(appJobs(basalt)).toEqual([
      { id: 'embedded', expression: '0 * * * *' },
      { id: 'expire-orders', expression: '* * * * *' },
    ]);
  });

  it('createBasalt refuses a hooks module with an invalid expression', async () => {
    const started = createBasalt({
      dataDir: appDir.dataDir,
      db: database.url,
      hooks: (app) => {
        app.cronAdd('nightly', '0 0 * * * * *', () => undefined);
      },
    });
    await expect(started).rejects.toBeInstanceOf(CronJobError);
    await expect(started).rejects.toThrow('"0 0 * * * * *" of the cron job "nightly"');
  });

  it('createBasalt starts the scheduler after onBootstrap; close() stops it', async () => {
    const seen: string[] = [];
    basalt = await createBasalt({
      dataDir: appDir.dataDir,
      db: database.url,
      hooks: (app) => {
        app.onBootstrap(async (e) => {
          seen.push(`bootstrap:${String(e.app.cron.isStarted)}`);
          await e.next();
        });
        app.cronAdd('every-second', '* * * * * *', (e) => {
          seen.push(`tick:${String(e.tick !== undefined && e.tick % 1000 === 0)}`);
        });
      },
    });
    expect(basalt.app.cron.isStarted).toBe(true);
    for (let i = 0; i < 500 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen.slice(0, 3)).toEqual(['bootstrap:false', 'tick:true', 'tick:true']);
    const app = basalt.app;
    await basalt.close({ graceMs: 500 });
    basalt = undefined;
    expect(app.cron.isStarted).toBe(false);
  });
});
