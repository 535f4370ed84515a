import { quoteSource, syntaxError } from './filter-error.js';
import { isIdentifierPart } from './filter-identifier.js';
import type { Operator } from './filter-token.js';
import { toOperator } from './filter-token.js';

/** A scanned piece of source: its value and the offset just past it. */
export interface Scanned<T> {
  readonly value: T;
  readonly end: number;
}

/**
 * Reads quoted text whose opening quote (`'` or `"`) is at `start`. A backslash directly before
 * the enclosing quote escapes it; every other backslash is kept as written (PocketBase does the
 * same, so a text cannot end in a backslash). A NUL character in it is a syntax error.
 */
export function scanText(text: string, start: number): Scanned<string> {
  const quote = text.charAt(start);
  let value = '';
  let chunk = start + 1;
  for (let i = chunk; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch === '\\' && text.charAt(i + 1) === quote) {
      value += text.slice(chunk, i) + quote;
      i++;
      chunk = i + 1;
    } else if (ch === quote) {
      return { value: value + text.slice(chunk, i), end: i + 1 };
    } else if (ch === '\u0000') {
      // No engine-independent way to compare NUL: PostgreSQL text cannot hold it.
      throw syntaxError('Unexpected NUL character in quoted text', i);
    }
  }
  throw syntaxError('Unterminated quoted text starting', start);
}

const NUMBER = /-?[0-9]+(?:\.[0-9]+)?/y;

/**
 * Reads a number (`123`, `10.5`, `-14`; no exponent) at `start`. A number running straight into
 * a letter, `.` or `:` (`1.`, `1.2.3`, `12ab`) is an error rather than two tokens.
 */
export function scanNumber(text: string, start: number): Scanned<number> {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  let end = start + (match?.[0].length ?? 0);
  if (match === null || isIdentifierPart(text.charAt(end))) {
    while (end < text.length && isIdentifierPart(text.charAt(end))) end++;
    const raw = text.slice(start, Math.max(end, start + 1));
    throw syntaxError(`Invalid number ${quoteSource(raw)}`, start);
  }
  const value = Number(match[0]);
  if (!Number.isFinite(value)) {
    const raw = match[0];
    throw syntaxError(`Number ${quoteSource(raw)} is out of range`, start);
  }
  return { value, end };
}

/** Reads the longest run of identifier characters from `start` (the caller checks the first). */
export function scanWord(text: string, start: number): Scanned<string> {
  let end = start + 1;
  while (end < text.length && isIdentifierPart(text.charAt(end))) end++;
  return { value: text.slice(start, end), end };
}

/** Reads the longest operator at `start`, or returns undefined when none starts there. */
export function scanOperator(text: string, start: number): Scanned<Operator> | undefined {
  for (const length of [3, 2, 1]) {
    const op = toOperator(text.slice(start, start + length));
    // Near the end of the text a slice comes back shorter, so measure the operator itself.
    if (op !== undefined) return { value: op, end: start + op.length };
  }
  return undefined;
}

/** Returns the offset just past whitespace and `//` line comments starting at `start`. */
export function skipTrivia(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    if (/\s/.test(text.charAt(i))) {
      i++;
    } else if (text.startsWith('//', i)) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? text.length : newline + 1;
    } else {
      break;
    }
  }
  return i;
}
