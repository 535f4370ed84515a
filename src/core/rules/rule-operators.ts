import { sql, type Expression, type SqlBool } from 'kysely';
import type { SqlDialect } from '../../db/sql-dialect.js';
import type { BaseOperator } from '../../lib/filter/index.js';
import { ordered } from '../../lib/ordering.js';
import { likePattern } from './rule-like.js';
import { constantCondition } from './rule-constant.js';
import {
  literalOperand,
  type LiteralValue,
  type Resolved,
  type ValueType,
} from './rule-operand.js';

const ORDERING = {
  '<': sql`<`,
  '<=': sql`<=`,
  '>': sql`>`,
  '>=': sql`>=`,
} as const;

function isNonEmpty(value: Resolved): boolean {
  return value.known === 'nonEmpty';
}

/**
 * `=` / `!=` with PocketBase's null/empty normalisation (API.md §2.1). JSON values compare
 * with IS / IS NOT, without folding. When one side is known to be non-empty the columns are
 * compared directly, which an index can serve and which is true for exactly the same rows;
 * otherwise both sides are folded: `COALESCE(a,'') = COALESCE(b,'')`. `!=` is always
 * null-safe, so `x != 'a'` also matches NULL and empty values.
 */
function equality(
  dialect: SqlDialect,
  leftValue: Resolved,
  rightValue: Resolved,
  equal: boolean,
): Expression<SqlBool> {
  if (leftValue.json === true || rightValue.json === true) {
    return dialect.isDistinct(leftValue.expr, rightValue.expr, !equal);
  }
  // Across types on a strictly typed engine: booleans as 1/0, then both sides as text.
  const mixed = crossTyped(dialect, leftValue, rightValue);
  const [left, right] = mixed ?? [leftValue, rightValue];
  if (!mixed && (isNonEmpty(left) || isNonEmpty(right))) {
    return equal
      ? sql<SqlBool>`${left.expr} = ${right.expr}`
      : dialect.isDistinct(left.expr, right.expr, true);
  }
  const a = dialect.emptyIfNull(left.expr);
  const b = dialect.emptyIfNull(right.expr);
  return equal ? sql<SqlBool>`${a} = ${b}` : dialect.isDistinct(a, b, true);
}

/**
 * `~` / `!~`: a bound literal becomes a `%text%` pattern (see {@link likePattern}); any other
 * right side is wrapped in SQL: `'%' || right || '%'`.
 */
function like(
  dialect: SqlDialect,
  left: Resolved,
  right: Resolved,
  negate: boolean,
): Expression<SqlBool> {
  const pattern =
    right.likeText === undefined
      ? dialect.concat([sql`'%'`, right.expr, sql`'%'`])
      : sql.val(likePattern(right.likeText));
  return dialect.like(left.expr, pattern, negate);
}

function operatorCondition(
  dialect: SqlDialect,
  left: Resolved,
  op: BaseOperator,
  right: Resolved,
): Expression<SqlBool> {
  switch (op) {
    case '=':
      return equality(dialect, left, right, true);
    case '!=':
      return equality(dialect, left, right, false);
    case '~':
      return like(dialect, left, right, false);
    case '!~':
      return like(dialect, left, right, true);
    default:
      return ordering(dialect, left, op, right);
  }
}

const FLIPPED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/**
 * `left op right` for an ordering. On a strictly typed engine a number and a text compare as
 * SQLite compares them (see StrictTypes.orderNumberText), a boolean facing another type as 1/0.
 */
function ordering(
  dialect: SqlDialect,
  leftValue: Resolved,
  op: keyof typeof ORDERING,
  rightValue: Resolved,
): Expression<SqlBool> {
  const left = { ...leftValue, expr: asNumber(dialect, leftValue, rightValue) };
  const right = { ...rightValue, expr: asNumber(dialect, rightValue, leftValue) };
  const strict = dialect.strictTypes;
  const mixed = crossTyped(dialect, left, right);
  if (strict && mixed) {
    const [a, b] = mixed;
    if (a.type === 'number' && b.type === 'text') return strict.orderNumberText(a.expr, op, b.expr);
    if (a.type === 'text' && b.type === 'number')
      return strict.orderNumberText(b.expr, FLIPPED[op], a.expr);
    return sql<SqlBool>`${a.expr} ${ORDERING[op]} ${b.expr}`;
  }
  return sql<SqlBool>`${left.expr} ${ORDERING[op]} ${right.expr}`;
}

/** The type a value compares as: a JSON value is text, unless ordered against a number. */
function typeOf(value: Resolved, other: Resolved): ValueType | undefined {
  if (value.json !== true || value.type !== undefined) return value.type;
  return typeof other.constant?.value === 'number' ? 'number' : 'text';
}

/**
 * When the engine types strictly and the two sides are of known, different types: both sides
 * with their types, a boolean turned into the number 1 or 0 (as SQLite stores it). Undefined
 * otherwise: the engine compares the values as they are.
 */
function crossTyped(
  dialect: SqlDialect,
  left: Resolved,
  right: Resolved,
): [Resolved, Resolved] | undefined {
  const strict = dialect.strictTypes;
  const a = typeOf(left, right);
  const b = typeOf(right, left);
  if (!strict || a === undefined || b === undefined || a === b) return undefined;
  const typed = (value: Resolved, type: ValueType): Resolved => {
    if (type !== 'bool') return { ...value, type };
    const constant = value.constant?.value;
    const expr =
      typeof constant === 'boolean'
        ? dialect.number(constant ? 1 : 0)
        : strict.boolToNumber(value.expr);
    return { ...value, expr, type: 'number' };
  };
  return [typed(left, a), typed(right, b)];
}

/** A JSON value ordered against a number literal is read as a number (see jsonNumber). */
function asNumber(dialect: SqlDialect, value: Resolved, other: Resolved): Expression<unknown> {
  return value.json === true && typeof other.constant?.value === 'number'
    ? dialect.jsonNumber(value.expr)
    : value.expr;
}

function sameKind(a: LiteralValue, b: LiteralValue): boolean {
  return a !== null && b !== null && typeof a === typeof b;
}

/**
 * `left op right` computed now when both sides are literals and every engine's SQL would give
 * the same answer: `=`/`!=` on two values of one kind after NULL becomes '' (strings compare
 * exactly, as PocketBase does), orderings on two numbers, an ordering with NULL (never true;
 * rules have no NOT around comparisons, so NULL and false filter alike). Anything else
 * (LIKE, mixed kinds, guarded values) stays SQL.
 */
function folded(left: Resolved, op: BaseOperator, right: Resolved): boolean | undefined {
  if (!left.constant || !right.constant || left.guards?.length || right.guards?.length) {
    return undefined;
  }
  const a = left.constant.value;
  const b = right.constant.value;
  if (op === '=' || op === '!=') {
    const x = a ?? '';
    const y = b ?? '';
    if (!sameKind(x, y)) return undefined;
    return (x === y) === (op === '=');
  }
  if (op === '~' || op === '!~') return undefined;
  if (a === null || b === null) return false;
  if (typeof a !== 'number' || typeof b !== 'number') return undefined;
  return ordered(a, op, b);
}

function otherCollection(auth: Resolved, record: Resolved): boolean {
  return (
    auth.authRecordOf !== undefined &&
    record.recordOf !== undefined &&
    auth.authRecordOf !== record.recordOf
  );
}

/**
 * `=`, `!=`, `~` or `!~` between `@request.auth.id` and the id of a record of another
 * collection than the signed-in record's (`owner = @request.auth.id` with a `members` account):
 * the answer is known, whatever the ids, because an id names a record only together with its
 * collection. So an account never passes as the account of another auth collection that has
 * the same id (issue 15 S2).
 */
function crossCollection(left: Resolved, op: BaseOperator, right: Resolved): boolean | undefined {
  if (op !== '=' && op !== '!=' && op !== '~' && op !== '!~') return undefined;
  if (!otherCollection(left, right) && !otherCollection(right, left)) return undefined;
  return op === '!=' || op === '!~';
}

/** A number literal compared with a text column, as its text (see Resolved.textColumn). */
function asText(dialect: SqlDialect, value: Resolved, other: Resolved): Resolved {
  const literal = value.constant?.value;
  if (other.textColumn !== true || typeof literal !== 'number' || value.guards?.length) {
    return value;
  }
  return literalOperand(dialect, String(literal));
}

/**
 * The SQL condition `left op right` for one pair of resolved values (the `?` prefix is handled
 * by the caller); TRUE_CONDITION or FALSE_CONDITION when both are literals that fold. The operands' guards, such as the `emailVisibility` check of an auth email,
 * are ANDed to it.
 */
export function compareOperands(
  dialect: SqlDialect,
  leftOperand: Resolved,
  op: BaseOperator,
  rightOperand: Resolved,
): Expression<SqlBool> {
  const left = asText(dialect, leftOperand, rightOperand);
  const right = asText(dialect, rightOperand, leftOperand);
  const known = crossCollection(left, op, right) ?? folded(left, op, right);
  if (known !== undefined) return constantCondition(known);
  const condition = operatorCondition(dialect, left, op, right);
  const guards = [...(left.guards ?? []), ...(right.guards ?? [])];
  if (guards.length === 0) return condition;
  return sql<SqlBool>`(${sql.join([condition, ...guards], sql` and `)})`;
}
