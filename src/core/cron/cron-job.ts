import type { App } from '../app.js';
import { CronExpressionError, parseCronExpression, type CronSchedule } from './cron-expression.js';

/** What a cron handler receives. */
export interface CronEvent {
  /** The app: records, transactions, mailer, realtime, logger. */
  readonly app: App;
  /** The job's id. */
  readonly id: string;
  /**
   * The scheduled time (ms since the epoch) of the tick this process claimed; undefined for a
   * run on demand (`POST /api/crons/{id}`, `app.cron.run(id)`).
   */
  readonly tick: number | undefined;
}

/** A cron handler; a throw or rejection is logged with the job's id and the next ticks still run. */
export type CronHandler = (e: CronEvent) => void | Promise<void>;

/** A job as `GET /api/crons` lists it. */
export interface CronJobInfo {
  readonly id: string;
  readonly expression: string;
}

/** A registered job. */
export interface CronJob extends CronJobInfo {
  readonly schedule: CronSchedule;
  readonly fn: CronHandler;
}

/** The longest job id (`_cronTicks.id` is a varchar(100)). */
const MAX_ID_LENGTH = 100;

/** An invalid cron registration: the message names the job's id and expression. */
export class CronJobError extends Error {}

/**
 * Checks a registration and parses its expression; throws a CronJobError naming the id and
 * the expression when the id is empty or too long, the handler is not a function or the
 * expression is not valid (see parseCronExpression).
 */
export function cronJob(id: string, expression: string, fn: CronHandler): CronJob {
  if (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH) {
    throw new CronJobError(`A cron job id must be 1 to ${MAX_ID_LENGTH} characters long.`);
  }
  if (typeof fn !== 'function') {
    throw new CronJobError(`The handler of the cron job "${id}" is not a function.`);
  }
  try {
    const schedule = parseCronExpression(expression);
    return { id, expression: schedule.expression, schedule, fn };
  } catch (error) {
    if (!(error instanceof CronExpressionError) && typeof expression === 'string') throw error;
    const why = error instanceof Error ? `: ${error.message}` : '';
    throw new CronJobError(
      `Invalid cron expression "${expression}" of the cron job "${id}"${why}.`,
      { cause: error },
    );
  }
}

/** Whether `id` names one of Basalt's own jobs: PocketBase's `__pb...` ids and `__basalt...`. */
export function isSystemCronId(id: string): boolean {
  return id.startsWith('__pb') || id.startsWith('__basalt');
}

/**
 * PocketBase's order of `GET /api/crons`: by id, the system jobs last (`__pb*`, and Basalt's
 * own `__basalt*`).
 */
export function compareJobs(a: CronJobInfo, b: CronJobInfo): number {
  const aSystem = isSystemCronId(a.id);
  const bSystem = isSystemCronId(b.id);
  if (aSystem !== bSystem) return aSystem ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
