import type { App } from '../app.js';
import { deleteExpiredAuthRows } from '../auth/auth-system-records.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { deleteExpiredIdempotencyKeys } from '../idempotency/idempotency-run.js';
import { deleteFinishedJobs } from '../jobs/job-cleanup.js';
import type { CronScheduler } from './cron-scheduler.js';

/** One of Basalt's own periodic tasks, listed by `GET /api/crons` like an app's jobs. */
export interface SystemCron {
  /** PocketBase's id where it has the job (`__pb...__`); Basalt's own as `__basalt...__`. */
  readonly id: string;
  readonly expression: string;
  /** False when the task has nothing to do on this app (e.g. another engine); always when left out. */
  readonly enabled?: (app: App) => boolean;
  readonly run: (app: App) => Promise<void>;
}

function authCollections(app: App): AuthCollection[] {
  return app.collections.all().filter((c): c is AuthCollection => c.type === 'auth');
}

/**
 * Deletes the OTPs (or MFA sessions) older than each auth collection's `otp.duration` (or
 * `mfa.duration`), also where the method is disabled, as PocketBase's DeleteExpiredOTPs and
 * DeleteExpiredMFAs do; one transaction per collection, each row through the save path.
 */
async function deleteExpired(app: App, key: 'otps' | 'mfas'): Promise<void> {
  for (const collection of authCollections(app)) {
    const seconds = key === 'otps' ? collection.otp.duration : collection.mfa.duration;
    await app.transaction((scope) =>
      deleteExpiredAuthRows(app, scope, key, collection.id, seconds),
    );
  }
}

/**
 * Basalt's periodic tasks, registered on every App (PocketBase's ids and schedules, then
 * Basalt's own). Another clean-up is one entry here.
 */
export const SYSTEM_CRONS: readonly SystemCron[] = [
  {
    // PocketBase: `PRAGMA wal_checkpoint(TRUNCATE)` and `PRAGMA optimize` at midnight.
    id: '__pbDBOptimize__',
    expression: '0 0 * * *',
    enabled: (app) => app.db.optimize !== undefined,
    run: async (app) => {
      await app.db.optimize?.();
    },
  },
  { id: '__pbMFACleanup__', expression: '0 * * * *', run: (app) => deleteExpired(app, 'mfas') },
  { id: '__pbOTPCleanup__', expression: '0 * * * *', run: (app) => deleteExpired(app, 'otps') },
  {
    // Done jobs older than DEFAULT_JOBS_RETENTION_DAYS (failed ones wait for a superuser).
    id: '__basaltJobsCleanup__',
    expression: '30 3 * * *',
    run: async (app) => {
      await deleteFinishedJobs(app);
    },
  },
  {
    // Idempotency keys past their 24 hours (requests already treat them as absent).
    id: '__basaltIdempotencyCleanup__',
    expression: '15 * * * *',
    run: async (app) => {
      await deleteExpiredIdempotencyKeys(app);
    },
  },
];

/** Registers the enabled SYSTEM_CRONS on the app's scheduler. */
export function registerSystemCrons(app: App, cron: CronScheduler): void {
  for (const task of SYSTEM_CRONS) {
    if (task.enabled && !task.enabled(app)) continue;
    cron.add(task.id, task.expression, () => task.run(app));
  }
}
