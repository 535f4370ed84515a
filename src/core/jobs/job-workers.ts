import type { Logger } from 'pino';
import type { JobRow } from './job-store.js';

/** The default of JobWorkerOptions.concurrency. */
export const DEFAULT_JOB_CONCURRENCY = 4;
/** The default of JobWorkerOptions.pollMs. */
export const DEFAULT_JOB_POLL_MS = 1000;

/** What the workers need from the jobs service. */
export interface WorkerDeps {
  /** Claims up to `limit` due jobs for this process. */
  claim(limit: number): Promise<JobRow[]>;
  /** Runs one claimed attempt; never rejects. */
  run(job: JobRow): Promise<unknown>;
  readonly logger: Logger;
}

/**
 * The job workers of one process: one loop that keeps up to `concurrency` attempts running.
 * It claims as many due jobs as it has free slots, then sleeps `pollMs`, woken early when an
 * attempt ends (a free slot) or when this process enqueued a job (`wake`).
 */
export class JobWorkers {
  private running = true;
  private readonly active = new Set<Promise<unknown>>();
  private woken = false;
  private wakeSleep: (() => void) | undefined;
  private readonly loopDone: Promise<void>;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly concurrency: number,
    private readonly pollMs: number,
  ) {
    this.loopDone = this.loop();
  }

  /** Makes the loop look for due jobs now instead of at its next poll. */
  wake(): void {
    this.woken = true;
    this.wakeSleep?.();
  }

  /**
   * Stops claiming, then waits up to `graceMs` for the attempts in flight. Returns how many
   * had not finished: their leases expire and other workers (or the next start) run them.
   */
  async stop(graceMs: number): Promise<number> {
    this.running = false;
    this.wake();
    await this.loopDone;
    if (this.active.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...this.active]), grace]);
      clearTimeout(timer);
    }
    return this.active.size;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.woken = false;
      const free = this.concurrency - this.active.size;
      if (free > 0) await this.claimAndRun(free);
      if (this.stopping()) break;
      await this.sleep();
    }
  }

  /** True once stop() was called (read after an await: stop() may have run meanwhile). */
  private stopping(): boolean {
    return !this.running;
  }

  private async claimAndRun(free: number): Promise<void> {
    let jobs: JobRow[];
    try {
      jobs = await this.deps.claim(free);
    } catch (error) {
      // The database may be down for a while: the next poll tries again.
      if (this.running) this.deps.logger.warn({ err: error }, 'claiming due jobs failed');
      return;
    }
    for (const job of jobs) {
      const attempt: Promise<unknown> = this.deps.run(job).finally(() => {
        this.active.delete(attempt);
        this.wake();
      });
      this.active.add(attempt);
    }
  }

  private sleep(): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleep = undefined;
        resolve();
      };
      // The poll alone does not keep the process alive (an embedder that never closes).
      const timer = setTimeout(done, this.pollMs).unref();
      this.wakeSleep = done;
    });
  }
}
