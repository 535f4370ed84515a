import { sql, type Expression, type SqlBool } from 'kysely';
import type { SqlDialect } from '../../db/sql-dialect.js';
import { formatDateTime } from '../../lib/datetime.js';

/** What is known before the query runs about a value: NULL-or-empty, or surely not. */
export type Emptiness = 'empty' | 'nonEmpty';

/** One side of a comparison, resolved to SQL. */
export interface Resolved {
  readonly expr: Expression<unknown>;
  /** Set when the value is known at compile time, or is the main record's id. */
  readonly known?: Emptiness;
  /** The text of a bound literal, which `~` wraps in `%...%` (undefined for non-literals). */
  readonly likeText?: string;
  /** A JSON value: `=`/`!=` compare with IS / IS NOT, without null/empty folding. */
  readonly json?: boolean;
  /** The value is an item of a multi-valued path (API.md §2.1). */
  readonly multi?: boolean;
  /** Conditions ANDed to every comparison that uses this value (auth `emailVisibility`). */
  readonly guards?: readonly Expression<SqlBool>[];
  /** The value itself when it is a bound literal, so that comparisons can be folded. */
  readonly constant?: { readonly value: LiteralValue };
  /**
   * A column that stores text (SQLite's TEXT affinity): a number compared with it is compared
   * as its text, as SQLite converts it, on every engine (`code = 0` never matches `'abc'`).
   */
  readonly textColumn?: boolean;
  /**
   * The SQL type of the value where it is known, for engines that refuse to compare across
   * types (see SqlDialect.strictTypes). JSON values without it count as text.
   */
  readonly type?: ValueType;
  /**
   * The value is the id of a record of this collection: a relation field (or submitted
   * relation value) to an auth collection, or an auth collection's `id`.
   */
  readonly recordOf?: string;
  /** The value is `@request.auth.id`: the id of a record of this auth collection. */
  readonly authRecordOf?: string;
}

/** The SQL type of a resolved value: number, text or boolean. */
export type ValueType = 'number' | 'text' | 'bool';

/** A value known before the query runs: a literal, a macro or a `@request.*` value. */
export type LiteralValue = string | number | boolean | null;

/** SQL NULL. */
export const NULL_OPERAND: Resolved = {
  expr: sql`null`,
  known: 'empty',
  constant: { value: null },
};

/** A literal as a bound parameter (booleans and numbers through the dialect, NULL as the keyword). */
export function literalOperand(dialect: SqlDialect, value: LiteralValue): Resolved {
  if (value === null) return NULL_OPERAND;
  if (typeof value === 'boolean') {
    return {
      expr: dialect.bool(value),
      type: 'bool',
      known: 'nonEmpty',
      likeText: value ? '1' : '0',
      constant: { value },
    };
  }
  const text = typeof value === 'number' ? String(value) : value;
  return {
    expr: typeof value === 'number' ? dialect.number(value) : sql.val(value),
    type: typeof value === 'number' ? 'number' : 'text',
    known: text === '' ? 'empty' : 'nonEmpty',
    likeText: text,
    constant: { value },
  };
}

/**
 * A JavaScript value (a request body, query or auth value) as a literal: arrays and objects
 * as their JSON text (as multi fields are stored), dates in the PocketBase format.
 */
export function jsValueOperand(dialect: SqlDialect, value: unknown): Resolved {
  return literalOperand(dialect, toLiteral(value));
}

/** Converts a JavaScript value to a bindable literal. */
export function toLiteral(value: unknown): LiteralValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return formatDateTime(value);
  return typeof value === 'object' ? JSON.stringify(value) : null;
}

/**
 * `LOWER(value)` (`:lower`); a literal keeps its emptiness but is no longer folded: the
 * engines' LOWER and JavaScript's toLowerCase differ outside ASCII.
 */
export function lowered(dialect: SqlDialect, value: Resolved): Resolved {
  return { ...value, expr: dialect.lower(value.expr), constant: undefined, type: 'text' };
}
