import {
  findMainSelect,
  isPunct,
  isWord,
  readCtes,
  readFromList,
  readSelectList,
  type TokenRange,
} from './sql-select.js';
import { tokenizeSql, type SqlToken } from './sql-tokenize.js';
import { columnOf } from './view-column.js';

export { columnHint, type ColumnHint } from './view-column-hint.js';

/**
 * The text side of view collections: checks a superuser's view query (one read-only SELECT in the
 * engine's own SQL) and reads its output columns and sources, as PocketBase does to infer a
 * view's fields, with a real tokenizer instead of splitting on commas. Not a security boundary:
 * the view is created by the engine, which is the judge of the SQL.
 */

/** A problem with a view query, as a short English sentence for a 400 message. */
export type ViewQueryCheck = { ok: true; sql: string } | { ok: false; problem: string };

/** One output column of the top-level SELECT: its expression text (trimmed, as written) and its output name. */
export interface ViewColumn {
  readonly expression: string;
  readonly alias: string;
}

/**
 * A table (or subquery) in the top-level FROM/JOIN list: its name as written (unquoted; of
 * `schema.name` the last part) and the alias it is referred to by (the name when there is none).
 * For a subquery or function the `name` is ''.
 */
export interface ViewSource {
  readonly name: string;
  readonly alias: string;
}

/** The output columns and the FROM/JOIN sources of a view query's top-level SELECT. */
export interface ParsedViewQuery {
  readonly columns: readonly ViewColumn[];
  readonly sources: readonly ViewSource[];
}

/** The longest view query accepted, in characters. */
export const VIEW_QUERY_MAX_LENGTH = 10_000;

const MULTIPLE = 'Multiple statements are not supported.';
const NOT_SELECT = 'The query must be a single SELECT statement.';
const MODIFYING =
  'Only SELECT is allowed in a view query: no INSERT, UPDATE, DELETE or other statements.';
const WILDCARD = 'Wildcard columns (*) are not supported: list the fields the view should have.';

/** Statement keywords refused wherever a statement may start (top level, CTE bodies, subqueries). */
const STATEMENT_WORDS = new Set([
  'insert', 'update', 'delete', 'merge', 'replace', 'upsert', 'truncate', 'drop', 'alter',
  'create', 'grant', 'revoke', 'attach', 'detach', 'pragma', 'vacuum', 'reindex', 'copy', 'call',
  'execute', 'exec', 'load', 'handler', 'rename', 'lock', 'unlock', 'set', 'do', 'begin',
  'commit', 'rollback', 'savepoint', 'release', 'prepare', 'deallocate', 'declare', 'refresh',
  'cluster', 'listen', 'notify', 'reset', 'discard',
]); // prettier-ignore

/**
 * Checks that `text` is one read-only SELECT and returns it normalised: trimmed, leading and
 * trailing `;` (and whitespace/comments after the last statement) removed. Refuses, with a
 * sentence: empty text; more than one statement; a first keyword other than SELECT or WITH
 * (opening parentheses skipped); a WITH whose main statement is not a SELECT; a statement keyword
 * (INSERT, UPDATE, DELETE, MERGE, ...) where a statement starts, as in PostgreSQL's data-modifying
 * CTEs; `SELECT ... INTO`; `FOR UPDATE`/`FOR SHARE`/`LOCK IN SHARE MODE`; unterminated strings,
 * quoted identifiers or comments; unbalanced parentheses; text over 10,000 characters; wildcards
 * (`*`, `t.*`) in the top-level select list (`count(*)` is fine).
 */
export function checkViewQuery(text: string): ViewQueryCheck {
  if (text.length > VIEW_QUERY_MAX_LENGTH)
    return { ok: false, problem: 'The query is too long: at most 10,000 characters are allowed.' };
  const tokenized = tokenizeSql(text);
  if (!tokenized.ok) return { ok: false, problem: tokenized.problem };
  const all = tokenized.tokens;
  const { first, last } = withoutOuterSemicolons(all);
  const firstToken = all[first];
  const lastToken = all[last];
  if (firstToken === undefined || lastToken === undefined)
    return { ok: false, problem: 'The query is empty.' };
  const begin = first > 0 ? firstToken.start : text.length - text.trimStart().length;
  const sql = text.slice(begin, lastToken.end);
  const tokens = all
    .slice(first, last + 1)
    .map((t) => ({ ...t, start: t.start - begin, end: t.end - begin }));
  if (otherReadingHasSeveralStatements(text)) return { ok: false, problem: MULTIPLE };
  const problem = statementProblem(tokens) ?? clauseProblem(tokens);
  return problem === undefined ? { ok: true, sql } : { ok: false, problem };
}

/**
 * True when the text also tokenizes with backslashes read the other way (plain characters in
 * SQLite and PostgreSQL, escapes in MariaDB) and that reading has a `;` between statements: the
 * engine may read it so, and one of the two readings must not hide a second statement in a string.
 */
function otherReadingHasSeveralStatements(text: string): boolean {
  if (!text.includes('\\')) return false;
  return [true, false].some((backslash) => {
    const reading = tokenizeSql(text, backslash);
    if (!reading.ok) return false;
    const { first, last } = withoutOuterSemicolons(reading.tokens);
    return reading.tokens.slice(first, last + 1).some((t) => isPunct(t, ';'));
  });
}

/** The range of tokens without the `;` (empty statements) before and after them. */
function withoutOuterSemicolons(tokens: readonly SqlToken[]): TokenRange {
  let first = 0;
  while (isPunct(tokens[first], ';')) first++;
  let last = tokens.length - 1;
  while (last >= first && isPunct(tokens[last], ';')) last--;
  return { first, last };
}

/** A problem with the statement shape: several statements, not a SELECT, a modifying statement. */
function statementProblem(tokens: readonly SqlToken[]): string | undefined {
  if (tokens.some((t) => isPunct(t, ';'))) return MULTIPLE;
  let first = 0;
  while (isPunct(tokens[first], '(')) first++;
  if (!isWord(tokens[first], 'select', 'with')) return NOT_SELECT;
  for (let i = 0; i < tokens.length; i++) {
    if (isStatementStart(tokens, i) && i > 0) return MODIFYING;
  }
  const main = findMainSelect(tokens);
  if ('notSelectAt' in main) {
    const at = main.notSelectAt;
    return at > 0 && isStatementStart(tokens, at) ? MODIFYING : NOT_SELECT;
  }
  return undefined;
}

/** True when the token at `i` is a statement keyword at a place where a statement can start. */
function isStatementStart(tokens: readonly SqlToken[], i: number): boolean {
  const token = tokens[i];
  if (token?.kind !== 'word' || !STATEMENT_WORDS.has(token.value)) return false;
  const next = tokens[i + 1];
  // `replace(...)`, `insert(...)`, `truncate(...)` are functions; `(update)` a column at most.
  if (next === undefined || (next.kind !== 'word' && next.kind !== 'ident')) return false;
  return i === 0 || isPunct(tokens[i - 1], '(') || isAfterCteList(tokens, i);
}

/** True when the token at `i` directly follows a complete WITH list. */
function isAfterCteList(tokens: readonly SqlToken[], i: number): boolean {
  for (let w = 0; w < i; w++) {
    if (isWord(tokens[w], 'with') && readCtes(tokens, w)?.next === i) return true;
  }
  return false;
}

/** A problem with a clause: SELECT INTO, row locks, wildcard columns. */
function clauseProblem(tokens: readonly SqlToken[]): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    if (isWord(tokens[i], 'into')) return 'SELECT ... INTO is not allowed in a view query.';
    const lock =
      (isWord(tokens[i], 'for') && isWord(tokens[i + 1], 'update', 'share', 'no', 'key')) ||
      (isWord(tokens[i], 'lock') && isWord(tokens[i + 1], 'in'));
    if (lock)
      return 'Row locks (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE) are not allowed in a view query.';
  }
  const main = findMainSelect(tokens);
  if (!('index' in main)) return NOT_SELECT;
  for (const select of compoundSelects(tokens, main.index)) {
    if (readSelectList(tokens, select).items.some((item) => isWildcard(tokens, item)))
      return WILDCARD;
  }
  return undefined;
}

/** The SELECT at `index` and the other arms of its UNION/INTERSECT/EXCEPT at the same depth. */
function compoundSelects(tokens: readonly SqlToken[], index: number): number[] {
  const depth = tokens[index]?.depth ?? 0;
  const selects = [index];
  for (let i = index + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || token.depth < depth) break;
    if (token.depth === depth && isWord(token, 'select')) selects.push(i);
  }
  return selects;
}

/** True for `*` and `t.*` (but not `count(*)` or `a * b`). */
function isWildcard(tokens: readonly SqlToken[], item: TokenRange): boolean {
  if (!isPunct(tokens[item.last], '*')) return false;
  return item.first === item.last || isPunct(tokens[item.last - 1], '.');
}

/**
 * Parses the top-level SELECT of a checked query (for WITH queries: the main SELECT after the
 * CTEs; for UNION/INTERSECT/EXCEPT: the first SELECT). Text that does not tokenize, or has no
 * SELECT, gives no columns and no sources.
 */
export function parseViewQuery(sql: string): ParsedViewQuery {
  const tokenized = tokenizeSql(sql);
  if (!tokenized.ok) return { columns: [], sources: [] };
  const tokens = tokenized.tokens;
  const main = findMainSelect(tokens);
  if (!('index' in main)) return { columns: [], sources: [] };
  const list = readSelectList(tokens, main.index);
  return {
    columns: list.items.map((item) => columnOf(tokens, sql, item)),
    sources:
      list.from === undefined
        ? []
        : readFromList(tokens, list.from).map(({ name, alias }) => ({ name, alias })),
  };
}

/**
 * Every table name that follows FROM or JOIN anywhere in the query (subqueries and CTEs included),
 * unquoted (of `schema.name` the last part), in order, without duplicates; the names of CTEs
 * defined by the query itself are left out (compared case-insensitively). For ordering views
 * that read other views.
 */
export function referencedTables(sql: string): string[] {
  const tokenized = tokenizeSql(sql);
  if (!tokenized.ok) return [];
  const tokens = tokenized.tokens;
  const cteNames = new Set<string>();
  tokens.forEach((token, i) => {
    if (isWord(token, 'with'))
      readCtes(tokens, i)?.ctes.forEach((c) => cteNames.add(c.name.toLowerCase()));
  });
  const found: { name: string; at: number }[] = [];
  tokens.forEach((token, i) => {
    if (!isWord(token, 'select')) return;
    const { from } = readSelectList(tokens, i);
    if (from === undefined) return;
    for (const source of readFromList(tokens, from)) {
      if (source.name !== '' && !cteNames.has(source.name.toLowerCase())) found.push(source);
    }
  });
  const names = found.sort((a, b) => a.at - b.at).map((source) => source.name);
  return [...new Set(names)];
}
