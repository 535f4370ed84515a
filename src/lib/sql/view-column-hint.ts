import { closingParen, isName, isPunct, isWord, nameOf } from './sql-select.js';
import { tokenizeSql, type SqlToken } from './sql-tokenize.js';
import { isColumnReference } from './view-column.js';

/** What an output column's expression says about its type, as PocketBase infers it. */
export type ColumnHint =
  | { kind: 'number'; onlyInt: boolean }
  | { kind: 'text' }
  | { kind: 'bool' }
  | { kind: 'column'; source: string; field: string }
  | { kind: 'unknown' };

const INT_TYPES = new Set([
  'int', 'integer', 'bigint', 'smallint', 'tinyint', 'mediumint', 'int2', 'int4', 'int8',
  'signed', 'unsigned', 'signed integer', 'unsigned integer',
]); // prettier-ignore
const REAL_TYPES = new Set([
  'real', 'double', 'double precision', 'float', 'float4', 'float8', 'decimal', 'numeric',
]); // prettier-ignore
const TEXT_TYPES = new Set([
  'text', 'char', 'varchar', 'character', 'character varying', 'nchar', 'nvarchar', 'varchar2',
  'national char', 'national character', 'tinytext', 'mediumtext', 'longtext',
]); // prettier-ignore
const BOOL_TYPES = new Set(['bool', 'boolean']);

/**
 * What an output column's expression says about its type: `count(...)` is an integer number and
 * `total(...)` a number (when the call is the whole expression); `cast(x as type)` (and
 * PostgreSQL's `x::type`) a number, text or bool by the type name (a length or precision such
 * as `varchar(20)` or `decimal(10,2)` is ignored); a plain column reference `x` or `t.x` (quotes
 * removed) names its source alias ('' when there is none: the first FROM source is meant) and
 * field; anything else is unknown.
 */
export function columnHint(expression: string): ColumnHint {
  const tokenized = tokenizeSql(expression);
  if (!tokenized.ok || tokenized.tokens.length === 0) return { kind: 'unknown' };
  const tokens = tokenized.tokens;
  const last = tokens.length - 1;
  if (isWholeCall(tokens, 'count')) return { kind: 'number', onlyInt: true };
  if (isWholeCall(tokens, 'total')) return { kind: 'number', onlyInt: false };
  if (isWholeCall(tokens, 'cast')) return castHint(tokens, 2, last - 1);
  const shorthand = shorthandCast(tokens);
  if (shorthand !== undefined) return castHint(tokens, shorthand, last);
  if (isColumnReference(tokens, { first: 0, last })) {
    return {
      kind: 'column',
      source: last >= 2 ? nameOf(tokens[last - 2]) : '',
      field: nameOf(tokens[last]),
    };
  }
  return { kind: 'unknown' };
}

/** True when the tokens are exactly `name( ... )`. */
function isWholeCall(tokens: readonly SqlToken[], name: string): boolean {
  return (
    isWord(tokens[0], name) &&
    isPunct(tokens[1], '(') &&
    closingParen(tokens, 1) === tokens.length - 1
  );
}

/** The first index of the type after the last `::` at depth 0, when the type ends the expression. */
function shorthandCast(tokens: readonly SqlToken[]): number | undefined {
  for (let i = tokens.length - 1; i > 0; i--) {
    const token = tokens[i];
    if (token?.depth === 0 && isPunct(token, '::')) return i + 1;
  }
  return undefined;
}

/**
 * The hint of a cast whose `AS type` (for `cast(...)`, found as the last depth-1 AS) or type (for
 * `::`) lies within `first`..`last`.
 */
function castHint(tokens: readonly SqlToken[], first: number, last: number): ColumnHint {
  let typeStart = first;
  if (isPunct(tokens[first - 1], '(')) {
    typeStart = -1;
    for (let i = last; i >= first; i--) {
      if (tokens[i]?.depth === 1 && isWord(tokens[i], 'as')) {
        typeStart = i + 1;
        break;
      }
    }
    if (typeStart < 0) return { kind: 'unknown' };
  }
  const words: string[] = [];
  for (let i = typeStart; i <= last; i++) {
    const token = tokens[i];
    if (isPunct(token, '(')) break;
    if (token === undefined || !isName(token)) return { kind: 'unknown' };
    words.push(token.kind === 'word' ? token.value : token.value.toLowerCase());
  }
  const type = words.join(' ');
  if (INT_TYPES.has(type)) return { kind: 'number', onlyInt: true };
  if (REAL_TYPES.has(type)) return { kind: 'number', onlyInt: false };
  if (TEXT_TYPES.has(type)) return { kind: 'text' };
  if (BOOL_TYPES.has(type)) return { kind: 'bool' };
  return { kind: 'unknown' };
}
