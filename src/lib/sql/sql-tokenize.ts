/**
 * A small SQL tokenizer for the dialects of SQLite, PostgreSQL and MariaDB, enough to split a
 * query into statements, clauses and list items. It does not validate SQL: the engine does that.
 * Whitespace and comments produce no token.
 */

/** What a token is. `ident` is a quoted identifier; `param` a bind parameter (`?`, `$1`, `:a`, `@a`). */
export type SqlTokenKind = 'word' | 'ident' | 'string' | 'number' | 'punct' | 'param';

/** One token: its kind, its text as written, its value and where it sits. */
export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** The token as written in the source. */
  readonly text: string;
  /**
   * For `word`: the text lower-cased (keywords are case-insensitive); for `ident` and `string`:
   * the content without quotes, with doubled quotes undone; otherwise the text.
   */
  readonly value: string;
  /** Offset of the first character in the source. */
  readonly start: number;
  /** Offset after the last character. */
  readonly end: number;
  /** How many parentheses are open before the token (a `(` and its `)` sit at the outer depth). */
  readonly depth: number;
}

/** The tokens of a text, or the problem that stopped the tokenizer. */
export type SqlTokenizeResult =
  | { readonly ok: true; readonly tokens: readonly SqlToken[] }
  | { readonly ok: false; readonly problem: string };

/** Raised inside the scanner; turned into a problem sentence by {@link tokenizeSql}. */
class ScanProblem extends Error {}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;
/** Prefixes of string literals: E'...' (PostgreSQL), N'...', X'...', B'...'. */
const STRING_PREFIXES = new Set(['e', 'n', 'x', 'b']);

/**
 * Splits `source` into tokens. Strings: `'...'` with `''` escapes, and PostgreSQL's dollar quotes
 * `$$...$$`/`$tag$...$tag$`. Inside `'...'` a backslash first escapes the next character
 * (MariaDB's default, and PostgreSQL's E'...'), so `\'` does not end the string; when that reading
 * leaves a string unterminated, the text is read again the standard way (SQLite, PostgreSQL),
 * where a backslash is an ordinary character and `'C:\'` is a whole string. Quoted identifiers:
 * `"..."`, `` `...` `` and `[...]`. Comments: `--` to the end of the line and `/* ... *\/`
 * (MariaDB's `#` comments are not read as comments, since `#` is an operator in PostgreSQL).
 * Refuses unterminated strings, quoted identifiers and comments, unbalanced parentheses, and
 * MariaDB executable comments `/*! ... *\/`. With `backslash` given, only that one reading is made
 * (true: backslash escapes; false: the standard way).
 */
export function tokenizeSql(source: string, backslash?: boolean): SqlTokenizeResult {
  if (backslash !== undefined) return attempt(source, backslash);
  const escaped = attempt(source, true);
  if (escaped.ok || escaped.problem !== UNTERMINATED_STRING) return escaped;
  const standard = attempt(source, false);
  return standard.ok ? standard : escaped;
}

const UNTERMINATED_STRING = 'The query has an unterminated string.';

/** One reading of the text, its scan problem turned into a result. */
function attempt(source: string, backslash: boolean): SqlTokenizeResult {
  try {
    return { ok: true, tokens: scan(source, backslash) };
  } catch (error) {
    if (error instanceof ScanProblem) return { ok: false, problem: error.message };
    throw error;
  }
}

function scan(source: string, backslash: boolean): SqlToken[] {
  const tokens: SqlToken[] = [];
  let depth = 0;
  let i = 0;
  const push = (kind: SqlTokenKind, start: number, end: number, value?: string): void => {
    const text = source.slice(start, end);
    if (text === ')') depth -= 1;
    if (depth < 0) throw new ScanProblem('The query has unbalanced parentheses.');
    tokens.push({
      kind,
      text,
      value: value ?? (kind === 'word' ? text.toLowerCase() : text),
      start,
      end,
      depth,
    });
    if (text === '(') depth += 1;
  };
  while (i < source.length) {
    const c = source.charAt(i);
    const next = source.charAt(i + 1);
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === '-' && next === '-') {
      const eol = source.indexOf('\n', i);
      i = eol < 0 ? source.length : eol + 1;
    } else if (c === '/' && next === '*') {
      if (source.charAt(i + 2) === '!')
        throw new ScanProblem('MariaDB executable comments (/*! ... */) are not supported.');
      const close = source.indexOf('*/', i + 2);
      if (close < 0) throw new ScanProblem('The query has an unterminated comment.');
      i = close + 2;
    } else if (c === "'") {
      const end = quotedEnd(source, i, "'", backslash, 'string');
      push('string', i, end, unquote(source.slice(i, end), "'"));
      i = end;
    } else if (c === '"' || c === '`') {
      const end = quotedEnd(source, i, c, false, 'identifier');
      push('ident', i, end, unquote(source.slice(i, end), c));
      i = end;
    } else if (c === '[') {
      const close = source.indexOf(']', i + 1);
      if (close < 0) throw new ScanProblem('The query has an unterminated quoted identifier.');
      push('ident', i, close + 1, source.slice(i + 1, close));
      i = close + 1;
    } else if (c === '$') {
      i = scanDollar(source, i, push);
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(next))) {
      const end = numberEnd(source, i);
      push('number', i, end);
      i = end;
    } else if (WORD_START.test(c)) {
      i = scanWord(source, i, push, backslash);
    } else if ((c === '?' || c === ':' || c === '@') && next !== ':' && c + next !== '@>') {
      let end = i + 1;
      while (end < source.length && WORD_PART.test(source.charAt(end))) end += 1;
      push(end > i + 1 || c === '?' ? 'param' : 'punct', i, end);
      i = end;
    } else {
      const end = c === ':' && next === ':' ? i + 2 : i + 1;
      push('punct', i, end);
      i = end;
    }
  }
  if (depth !== 0) throw new ScanProblem('The query has unbalanced parentheses.');
  return tokens;
}

type Push = (kind: SqlTokenKind, start: number, end: number, value?: string) => void;

/** A word, or a prefixed string literal such as E'...' or N'...'. */
function scanWord(source: string, start: number, push: Push, backslash: boolean): number {
  let end = start + 1;
  while (end < source.length && WORD_PART.test(source.charAt(end))) end += 1;
  const word = source.slice(start, end);
  if (end === start + 1 && STRING_PREFIXES.has(word.toLowerCase()) && source.charAt(end) === "'") {
    const close = quotedEnd(source, end, "'", backslash, 'string');
    push('string', start, close, unquote(source.slice(end, close), "'"));
    return close;
  }
  push('word', start, end);
  return end;
}

/** A dollar-quoted string, a `$1`/`$name` parameter, or a lone `$`. */
function scanDollar(source: string, start: number, push: Push): number {
  const tag = DOLLAR_TAG.exec(source.slice(start, start + 100));
  if (tag) {
    const delimiter = tag[0];
    const close = source.indexOf(delimiter, start + delimiter.length);
    if (close < 0) throw new ScanProblem(UNTERMINATED_STRING);
    push('string', start, close + delimiter.length, source.slice(start + delimiter.length, close));
    return close + delimiter.length;
  }
  let end = start + 1;
  while (end < source.length && WORD_PART.test(source.charAt(end))) end += 1;
  push(end > start + 1 ? 'param' : 'punct', start, end);
  return end;
}

/** The end (exclusive) of a quoted token starting at `start`; a doubled quote is an escape. */
function quotedEnd(
  source: string,
  start: number,
  quote: string,
  backslash: boolean,
  what: 'string' | 'identifier',
): number {
  let i = start + 1;
  while (i < source.length) {
    const c = source.charAt(i);
    if (backslash && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (source.charAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else {
      i += 1;
    }
  }
  throw new ScanProblem(
    what === 'string'
      ? 'The query has an unterminated string.'
      : 'The query has an unterminated quoted identifier.',
  );
}

/** The content of a quoted token with its doubled quotes undone. */
function unquote(token: string, quote: string): string {
  return token
    .slice(1, -1)
    .split(quote + quote)
    .join(quote);
}

/** The end (exclusive) of a number: digits, a fraction, an exponent, or a 0x hex literal. */
function numberEnd(source: string, start: number): number {
  const match = /^(?:0[xX][0-9A-Fa-f]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)/.exec(
    source.slice(start, start + 400),
  );
  return start + (match ? match[0].length : 1);
}
