import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import {
  compareJobs,
  cronJob,
  type CronHandler,
  type CronJob,
  type CronJobInfo,
} from './cron-job.js';
import { claimTick, readRunState, recordRun, type CronRunState } from './cron-ticks.js';

/** The longest the scheduler sleeps between looks at the clock (a changed clock, a fake one). */
const MAX_SLEEP_MS = 60_000;

/** A registered job and its next tick. */
interface Scheduled {
  readonly job: CronJob;
  /** The next scheduled time (ms since the epoch) this process will try to claim. */
  next: number;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The cron jobs of an App (APP-LOGIC.md §5) and their scheduler: `add`/`remove`/`list`,
 * `run(id)` now, `runDue()` for what is due at `app.clock.now()`, and `start()`/`stop()` of
 * the timer that calls it. Each tick of a job is claimed in `_cronTicks` (claimTick), so with
 * several processes on one database each tick runs once in total. Runs of one job never
 * overlap in a process: a tick that comes while the previous run still works is skipped here
 * (another process may take it). A failing run is logged and recorded; later ticks still run.
 * Missed ticks (the process was stopped or busy) are not caught up, as in PocketBase: a late
 * wake runs the latest tick due, once.
 */
export class CronScheduler {
  private readonly jobs = new Map<string, Scheduled>();
  /** The run in progress (or queued on demand) per job id. */
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(private readonly app: App) {}

  /**
   * Registers (or replaces: a hooks reload) the job `id`. Throws a CronJobError naming the id
   * and the expression when the expression is invalid (see parseCronExpression).
   */
  add(id: string, expression: string, fn: CronHandler): void {
    this.put(cronJob(id, expression, fn));
  }

  /** Registers a job checked by `cronJob` (a hooks folder checks first and swaps later). */
  put(job: CronJob): void {
    this.jobs.set(job.id, { job, next: job.schedule.nextAfter(this.app.clock.now()) });
    this.wake();
  }

  /** Removes the job `id` (a run in progress finishes); false when there was none. */
  remove(id: string): boolean {
    const removed = this.jobs.delete(id);
    if (removed) this.wake();
    return removed;
  }

  /** Whether the job `id` is registered. */
  has(id: string): boolean {
    return this.jobs.has(id);
  }

  /** The registered jobs in PocketBase's order: by id, the `__pb*` system jobs last. */
  list(): CronJobInfo[] {
    return [...this.jobs.values()]
      .map(({ job }) => ({ id: job.id, expression: job.expression }))
      .sort(compareJobs);
  }

  /** What `_cronTicks` says of the job `id`: last claimed tick, last run, its status and error. */
  state(id: string): Promise<CronRunState> {
    return readRunState(this.app.db.db, id);
  }

  /**
   * Runs the job `id` now, without claiming a tick, after its run in progress in this process
   * (if any). Rejects with the handler's error (logged and recorded too), or a 404 ApiError
   * when no job has that id.
   */
  run(id: string): Promise<void> {
    const scheduled = this.jobs.get(id);
    if (!scheduled) return Promise.reject(new ApiError('cron_not_found'));
    const before = this.running.get(id) ?? Promise.resolve();
    const run = before.then(() => this.execute(scheduled.job, undefined));
    this.track(
      id,
      run.catch(() => undefined),
    );
    return run;
  }

  /**
   * Runs every job whose next tick is due at `app.clock.now()` and that this process claims,
   * and resolves when those runs have finished (their errors are logged, not thrown). The
   * scheduler's timer calls it; tests with a fake clock move the clock and call it.
   */
  async runDue(): Promise<void> {
    const now = this.app.clock.now();
    const runs: Promise<void>[] = [];
    for (const scheduled of this.jobs.values()) {
      if (scheduled.next > now) continue;
      // The latest tick due: after a stall (a busy or suspended process, a clock moved on)
      // the missed ticks are not caught up, and every process claims the same, latest one.
      const tick = scheduled.job.schedule.latestUntil(now) ?? scheduled.next;
      scheduled.next = scheduled.job.schedule.nextAfter(now);
      if (this.running.has(scheduled.job.id)) {
        this.app.logger.warn({ cron: scheduled.job.id, tick }, 'cron tick skipped: still running');
        continue;
      }
      const run = this.claimAndRun(scheduled.job, tick);
      this.track(scheduled.job.id, run);
      runs.push(run);
    }
    await Promise.all(runs);
  }

  /** Starts the timer (createBasalt does, after onBootstrap); idempotent. */
  start(): void {
    this.started = true;
    this.wake();
  }

  /** Stops the timer and waits for the runs in progress. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.running.values());
  }

  /** Whether the timer runs. */
  get isStarted(): boolean {
    return this.started;
  }

  /** (Re)arms the timer for the earliest next tick. */
  private wake(): void {
    if (!this.started) return;
    clearTimeout(this.timer);
    let earliest = Number.POSITIVE_INFINITY;
    for (const { next } of this.jobs.values()) earliest = Math.min(earliest, next);
    const delay = Math.min(Math.max(earliest - this.app.clock.now(), 0), MAX_SLEEP_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runDue().catch((error: unknown) => {
        this.app.logger.error({ err: error }, 'cron scheduler failed');
      });
      this.wake();
    }, delay);
    this.timer.unref();
  }

  private track(id: string, run: Promise<void>): void {
    this.running.set(id, run);
    const done = (): void => {
      if (this.running.get(id) === run) this.running.delete(id);
    };
    run.then(done, done);
  }

  private async claimAndRun(job: CronJob, tick: number): Promise<void> {
    let claimed: boolean;
    try {
      claimed = await claimTick(this.app.db, job.id, tick);
    } catch (error) {
      this.app.logger.warn({ err: error, cron: job.id, tick }, 'cron tick not claimed');
      return;
    }
    if (!claimed) return;
    await this.execute(job, tick).catch(() => undefined);
  }

  /** Runs the handler; logs and records the outcome; rethrows the handler's error. */
  private async execute(job: CronJob, tick: number | undefined): Promise<void> {
    let failure: { error: unknown } | undefined;
    try {
      await job.fn({ app: this.app, id: job.id, tick });
    } catch (error) {
      failure = { error };
      this.app.logger.error({ err: error, cron: job.id, tick }, `cron job "${job.id}" failed`);
    }
    try {
      const message = failure ? messageOf(failure.error) : undefined;
      await recordRun(this.app.db, job.id, this.app.clock.now(), message);
    } catch (error) {
      this.app.logger.warn({ err: error, cron: job.id }, 'cron run not recorded');
    }
    if (failure) throw failure.error;
  }
}
