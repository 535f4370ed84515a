import type { App } from '../app.js';
import { deleteJobsBefore } from './job-store.js';
import type { JobState } from './job-types.js';

/** How long finished jobs are kept by default: 7 days. */
export const DEFAULT_JOBS_RETENTION_DAYS = 7;

const DAY_MS = 24 * 3_600_000;

/** The options of {@link deleteFinishedJobs}. */
export interface JobCleanupOptions {
  /** Keep jobs that finished less than this many days ago (default 7; fractions allowed). */
  readonly olderThanDays?: number | undefined;
  /** Which finished states to delete (default only `done`: failed jobs wait for a person). */
  readonly states?: readonly Extract<JobState, 'done' | 'failed'>[] | undefined;
}

/**
 * Deletes finished jobs last changed more than `olderThanDays` ago (by `app.clock`), and
 * returns how many. Their keys are free again afterwards: a key deduplicates while its job
 * is stored. Meant to run daily from cron.
 *
 * @example
 * app.cronAdd('jobs-cleanup', '0 3 * * *', () => deleteFinishedJobs(app, { olderThanDays: 7 }));
 */
export function deleteFinishedJobs(app: App, options: JobCleanupOptions = {}): Promise<number> {
  const days = options.olderThanDays ?? DEFAULT_JOBS_RETENTION_DAYS;
  if (typeof days !== 'number' || !Number.isFinite(days) || days < 0) {
    throw new TypeError('olderThanDays must be a number of days, 0 or more.');
  }
  const states = options.states ?? ['done'];
  return deleteJobsBefore(app, states, app.clock.now() - days * DAY_MS);
}
