import type { JobBackoff, JobHandler, JobOptions } from './job-types.js';

/** The default of JobOptions.retries. */
export const DEFAULT_JOB_RETRIES = 3;
/** The defaults of the exponential backoff: 10 s, doubling, at most 1 h. */
export const DEFAULT_BACKOFF_BASE_MS = 10_000;
export const DEFAULT_BACKOFF_MAX_MS = 3_600_000;
/** The default lease of one attempt: 5 minutes. */
export const DEFAULT_JOB_TIMEOUT_MS = 300_000;

/** The longest job name. */
const MAX_NAME_LENGTH = 100;
/** Bounds of the numeric options (a retry count, a delay of at most a year). */
const MAX_RETRIES = 1000;
const MAX_DELAY_MS = 365 * 24 * 3_600_000;

/** A registered job: its handler and its options resolved. */
export interface JobDefinition {
  readonly name: string;
  readonly handler: JobHandler;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  /** The wait before the retry that follows failed attempt `attempt` (1, 2, ...). */
  readonly backoffMs: (attempt: number) => number;
}

/** A job registration refused: a bad name, handler or option. */
export class JobDefinitionError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'JobDefinitionError';
  }
}

/** Throws unless `name` is a job name: a non-empty string of at most 100 characters. */
export function assertJobName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    throw new JobDefinitionError(
      `A job name must be a non-empty string of at most ${String(MAX_NAME_LENGTH)} characters.`,
    );
  }
}

function delayOption(value: unknown, option: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_DELAY_MS) {
    throw new JobDefinitionError(
      `${option} must be a number of milliseconds from ${String(min)} to ${String(MAX_DELAY_MS)}.`,
    );
  }
  return value;
}

/** The backoff function of the option (see JobBackoff). */
function backoffOf(name: string, backoff: JobBackoff | undefined): (attempt: number) => number {
  if (typeof backoff === 'function') {
    return (attempt) => {
      const ms = backoff(attempt);
      // A function returning nonsense retries at once rather than never.
      return typeof ms === 'number' && Number.isFinite(ms)
        ? Math.min(Math.max(0, ms), MAX_DELAY_MS)
        : 0;
    };
  }
  // From JavaScript anything may come: check what the types promise.
  const given: unknown = backoff;
  if (given !== undefined && (typeof given !== 'object' || given === null)) {
    throw new JobDefinitionError(`job "${name}": backoff must be { baseMs, maxMs } or a function.`);
  }
  const base = delayOption(
    backoff?.baseMs,
    `job "${name}": backoff.baseMs`,
    DEFAULT_BACKOFF_BASE_MS,
  );
  const max = delayOption(backoff?.maxMs, `job "${name}": backoff.maxMs`, DEFAULT_BACKOFF_MAX_MS);
  return (attempt) => Math.min(max, base * 2 ** Math.min(attempt - 1, 60));
}

/**
 * Checks a registration and resolves its options (defaults: 3 retries, exponential backoff
 * from 10 s to at most 1 h, a 5 min lease). Throws a JobDefinitionError naming what is wrong.
 */
export function defineJob(
  name: unknown,
  handler: unknown,
  options: JobOptions = {},
): JobDefinition {
  assertJobName(name);
  if (typeof handler !== 'function') {
    throw new JobDefinitionError(`job "${name}": the handler is not a function.`);
  }
  const retries = options.retries ?? DEFAULT_JOB_RETRIES;
  if (!Number.isInteger(retries) || retries < 0 || retries > MAX_RETRIES) {
    throw new JobDefinitionError(
      `job "${name}": retries must be an integer from 0 to ${String(MAX_RETRIES)}.`,
    );
  }
  return {
    name,
    // The payload is what `enqueue` stored: the handler's declared payload type is the caller's word.
    handler: handler as JobHandler,
    maxAttempts: retries + 1,
    timeoutMs: delayOption(
      options.timeoutMs,
      `job "${name}": timeoutMs`,
      DEFAULT_JOB_TIMEOUT_MS,
      1,
    ),
    backoffMs: backoffOf(name, options.backoff),
  };
}
