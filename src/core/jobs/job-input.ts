import { MAX_JSON_DEPTH } from '../../lib/json/json-limits.js';
import type { EnqueueOptions } from './job-types.js';

/** The longest deduplication key. */
export const MAX_JOB_KEY_LENGTH = 255;
/** The largest payload, as JSON text (characters). */
export const MAX_PAYLOAD_LENGTH = 16 * 1024 * 1024;
/** The latest `runAt` accepted (the year 275760, the end of Date's range). */
const MAX_TIME_MS = 8.64e15;

/** An `enqueue` refused: an unknown job name, a payload that is not JSON, a bad option. */
export class JobEnqueueError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'JobEnqueueError';
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Why `value` (at `path`) is not plain JSON, or undefined when it is. */
function jsonProblem(
  value: unknown,
  path: string,
  depth: number,
  seen: Set<object>,
): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? undefined
      : `${path} is ${String(value)}, which JSON cannot hold`;
  }
  if (typeof value !== 'object') return `${path} is a ${typeof value}, which JSON cannot hold`;
  if (depth > MAX_JSON_DEPTH) return `${path} nests deeper than ${String(MAX_JSON_DEPTH)} levels`;
  if (seen.has(value)) return `${path} refers back to itself (a cycle)`;
  if (!Array.isArray(value) && !isPlainObject(value)) {
    const kind = value.constructor.name || 'object';
    return `${path} is a ${kind}; pass plain objects, arrays, strings, numbers, booleans and null (e.g. a date as its toISOString())`;
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === undefined) return `${path}[${String(i)}] is undefined, which JSON cannot hold`;
        const problem = jsonProblem(item, `${path}[${String(i)}]`, depth + 1, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    for (const [key, item] of Object.entries(value)) {
      // An undefined property is left out, as JSON.stringify does.
      if (item === undefined) continue;
      const problem = jsonProblem(item, `${path}.${key}`, depth + 1, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

/**
 * The payload as JSON text. Only plain JSON is accepted (null, booleans, finite numbers,
 * strings, arrays and plain objects; undefined properties are left out), so that the handler
 * reads back exactly what was enqueued: a Date, a Map, a class instance, a function, a
 * bigint, NaN or a cycle is refused with a JobEnqueueError naming where it is.
 */
export function payloadText(name: string, payload: unknown): string {
  const problem = jsonProblem(payload, 'payload', 0, new Set());
  if (problem) throw new JobEnqueueError(`enqueue("${name}"): ${problem}.`);
  const text = JSON.stringify(payload ?? null);
  if (text.length > MAX_PAYLOAD_LENGTH) {
    throw new JobEnqueueError(
      `enqueue("${name}"): the payload is larger than ${String(MAX_PAYLOAD_LENGTH)} characters as JSON.`,
    );
  }
  return text;
}

/** `runAt` in ms since the epoch (`now` when omitted); throws for an invalid date or number. */
export function runAtOf(name: string, runAt: EnqueueOptions['runAt'], now: number): number {
  if (runAt === undefined) return now;
  const ms = runAt instanceof Date ? runAt.getTime() : runAt;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_TIME_MS) {
    throw new JobEnqueueError(
      `enqueue("${name}"): runAt must be a valid Date or a number of milliseconds since the epoch.`,
    );
  }
  return Math.floor(ms);
}

/** The deduplication key (null when omitted); throws unless a non-empty string of <= 255. */
export function keyOf(name: string, key: EnqueueOptions['key']): string | null {
  if (key === undefined) return null;
  if (typeof key !== 'string' || key === '' || key.length > MAX_JOB_KEY_LENGTH) {
    throw new JobEnqueueError(
      `enqueue("${name}"): key must be a non-empty string of at most ${String(MAX_JOB_KEY_LENGTH)} characters.`,
    );
  }
  if (key.includes('\u0000')) {
    throw new JobEnqueueError(`enqueue("${name}"): key must not contain NUL characters.`);
  }
  return key;
}
