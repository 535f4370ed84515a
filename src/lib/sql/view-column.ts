import { isName, isPunct, isWord, nameOf, type TokenRange } from './sql-select.js';
import type { SqlToken } from './sql-tokenize.js';

/**
 * The output name of one select-list item: `expr AS alias`, `expr alias`, a quoted alias (quotes
 * removed, a single-quoted one too, as SQLite and MariaDB accept it), the column of `t.col`, or
 * else the expression text.
 */

/** Words that cannot end an expression, so a name after them is not an implicit alias. */
const OPERATOR_WORDS = new Set([
  'and', 'or', 'not', 'is', 'in', 'like', 'ilike', 'glob', 'regexp', 'rlike', 'match', 'between',
  'collate', 'case', 'when', 'then', 'else', 'distinct', 'escape', 'as', 'at', 'zone', 'over',
  'similar', 'to', 'div', 'mod', 'xor', 'binary', 'select', 'all', 'any', 'some', 'exists',
]); // prettier-ignore

/** Words that end an expression themselves, so they are never an implicit alias. */
const EXPRESSION_END_WORDS = new Set([
  'end', 'null', 'true', 'false', 'isnull', 'notnull', 'unknown', 'current_timestamp',
  'current_date', 'current_time', 'localtime', 'localtimestamp', 'current_user', 'session_user',
]); // prettier-ignore

/** Type names of typed literals (`DATE '2020-01-01'`): the string after them is not an alias. */
const LITERAL_TYPES = new Set(['date', 'time', 'timestamp', 'timestamptz', 'interval', 'datetime']);

/** The item's expression range and output name. */
export function columnOf(
  tokens: readonly SqlToken[],
  sql: string,
  item: TokenRange,
): { expression: string; alias: string } {
  const text = (range: TokenRange): string =>
    sql.slice(tokens[range.first]?.start ?? 0, tokens[range.last]?.end ?? 0).trim();
  const last = tokens[item.last];
  if (item.last > item.first && last !== undefined) {
    const before = tokens[item.last - 1];
    if (isWord(before, 'as') && item.last - 1 > item.first)
      return { expression: text({ first: item.first, last: item.last - 2 }), alias: aliasOf(last) };
    if (isImplicitAlias(last, before))
      return { expression: text({ first: item.first, last: item.last - 1 }), alias: aliasOf(last) };
  }
  const expression = text(item);
  return { expression, alias: isColumnReference(tokens, item) ? nameOf(last) : expression };
}

/** The alias a token names: a word as written, a quoted identifier or string without quotes. */
function aliasOf(token: SqlToken): string {
  return nameOf(token);
}

/** True when `last` is an alias written without AS after the expression that ends with `before`. */
function isImplicitAlias(last: SqlToken, before: SqlToken | undefined): boolean {
  if (before === undefined || !endsExpression(before)) return false;
  if (last.kind === 'ident') return true;
  if (last.kind === 'word')
    return !EXPRESSION_END_WORDS.has(last.value) && !OPERATOR_WORDS.has(last.value);
  if (last.kind === 'string') return before.kind !== 'string' && !isWord(before, ...LITERAL_TYPES);
  return false;
}

/** True when an expression may end with this token. */
function endsExpression(token: SqlToken): boolean {
  if (token.kind === 'punct') return token.text === ')';
  if (token.kind === 'word') return !OPERATOR_WORDS.has(token.value);
  return true;
}

/** True for `name`, `t.name` or `s.t.name` (each part a word or quoted identifier). */
export function isColumnReference(tokens: readonly SqlToken[], item: TokenRange): boolean {
  if ((item.last - item.first) % 2 !== 0) return false;
  for (let i = item.first; i <= item.last; i++) {
    const ok = (i - item.first) % 2 === 0 ? isName(tokens[i]) : isPunct(tokens[i], '.');
    if (!ok) return false;
  }
  const single = tokens[item.first];
  return !(
    item.first === item.last &&
    single?.kind === 'word' &&
    EXPRESSION_END_WORDS.has(single.value)
  );
}
