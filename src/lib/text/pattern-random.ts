import { randomString } from '../security/random.js';

/** A pattern that `randomFromPattern` cannot generate from. */
export class UnsupportedPatternError extends Error {}

const CLASS_SHORTHANDS: Record<string, string> = {
  d: '0123456789',
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
};

/** Expands a bracket class body such as `a-z0-9_` into its characters. */
function expandClass(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body.charAt(i);
    if (ch === '\\' && i + 1 < body.length) {
      const next = body.charAt(++i);
      out += CLASS_SHORTHANDS[next] ?? next;
    } else if (body.charAt(i + 1) === '-' && i + 2 < body.length) {
      const end = body.charCodeAt(i + 2);
      for (let c = ch.charCodeAt(0); c <= end; c++) out += String.fromCharCode(c);
      i += 2;
    } else {
      out += ch;
    }
  }
  return [...new Set(out)].join('');
}

/** One piece of a compiled pattern: `min` to `max` characters from `alphabet`. */
interface PatternPart {
  readonly alphabet: string;
  readonly min: number;
  readonly max: number;
}

/** Reads `{n}` or `{n,m}` at `i`; returns the count range and the next index. */
function readQuantifier(pattern: string, i: number): { min: number; max: number; next: number } {
  const m = /^\{(\d{1,4})(?:,(\d{1,4}))?\}/.exec(pattern.slice(i));
  if (!m) return { min: 1, max: 1, next: i };
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : Number(m[2]);
  if (max < min) throw new UnsupportedPatternError(`Invalid quantifier in "${pattern}".`);
  return { min, max, next: i + m[0].length };
}

function compilePattern(pattern: string): readonly PatternPart[] {
  const source = pattern.replace(/^\^/, '').replace(/\$$/, '');
  const parts: PatternPart[] = [];
  let i = 0;
  while (i < source.length) {
    let alphabet: string;
    const ch = source.charAt(i);
    if (ch === '[') {
      const end = source.indexOf(']', i + 1);
      if (end < 0) throw new UnsupportedPatternError(`Unclosed class in "${pattern}".`);
      alphabet = expandClass(source.slice(i + 1, end));
      i = end + 1;
    } else if (ch === '\\') {
      const next = source.charAt(i + 1);
      alphabet = CLASS_SHORTHANDS[next] ?? next;
      i += 2;
    } else if ('.*+?()|{}'.includes(ch)) {
      throw new UnsupportedPatternError(`Unsupported "${ch}" in "${pattern}".`);
    } else {
      alphabet = ch;
      i += 1;
    }
    const { min, max, next } = readQuantifier(source, i);
    i = next;
    parts.push({ alphabet, min, max });
  }
  return parts;
}

// Compiled patterns by text; patterns come from collection options, so there are few.
const PATTERN_CACHE_SIZE = 500;
const compiled = new Map<string, readonly PatternPart[]>();

function compiledPattern(pattern: string): readonly PatternPart[] {
  let parts = compiled.get(pattern);
  if (parts === undefined) {
    parts = compilePattern(pattern);
    if (compiled.size >= PATTERN_CACHE_SIZE) compiled.clear();
    compiled.set(pattern, parts);
  }
  return parts;
}

/**
 * A random string matching a simple pattern, as text fields' `autogeneratePattern` uses:
 * literal characters, bracket classes (`[a-z0-9]`), `\d` and `\w`, each optionally followed by
 * `{n}` or `{n,m}`; `^` and `$` are ignored. Anything else throws UnsupportedPatternError.
 */
export function randomFromPattern(pattern: string): string {
  let out = '';
  for (const { alphabet, min, max } of compiledPattern(pattern)) {
    const count = min === max ? min : min + Math.floor(Math.random() * (max - min + 1));
    out += alphabet.length === 1 ? alphabet.repeat(count) : randomString(count, alphabet);
  }
  return out;
}
