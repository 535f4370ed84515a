import type { SqlToken } from './sql-tokenize.js';

/**
 * The clause structure of SELECT statements over a token list (see sql-tokenize.ts): where the
 * main SELECT of a query sits, its select-list items and its FROM/JOIN sources. Tokens are found by
 * parenthesis depth, so commas, keywords and subqueries inside parentheses never split a list.
 */

/** Tokens `first`..`last` (both inclusive) of a token list. */
export interface TokenRange {
  readonly first: number;
  readonly last: number;
}

/** A FROM/JOIN source: the table name (last dotted part, '' for a subquery/function) and its alias. */
export interface SourceParts {
  readonly name: string;
  readonly alias: string;
  /** The index of the source's first token. */
  readonly at: number;
}

/** Where the main SELECT of a query is, or the index of the token standing where it should be. */
export type MainSelect = { readonly index: number } | { readonly notSelectAt: number };

/** Words that end a select list at its own depth. */
const SELECT_END = new Set([
  'from', 'where', 'group', 'having', 'order', 'limit', 'window', 'union', 'intersect',
  'except', 'into', 'for', 'lock', 'offset', 'fetch', 'qualify',
]); // prettier-ignore

/** Words that end a FROM list at its own depth (ON/USING only end one source's join condition). */
const FROM_END = new Set([
  'where', 'group', 'having', 'order', 'limit', 'window', 'union', 'intersect', 'except',
  'offset', 'fetch', 'for', 'lock', 'into', 'returning', 'qualify',
]); // prettier-ignore

/** Words that start a join after a source. */
const JOIN_WORDS = new Set([
  'natural',
  'left',
  'right',
  'full',
  'inner',
  'cross',
  'outer',
  'join',
  'straight_join',
]);

/** Words after a source that are not its implicit alias. */
const NOT_SOURCE_ALIAS = new Set([
  ...FROM_END, ...JOIN_WORDS, 'on', 'using', 'tablesample', 'use', 'force', 'ignore', 'indexed',
  'not', 'partition', 'with', 'as',
]); // prettier-ignore

/** Modifiers that may follow SELECT before the list (standard, PostgreSQL and MariaDB). */
const SELECT_MODIFIERS = new Set([
  'distinct', 'all', 'distinctrow', 'high_priority', 'straight_join', 'sql_small_result',
  'sql_big_result', 'sql_buffer_result', 'sql_cache', 'sql_no_cache', 'sql_calc_found_rows',
]); // prettier-ignore

/** True when the token is a word with one of the given (lower-case) values. */
export function isWord(token: SqlToken | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.value);
}

/** True when the token is the punctuation `text`. */
export function isPunct(token: SqlToken | undefined, text: string): boolean {
  return token?.kind === 'punct' && token.text === text;
}

/** The index of the `)` that closes the `(` at `open` (the last index when there is none). */
export function closingParen(tokens: readonly SqlToken[], open: number): number {
  const depth = tokens[open]?.depth ?? 0;
  for (let i = open + 1; i < tokens.length; i++) {
    if (isPunct(tokens[i], ')') && tokens[i]?.depth === depth) return i;
  }
  return tokens.length - 1;
}

/** One CTE of a WITH list: its name and the range of its body (inside the parentheses). */
export interface CteParts {
  readonly name: string;
  readonly body: TokenRange;
}

/**
 * Reads `WITH [RECURSIVE] name [(columns)] AS [NOT] [MATERIALIZED] (body), ...` starting at the
 * WITH token; returns the CTEs and the index after the list, or undefined when the tokens are not
 * such a list (e.g. `WITH TIME ZONE`, `WITH ROLLUP`).
 */
export function readCtes(
  tokens: readonly SqlToken[],
  withIndex: number,
): { ctes: CteParts[]; next: number } | undefined {
  const ctes: CteParts[] = [];
  let i = withIndex + 1;
  if (isWord(tokens[i], 'recursive')) i++;
  for (;;) {
    const name = tokens[i];
    if (name === undefined || (name.kind !== 'word' && name.kind !== 'ident')) return undefined;
    i++;
    if (isPunct(tokens[i], '(')) i = closingParen(tokens, i) + 1;
    if (!isWord(tokens[i], 'as')) return undefined;
    i++;
    if (isWord(tokens[i], 'not')) i++;
    if (isWord(tokens[i], 'materialized')) i++;
    if (!isPunct(tokens[i], '(')) return undefined;
    const close = closingParen(tokens, i);
    ctes.push({ name: nameOf(name), body: { first: i + 1, last: close - 1 } });
    i = close + 1;
    if (!isPunct(tokens[i], ',')) return { ctes, next: i };
    i++;
  }
}

/**
 * Finds the main SELECT of the statement starting at `start`: opening parentheses are skipped and
 * a WITH list is passed over to the statement after it.
 */
export function findMainSelect(tokens: readonly SqlToken[], start = 0): MainSelect {
  let i = start;
  // Empty statements before the query (only at its very start).
  if (start === 0) while (isPunct(tokens[i], ';')) i++;
  while (isPunct(tokens[i], '(')) i++;
  if (isWord(tokens[i], 'select')) return { index: i };
  if (!isWord(tokens[i], 'with')) return { notSelectAt: i };
  const list = readCtes(tokens, i);
  return list ? findMainSelect(tokens, list.next) : { notSelectAt: i };
}

/** The select list of the SELECT at `selectIndex`: its items, and the FROM token if there is one. */
export function readSelectList(
  tokens: readonly SqlToken[],
  selectIndex: number,
): { items: TokenRange[]; from: number | undefined } {
  const depth = tokens[selectIndex]?.depth ?? 0;
  let i = selectIndex + 1;
  while (tokens[i]?.depth === depth && isWord(tokens[i], ...SELECT_MODIFIERS)) {
    i++;
    if (isWord(tokens[i], 'on') && isPunct(tokens[i + 1], '(')) i = closingParen(tokens, i + 1) + 1;
  }
  const items: TokenRange[] = [];
  let first = i;
  let from: number | undefined;
  for (; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || token.depth < depth) break;
    if (token.depth > depth) continue;
    if (isPunct(token, ';')) break;
    if (isPunct(token, ',')) {
      if (i > first) items.push({ first, last: i - 1 });
      first = i + 1;
    } else if (isSelectEnd(tokens, i)) {
      if (isWord(token, 'from')) from = i;
      break;
    }
  }
  if (i > first) items.push({ first, last: i - 1 });
  return { items, from };
}

/** True when the token at `i` ends a select list (not `IS DISTINCT FROM`, not `WITHIN GROUP`). */
function isSelectEnd(tokens: readonly SqlToken[], i: number): boolean {
  const token = tokens[i];
  if (token?.kind !== 'word' || !SELECT_END.has(token.value)) return false;
  if (token.value === 'from' && isWord(tokens[i - 1], 'distinct')) return false;
  if (token.value === 'group' && isWord(tokens[i - 1], 'within')) return false;
  return true;
}

/** The sources of the FROM clause at `fromIndex`: comma-separated items and every kind of JOIN. */
export function readFromList(tokens: readonly SqlToken[], fromIndex: number): SourceParts[] {
  return readSources(tokens, fromIndex + 1, tokens[fromIndex]?.depth ?? 0);
}

/** The sources of a FROM list (or of a parenthesized join) from `start`, at `depth`. */
function readSources(tokens: readonly SqlToken[], start: number, depth: number): SourceParts[] {
  const sources: SourceParts[] = [];
  let i = start;
  while (i < tokens.length) {
    const read = readSource(tokens, i);
    sources.push(...read.sources);
    i = read.next;
    // Skip the join condition, sampling or index hints up to the next source or the list's end.
    for (; i < tokens.length; i++) {
      const token = tokens[i];
      if (token === undefined || token.depth < depth || isPunct(token, ';')) return sources;
      if (token.depth !== depth) continue;
      if (isPunct(token, ',') || isJoinWord(tokens, i)) break;
      if (token.kind === 'word' && FROM_END.has(token.value)) return sources;
    }
    if (isPunct(tokens[i], ',')) i++;
    else while (isJoinWord(tokens, i) && tokens[i]?.depth === depth) i++;
  }
  return sources;
}

/** True when the token at `i` is a join keyword (not a column such as `t.left`). */
function isJoinWord(tokens: readonly SqlToken[], i: number): boolean {
  return isWord(tokens[i], ...JOIN_WORDS) && !isPunct(tokens[i - 1], '.');
}

/**
 * One source starting at `start`: a (schema-qualified) table, a subquery, a table function, or a
 * parenthesized join (whose own sources are returned, then its alias as a source named '').
 */
function readSource(
  tokens: readonly SqlToken[],
  start: number,
): { sources: SourceParts[]; next: number } {
  let i = start;
  while (isWord(tokens[i], 'lateral', 'only')) i++;
  const at = i;
  let name = '';
  let inner: SourceParts[] = [];
  const first = tokens[i];
  if (first !== undefined && isPunct(first, '(')) {
    let body = i + 1;
    while (isPunct(tokens[body], '(')) body++;
    if (!isWord(tokens[body], 'select', 'with', 'values', 'table'))
      inner = readSources(tokens, i + 1, first.depth + 1);
    i = closingParen(tokens, i) + 1;
  } else if (first?.kind === 'word' || first?.kind === 'ident') {
    name = nameOf(first);
    i++;
    while (isPunct(tokens[i], '.') && isName(tokens[i + 1])) {
      name = nameOf(tokens[i + 1]);
      i += 2;
    }
    if (isPunct(tokens[i], '(')) {
      name = '';
      i = closingParen(tokens, i) + 1;
    }
  } else {
    return { sources: [], next: i };
  }
  const alias = readAlias(tokens, i);
  if (alias === undefined)
    return { sources: inner.length > 0 ? inner : [{ name, alias: name, at }], next: i };
  return { sources: [...inner, { name, alias: alias.alias, at }], next: alias.next };
}

/** The alias after a source (`AS a`, `a`, with an optional column list), if there is one. */
function readAlias(
  tokens: readonly SqlToken[],
  start: number,
): { alias: string; next: number } | undefined {
  let i = start;
  const explicit = isWord(tokens[i], 'as');
  if (explicit) i++;
  const candidate = tokens[i];
  const isAlias =
    candidate !== undefined &&
    (candidate.kind === 'ident' ||
      (candidate.kind === 'word' && (explicit || !NOT_SOURCE_ALIAS.has(candidate.value))));
  if (candidate === undefined || !isAlias) return undefined;
  i++;
  if (isPunct(tokens[i], '(')) i = closingParen(tokens, i) + 1;
  return { alias: nameOf(candidate), next: i };
}

/** A word or quoted identifier, as one part of a dotted name. */
export function isName(token: SqlToken | undefined): boolean {
  return token?.kind === 'word' || token?.kind === 'ident';
}

/** A name as written: a word keeps its case (only keywords are matched case-insensitively), a quoted one loses its quotes. */
export function nameOf(token: SqlToken | undefined): string {
  if (token === undefined) return '';
  return token.kind === 'word' ? token.text : token.value;
}
