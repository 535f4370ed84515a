import type { App } from '../app.js';

/** A value that JSON text can hold exactly (a job's payload). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue | undefined };

/** Where a job is in its life. */
export type JobState = 'pending' | 'running' | 'done' | 'failed';

/** The states, in their order of life. */
export const JOB_STATES: readonly JobState[] = ['pending', 'running', 'done', 'failed'];

/** What a job handler is told about the job it runs. */
export interface JobInfo {
  readonly id: string;
  readonly name: string;
  /** Which attempt this is: 1 for the first run, 2 for the first retry... */
  readonly attempt: number;
  /** How many attempts the job has in all (1 + retries). */
  readonly maxAttempts: number;
  /** The deduplication key it was enqueued with, or null. */
  readonly key: string | null;
}

/** The event a job handler receives. */
export interface JobEvent<P = JsonValue> {
  /** The App (not bound to a transaction: open one with `e.app.transaction(...)`). */
  readonly app: App;
  /** The payload given to `enqueue`, read back from its JSON text. */
  readonly payload: P;
  readonly job: JobInfo;
}

/** A job handler: resolves when the work is done; a throw (or rejection) is a failed attempt. */
export type JobHandler<P = JsonValue> = (e: JobEvent<P>) => unknown;

/**
 * The wait before a retry: `{ baseMs, maxMs }` for an exponential backoff (`baseMs * 2 ** (n -
 * 1)` after the n-th failed attempt, at most `maxMs`), or a function of the failed attempt's
 * number (1, 2, ...) returning milliseconds.
 */
export type JobBackoff =
  | { readonly baseMs?: number | undefined; readonly maxMs?: number | undefined }
  | ((attempt: number) => number);

/** The options of `jobAdd`. */
export interface JobOptions {
  /** How many times a failed job is tried again (default 3: four attempts in all). */
  readonly retries?: number | undefined;
  /** The wait before each retry (default exponential from 10 s, at most 1 h). */
  readonly backoff?: JobBackoff | undefined;
  /**
   * The lease of one attempt in milliseconds (default 5 min): a job whose worker stopped
   * (a crash, kill -9) or that runs longer is claimed again by a worker after it.
   */
  readonly timeoutMs?: number | undefined;
}

/** The options of `enqueue`. */
export interface EnqueueOptions {
  /** When the job becomes due (a Date or milliseconds since the epoch); now when omitted. */
  readonly runAt?: Date | number | undefined;
  /**
   * A deduplication key: while a job with this key is stored (any state, until a clean-up
   * deletes it), enqueueing the key again adds nothing and returns the stored job's id.
   */
  readonly key?: string | undefined;
}

/** The options of `app.jobs.start`. */
export interface JobWorkerOptions {
  /** How many jobs run at once in this process (default 4). */
  readonly concurrency?: number | undefined;
  /** How often idle workers look for due jobs, in ms (default 1000). */
  readonly pollMs?: number | undefined;
}

/** What `app.jobs.drain()` did. */
export interface DrainResult {
  /** Attempts that ran. */
  readonly ran: number;
  /** Attempts that succeeded (the job is done). */
  readonly done: number;
  /** Attempts that failed and were scheduled again. */
  readonly retried: number;
  /** Attempts that failed for the last time (the job is failed). */
  readonly failed: number;
}
