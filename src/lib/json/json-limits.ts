/**
 * How deep JSON may nest in a request body or a json field value. JSON.stringify and other
 * recursive code overflow Node's stack at a few thousand levels, and SQLite's JSON functions
 * refuse more than 1000, so deeper input is refused where it enters.
 */
export const MAX_JSON_DEPTH = 1000;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_ARRAY = 91;
const OPEN_OBJECT = 123;
const CLOSE_ARRAY = 93;
const CLOSE_OBJECT = 125;

/**
 * Whether JSON text nests arrays and objects deeper than `max` (brackets inside strings do not
 * count). Text shorter than 2 * (max + 1) characters cannot, and is not scanned.
 */
export function jsonTextTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  if (text.length < 2 * (max + 1)) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}

/** Why a JSON value cannot be stored on every engine, see {@link jsonValueProblem}. */
export type JsonValueProblem = 'depth' | 'nul' | 'number';

/**
 * What keeps a parsed JSON value from being stored alike on every engine: nesting deeper than
 * `max`, a NUL character in a string or key (PostgreSQL text cannot hold it), or a number that
 * is not finite (`1e400` parses as Infinity, which JSON.stringify writes as `null`).
 * Iterative, so any depth is safe to check.
 */
export function jsonValueProblem(
  value: unknown,
  max = MAX_JSON_DEPTH,
): JsonValueProblem | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, depth] = item;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'nul';
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'number';
    } else if (typeof v === 'object' && v !== null) {
      if (depth >= max) return 'depth';
      if (Array.isArray(v)) {
        for (const child of v) stack.push([child, depth + 1]);
      } else {
        for (const [key, child] of Object.entries(v)) {
          if (key.includes('\u0000')) return 'nul';
          stack.push([child, depth + 1]);
        }
      }
    }
  }
  return undefined;
}
