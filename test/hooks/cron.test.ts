import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import { ApiError } from '../../src/core/errors.js';
import { CronJobError, type CronEvent } from '../../src/index.js';
import type { Clock } from '../../src/lib/clock.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-engine.js';

// The cron scheduler of an App (APP-LOGIC.md §5) with a fake clock: registration, the tick
// claimed once across two Apps on one database, failures, no overlap in a process.

/** A clock the test moves. */
class FakeClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  set(iso: string): void {
    this.ms = Date.parse(iso);
  }
}

/** A promise and its resolver, to hold a handler until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

let t: TestApp | undefined;
let second: App | undefined;
let lines: string[] = [];

afterEach(async () => {
  await second?.close();
  second = undefined;
  await t?.close();
  t = undefined;
});

async function open(start: string): Promise<{ app: App; clock: FakeClock }> {
  lines = [];
  const clock = new FakeClock(Date.parse(start));
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  t = await createTestApp({ clock, logger: pino({ level: 'info' }, stream) });
  return { app: t.app, clock };
}

/** A second App on the same database (another process, as far as the database can tell). */
async function openSecond(app: App, clock: Clock): Promise<App> {
  second = await App.open({
    dataDir: app.config.dataDir,
    databaseUrl: app.config.databaseUrl,
    clock,
  });
  return second;
}

describe('cron registration', () => {
  it('refuses an invalid expression, naming the id and the expression; registers nothing', async () => {
    const { app } = await open('2030-01-01T00:00:30Z');
    const before = app.cron.list();
    expect(() => {
      app.cron.add('nightly', '0 0 * *', () => undefined);
    }).toThrow(CronJobError);
    expect(() => {
      app.cron.add('nightly', '0 0 * *', () => undefined);
    }).toThrow('Invalid cron expression "0 0 * *" of the cron job "nightly"');
    expect(() => {
      app.cron.add('weekly', '0 0 * * 7', () => undefined);
    }).toThrow('"0 0 * * 7" of the cron job "weekly": the value 7 is not between 0 and 6');
    expect(app.cron.list()).toEqual(before);
    expect(app.cron.has('nightly')).toBe(false);
  });

  it('lists app jobs by id, then the system jobs with PocketBase ids and schedules', async () => {
    const { app } = await open('2030-01-01T00:00:30Z');
    app.cron.add('b-report', '@hourly', () => undefined);
    app.cron.add('a-expire', '*/5 * * * *', () => undefined);
    const system = [
      { id: '__basaltIdempotencyCleanup__', expression: '15 * * * *' },
      { id: '__basaltJobsCleanup__', expression: '30 3 * * *' },
      ...(testEngine() === 'sqlite' ? [{ id: '__pbDBOptimize__', expression: '0 0 * * *' }] : []),
      { id: '__pbMFACleanup__', expression: '0 * * * *' },
      { id: '__pbOTPCleanup__', expression: '0 * * * *' },
    ];
    expect(app.cron.list()).toEqual([
      { id: 'a-expire', expression: '*/5 * * * *' },
      { id: 'b-report', expression: '0 * * * *' },
      ...system,
    ]);
  });

  it('replaces a job added again under its id, and removes one', async () => {
    const { app, clock } = await open('2030-01-01T00:00:30Z');
    const calls: string[] = [];
    app.cron.add('job', '0 * * * *', () => {
      calls.push('old');
    });
    app.cron.add('job', '* * * * *', () => {
      calls.push('new');
    });
    expect(app.cron.list().filter((j) => j.id === 'job')).toEqual([
      { id: 'job', expression: '* * * * *' },
    ]);
    clock.set('2030-01-01T00:01:00Z');
    await app.cron.runDue();
    expect(calls).toEqual(['new']);
    expect(app.cron.remove('job')).toBe(true);
    expect(app.cron.remove('job')).toBe(false);
    clock.set('2030-01-01T00:02:00Z');
    await app.cron.runDue();
    expect(calls).toEqual(['new']);
    await expect(app.cron.run('job')).rejects.toMatchObject({ status: 404 });
  });
});

describe('cron ticks', () => {
  it('runs each tick once in total across two Apps on one database', async () => {
    const { app, clock } = await open('2030-01-01T00:00:30Z');
    const other = await openSecond(app, clock);
    const runs: { by: string; tick: number | undefined }[] = [];
    const job = (by: string) => (e: CronEvent) => {
      runs.push({ by, tick: e.tick });
    };
    app.cron.add('every-minute', '* * * * *', job('a'));
    other.cron.add('every-minute', '* * * * *', job('b'));
    const ticks: number[] = [];
    for (let minute = 1; minute <= 6; minute++) {
      clock.set(`2030-01-01T00:0${String(minute)}:00Z`);
      ticks.push(clock.now());
      // Both wake for the same tick; the order of their claims varies.
      await Promise.all(
        minute % 2
          ? [app.cron.runDue(), other.cron.runDue()]
          : [other.cron.runDue(), app.cron.runDue()],
      );
    }
    expect(runs.map((r) => r.tick)).toEqual(ticks);
    expect(await app.cron.state('every-minute')).toMatchObject({
      lastTick: ticks[5],
      lastStatus: 'ok',
      lastError: null,
    });
    // A tick already claimed is not run again, by either.
    await Promise.all([app.cron.runDue(), other.cron.runDue()]);
    expect(runs).toHaveLength(6);
  });

  it('runs a missed stretch once, at its latest tick, then goes on from now', async () => {
    const { app, clock } = await open('2030-01-01T00:00:30Z');
    const ticks: (number | undefined)[] = [];
    app.cron.add('job', '* * * * *', (e) => {
      ticks.push(e.tick);
    });
    clock.set('2030-01-01T00:10:20Z');
    await app.cron.runDue();
    await app.cron.runDue();
    clock.set('2030-01-01T00:11:00Z');
    await app.cron.runDue();
    expect(ticks).toEqual([Date.parse('2030-01-01T00:10:00Z'), Date.parse('2030-01-01T00:11:00Z')]);
  });

  it('logs and records a throwing handler and keeps running the next ticks', async () => {
    const { app, clock } = await open('2030-01-01T00:00:30Z');
    let n = 0;
    app.cron.add('flaky', '* * * * *', async () => {
      n++;
      await Promise.resolve();
      if (n === 1) throw new Error('first run fails');
    });
    clock.set('2030-01-01T00:01:00Z');
    await app.cron.runDue();
    expect(await app.cron.state('flaky')).toMatchObject({
      lastStatus: 'error',
      lastError: 'first run fails',
      lastRun: clock.now(),
    });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 50,
        cron: 'flaky',
        msg: 'cron job "flaky" failed',
        err: expect.objectContaining({ message: 'first run fails' }) as unknown,
      }),
    );
    clock.set('2030-01-01T00:02:00Z');
    await app.cron.runDue();
    expect(n).toBe(2);
    expect(await app.cron.state('flaky')).toMatchObject({ lastStatus: 'ok', lastError: null });
  });

  it('never overlaps runs of a job in one process: a tick during a run is skipped, run(id) waits', async () => {
    const { app, clock } = await open('2030-01-01T00:00:30Z');
    const events: string[] = [];
    const held = gate();
    let n = 0;
    app.cron.add('slow', '* * * * *', async (e) => {
      const run = ++n;
      events.push(`start ${String(run)} ${e.tick === undefined ? 'manual' : 'tick'}`);
      if (run === 1) await held.promise;
      events.push(`end ${String(run)}`);
    });
    clock.set('2030-01-01T00:01:00Z');
    const first = app.cron.runDue();
    // Let the claim and the handler start.
    for (let i = 0; i < 100 && events.length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['start 1 tick']);
    clock.set('2030-01-01T00:02:00Z');
    await app.cron.runDue(); // skipped: still running
    const manual = app.cron.run('slow');
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['start 1 tick']);
    held.open();
    await first;
    await manual;
    expect(events).toEqual(['start 1 tick', 'end 1', 'start 2 manual', 'end 2']);
    // The skipped tick was not claimed: another process could have taken it.
    expect((await app.cron.state('slow')).lastTick).toBe(Date.parse('2030-01-01T00:01:00Z'));
    clock.set('2030-01-01T00:03:00Z');
    await app.cron.runDue();
    expect(events.slice(4)).toEqual(['start 3 tick', 'end 3']);
  });

  it('run(id) runs now without a tick and rejects with the handler error; unknown id 404', async () => {
    const { app } = await open('2030-01-01T00:00:30Z');
    const seen: (number | undefined)[] = [];
    app.cron.add('ok', '@yearly', (e) => {
      seen.push(e.tick);
    });
    app.cron.add('bad', '@yearly', () => {
      throw new Error('nope');
    });
    await app.cron.run('ok');
    expect(seen).toEqual([undefined]);
    await expect(app.cron.run('bad')).rejects.toThrow('nope');
    expect(await app.cron.state('bad')).toMatchObject({ lastStatus: 'error', lastTick: 0 });
    const missing = await app.cron.run('missing').catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404, message: 'Missing or invalid cron job.' });
  });
});
