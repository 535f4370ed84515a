import type { IdentifierOperand } from './filter-ast.js';
import { quoteSource, syntaxError } from './filter-error.js';

/** Whether `ch` (one UTF-16 unit) may start an identifier: an ASCII letter, `_`, `@` or `#`. */
export function isIdentifierStart(ch: string): boolean {
  return /^[A-Za-z_@#]$/.test(ch);
}

/** Whether `ch` may continue an identifier: an ASCII letter, digit, `_`, `.` or `:`. */
export function isIdentifierPart(ch: string): boolean {
  return /^[A-Za-z0-9_.:]$/.test(ch);
}

/** Function names are plain words: a letter or `_`, then letters, digits and `_`. */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether `name` is a valid function name. */
export function isFunctionName(name: string): boolean {
  return FUNCTION_NAME.test(name);
}

/**
 * Checks `text` against the identifier rule (start with a letter, `_`, `@` or `#`; then
 * letters, digits, `_`, `.`, `:`; not ending in `.` or `:`) and also rejects empty pieces such as
 * `a..b` or `a::b`, which could never resolve. `pos` is where `text` starts in the source, so
 * the error points into the whole filter. Throws `FilterSyntaxError`.
 */
export function assertIdentifier(text: string, pos = 0): void {
  const first = text.charAt(0);
  if (!isIdentifierStart(first)) {
    throw syntaxError(`Invalid identifier ${quoteSource(text)}`, pos);
  }
  for (let i = 1; i < text.length; i++) {
    if (!isIdentifierPart(text.charAt(i))) {
      const at = pos + i;
      throw syntaxError(`Unexpected character ${quoteSource(text.charAt(i))} in identifier`, at);
    }
  }
  if (/[.:]$/.test(text) || /[.:][.:]/.test(text) || /^[@#]?[.:]/.test(text)) {
    throw syntaxError(`Invalid identifier ${quoteSource(text)}`, pos);
  }
}

/**
 * Validates an identifier (see {@link assertIdentifier}) and splits it into the AST operand:
 * the path on `.` and a modifier from the first `:` of the last segment.
 */
export function parseIdentifier(text: string, pos = 0): IdentifierOperand {
  assertIdentifier(text, pos);
  const lastDot = text.lastIndexOf('.');
  const colon = text.indexOf(':', lastDot + 1);
  if (colon < 0) return { kind: 'identifier', pos, name: text, path: text.split('.') };
  const name = text.slice(0, colon);
  return {
    kind: 'identifier',
    pos,
    name,
    path: name.split('.'),
    modifier: text.slice(colon + 1),
  };
}
