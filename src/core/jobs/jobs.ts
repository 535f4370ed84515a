import { hostname } from 'node:os';
import { randomString } from '../../lib/security/random.js';
import type { App } from '../app.js';
import { runAttempt } from './job-attempt.js';
import { defineJob, type JobDefinition } from './job-definition.js';
import { JobEnqueueError, keyOf, payloadText, runAtOf } from './job-input.js';
import { claimJobs, insertJob, type JobRow } from './job-store.js';
import type {
  DrainResult,
  EnqueueOptions,
  JobHandler,
  JobOptions,
  JobWorkerOptions,
  JsonValue,
} from './job-types.js';
import { DEFAULT_JOB_CONCURRENCY, DEFAULT_JOB_POLL_MS, JobWorkers } from './job-workers.js';

/** How long `stop()` waits for running attempts by default. */
const DEFAULT_STOP_GRACE_MS = 10_000;
/** `drain()` stops after this many attempts (a job that keeps enqueueing another...). */
const MAX_DRAIN_ATTEMPTS = 10_000;

/** Checks a worker option: an integer from 1 to `max`. */
function workerOption(value: number | undefined, option: string, fallback: number, max: number) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new TypeError(`jobs.${option} must be an integer from 1 to ${String(max)}.`);
  }
  return value;
}

/**
 * Durable jobs (APP-LOGIC.md §5), `app.jobs`: the handlers registered by name, `enqueue`
 * (an outbox: the row is written in the caller's transaction), the workers that claim and
 * run due jobs, and `drain` for tests. Delivery is at least once: an attempt whose worker
 * stops before recording its end (a crash, a lease that expired) runs again, so handlers
 * must be idempotent.
 */
export class Jobs {
  private readonly definitions = new Map<string, JobDefinition>();
  private workers: JobWorkers | undefined;
  /** Who holds the jobs this process claims: host, pid and a random part. */
  readonly workerId = `${hostname().slice(0, 60)}/${String(process.pid)}/${randomString(8)}`;

  constructor(private readonly app: App) {}

  /**
   * Registers the handler of the jobs named `name` (registering the name again replaces the
   * handler and options: a hooks reload). Returns a function that removes this registration
   * (and nothing registered after it). Throws a JobDefinitionError for a bad name or option.
   */
  add<P = JsonValue>(name: string, handler: JobHandler<P>, options?: JobOptions): () => void {
    const definition = defineJob(name, handler, options);
    return this.register(definition);
  }

  /** Registers a definition checked beforehand (see add). */
  register(definition: JobDefinition): () => void {
    this.definitions.set(definition.name, definition);
    return () => {
      if (this.definitions.get(definition.name) === definition) {
        this.definitions.delete(definition.name);
      }
    };
  }

  /** Whether a handler is registered for `name`. */
  has(name: string): boolean {
    return this.definitions.has(name);
  }

  /** The registered job names, sorted. */
  names(): string[] {
    return [...this.definitions.keys()].sort();
  }

  /**
   * Stores a job `name` with `payload` (plain JSON) and returns its id. The row is written
   * through the app's database handle: inside a transaction (a hook, a route with
   * `transaction`, `app.transaction`) it is part of it and exists only if it commits;
   * outside, it commits at once. With `key`, a job already stored under that key (in any
   * state, until deleted) is kept and its id returned. Throws a JobEnqueueError for an
   * unknown name, a payload that is not plain JSON, or a bad `runAt` or `key`.
   */
  async enqueue(name: string, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    const definition = this.definitions.get(name);
    if (!definition) {
      const known = this.names();
      throw new JobEnqueueError(
        `enqueue("${name}"): no job of that name is registered (jobAdd)` +
          (known.length > 0 ? `; known: ${known.slice(0, 20).join(', ')}.` : '.'),
      );
    }
    const job = {
      name,
      payload: payloadText(name, payload),
      key: keyOf(name, options.key),
      maxAttempts: definition.maxAttempts,
      runAt: runAtOf(name, options.runAt, this.app.clock.now()),
    };
    const id = await insertJob(this.app, job);
    this.app.afterCommit(() => {
      this.workers?.wake();
    });
    return id;
  }

  /** Makes this process's workers look for due jobs now (after an enqueue or a re-run). */
  wake(): void {
    this.workers?.wake();
  }

  /**
   * Starts this process's workers (once; a second call is ignored): up to `concurrency`
   * attempts at once (default 4), idle workers polling every `pollMs` (default 1000).
   */
  start(options: JobWorkerOptions = {}): void {
    if (this.workers) return;
    const concurrency = workerOption(
      options.concurrency,
      'concurrency',
      DEFAULT_JOB_CONCURRENCY,
      1000,
    );
    const pollMs = workerOption(options.pollMs, 'pollMs', DEFAULT_JOB_POLL_MS, 3_600_000);
    this.workers = new JobWorkers(
      {
        claim: async (limit) => (await this.claim(limit)).jobs,
        run: (job) => runAttempt(this.app, job, this.definitions.get(job.name)),
        logger: this.app.logger,
      },
      concurrency,
      pollMs,
    );
  }

  /** Whether the workers run. */
  get started(): boolean {
    return this.workers !== undefined;
  }

  /**
   * Stops the workers: no new claims; attempts in flight get `graceMs` (default 10 s) to
   * finish. Returns how many had not: their leases expire and another worker runs them again.
   */
  async stop(options: { graceMs?: number } = {}): Promise<number> {
    const workers = this.workers;
    if (!workers) return 0;
    const unfinished = await workers.stop(options.graceMs ?? DEFAULT_STOP_GRACE_MS);
    this.workers = undefined;
    if (unfinished > 0) {
      this.app.logger.warn(
        { unfinished },
        'job attempts still running at shutdown; they run again after their lease',
      );
    }
    return unfinished;
  }

  /**
   * Runs every due job in this process, one at a time, until none is due (as `app.clock`
   * tells): oldest runAt first, then creation time and id, so the same database gives the
   * same order. Retries scheduled in the future are not due: advance the clock and drain
   * again. For tests (`drainJobs()`); the workers may run beside it. Call it outside any
   * transaction.
   */
  async drain(): Promise<DrainResult> {
    const counts = { ran: 0, done: 0, retried: 0, failed: 0 };
    while (counts.ran < MAX_DRAIN_ATTEMPTS) {
      const claimed = await this.claim(1);
      counts.failed += claimed.exhausted.length;
      const job = claimed.jobs[0];
      if (!job) return counts;
      const result = await runAttempt(this.app, job, this.definitions.get(job.name));
      counts.ran++;
      counts[result]++;
    }
    throw new Error(`drain() ran ${String(MAX_DRAIN_ATTEMPTS)} attempts and jobs are still due.`);
  }

  private async claim(limit: number): Promise<{ jobs: JobRow[]; exhausted: JobRow[] }> {
    const claimed = await claimJobs(this.app, {
      names: this.names(),
      limit,
      workerId: this.workerId,
      leaseMs: (name) => this.definitions.get(name)?.timeoutMs ?? 0,
    });
    for (const job of claimed.exhausted) {
      this.app.logger.error(
        { jobId: job.id, job: job.name, attempts: job.attempts },
        'job failed: the lease of its last attempt expired',
      );
    }
    return claimed;
  }
}
