import type { App } from '../app.js';
import type { JobDefinition } from './job-definition.js';
import { finishAttempt, type AttemptOutcome, type JobRow } from './job-store.js';
import type { JobEvent, JsonValue } from './job-types.js';

/** The longest failure message stored in `lastError`. */
const MAX_ERROR_LENGTH = 2000;

/** How an attempt ended: done, failed with a retry scheduled, failed for good. */
export type AttemptResult = 'done' | 'retried' | 'failed';

/**
 * The message of a failure as stored in `lastError`: the error's message only (no stack, no
 * cause, no properties: those may carry secrets), at most 2000 characters.
 */
export function failureMessage(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/** The outcome of a failed attempt: another try after the backoff, or failed for good. */
function failedOutcome(
  app: App,
  job: JobRow,
  definition: JobDefinition | undefined,
  error: string,
): AttemptOutcome {
  if (job.attempts >= job.maxAttempts) return { kind: 'failed', error };
  const waitMs = definition ? definition.backoffMs(job.attempts) : 0;
  return { kind: 'retry', runAt: app.clock.now() + waitMs, error };
}

async function runHandler(app: App, job: JobRow, definition: JobDefinition): Promise<void> {
  const event: JobEvent = {
    app,
    payload: JSON.parse(job.payload) as JsonValue,
    job: {
      id: job.id,
      name: job.name,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      key: job.key,
    },
  };
  await definition.handler(event);
}

/**
 * Runs one claimed attempt of `job` with its handler, outside any transaction, and records
 * how it ended while this worker still holds the job. A throw is logged with the job's id
 * and name and becomes a retry after the backoff, or the job's failure once its attempts are
 * used up. A job whose name has no handler here (unregistered since the claim) fails the
 * attempt. Never throws: a failure to record the end is logged, and the job's lease expiry
 * then gives it to a worker again.
 */
export async function runAttempt(
  app: App,
  job: JobRow,
  definition: JobDefinition | undefined,
): Promise<AttemptResult> {
  const context = { jobId: job.id, job: job.name, attempt: job.attempts };
  let outcome: AttemptOutcome = { kind: 'done' };
  try {
    if (!definition) throw new Error(`No handler is registered for the job "${job.name}".`);
    await runHandler(app, job, definition);
  } catch (error) {
    outcome = failedOutcome(app, job, definition, failureMessage(error));
    const message = outcome.kind === 'retry' ? 'job attempt failed; retry scheduled' : 'job failed';
    app.logger.error({ ...context, err: error, maxAttempts: job.maxAttempts }, message);
  }
  try {
    const held = await finishAttempt(app, job, outcome);
    if (!held) {
      app.logger.warn(
        context,
        'job finished after losing its lease (another worker may run it again); outcome not recorded',
      );
    }
  } catch (error) {
    app.logger.error({ ...context, err: error }, 'recording the end of a job attempt failed');
  }
  return outcome.kind === 'done' ? 'done' : outcome.kind === 'retry' ? 'retried' : 'failed';
}
