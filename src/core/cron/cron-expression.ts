import { Cron as CronPattern } from 'croner';

/** PocketBase's cron macros (tools/cron/schedule.go) and the expressions they stand for. */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The bounds of each field of a five-field expression: minute, hour, day, month, weekday. */
const FIELD_BOUNDS: readonly (readonly [number, number])[] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
];
/** The optional leading seconds field of a six-field expression (Basalt's extension). */
const SECONDS_BOUNDS: readonly [number, number] = [0, 59];

/** A cron expression that PocketBase's grammar does not accept; the message says why. */
export class CronExpressionError extends Error {}

/** A parsed, valid cron expression. */
export interface CronSchedule {
  /** The expression as listed (`GET /api/crons`): a macro is shown expanded, as PocketBase does. */
  readonly expression: string;
  /** The first scheduled time strictly after `ms` (milliseconds since the epoch, UTC). */
  nextAfter(ms: number): number;
  /** The last scheduled time at or before `ms`; undefined when none is found. */
  latestUntil(ms: number): number | undefined;
}

function parseNumber(text: string, [min, max]: readonly [number, number], what: string): number {
  if (!/^\d+$/.test(text)) throw new CronExpressionError(`"${text}" is not a number`);
  const value = Number(text);
  if (value < min || value > max) {
    throw new CronExpressionError(`the ${what} ${text} is not between ${min} and ${max}`);
  }
  return value;
}

/** The values one comma-separated part (`*`, `5`, `1-30`, `*\/n`, `1-30/n`) selects. */
function partValues(part: string, bounds: readonly [number, number]): number[] {
  const pieces = part.split('/');
  if (pieces.length > 2) throw new CronExpressionError(`"${part}" has more than one step`);
  const [base = '', stepText] = pieces;
  const step = stepText === undefined ? 1 : parseNumber(stepText, [1, bounds[1]], 'step');
  let from = bounds[0];
  let to = bounds[1];
  if (base !== '*') {
    const range = base.split('-');
    if (range.length > 2) throw new CronExpressionError(`"${base}" is not a range`);
    from = parseNumber(range[0] ?? '', bounds, 'value');
    to = range[1] === undefined ? from : parseNumber(range[1], [from, bounds[1]], 'range end');
    if (range.length === 1 && step !== 1) {
      throw new CronExpressionError(`a step needs "*" or a range, not "${part}"`);
    }
  }
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

/** The sorted values a field selects, as a list croner reads the same way. */
function fieldValues(field: string, bounds: readonly [number, number]): string {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    for (const value of partValues(part, bounds)) values.add(value);
  }
  return [...values].sort((a, b) => a - b).join(',');
}

/**
 * Parses a cron expression as PocketBase does (tools/cron/schedule.go): one of its macros, or
 * five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-6, Sunday
 * 0), each a list of `*`, `n`, `a-b`, `*\/step` or `a-b/step`; every field must match, day of
 * month AND day of week (PocketBase's rule, not Vixie cron's OR). Basalt also accepts a sixth,
 * leading seconds field (0-59) for sub-minute schedules. Times are UTC. Throws a
 * CronExpressionError saying what is wrong.
 */
export function parseCronExpression(expression: string): CronSchedule {
  const shown = CRON_MACROS[expression] ?? expression;
  const fields = shown.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new CronExpressionError(
      'it must be a macro (@yearly, @monthly, @weekly, @daily, @midnight, @hourly) or have 5 ' +
        '(or, with seconds first, 6) space-separated fields',
    );
  }
  const bounds = fields.length === 6 ? [SECONDS_BOUNDS, ...FIELD_BOUNDS] : FIELD_BOUNDS;
  const lists = fields.map((field, i) => fieldValues(field, bounds[i] ?? SECONDS_BOUNDS));
  if (lists.length === 5) lists.unshift('0');
  const pattern = new CronPattern(lists.join(' '), {
    paused: true,
    timezone: 'UTC',
    mode: '6-part',
    domAndDow: true,
  });
  return {
    expression: shown,
    nextAfter(ms) {
      const next = pattern.nextRun(new Date(ms));
      // Explicit value lists of valid fields always match some day within a few years.
      return next ? next.getTime() : Number.POSITIVE_INFINITY;
    },
    latestUntil(ms) {
      return pattern.previousRuns(1, new Date(ms + 1))[0]?.getTime();
    },
  };
}

/** True when `expression` is a valid cron expression of five fields or a macro (no seconds). */
export function isCronExpression(expression: string): boolean {
  try {
    return parseCronExpression(expression).expression.trim().split(/\s+/).length === 5;
  } catch (error) {
    if (error instanceof CronExpressionError) return false;
    throw error;
  }
}
