import { sql, type Expression, type SqlBool } from 'kysely';
import type { CompiledCondition } from './rule-types.js';

/** The condition that is always true: a comparison of two values known before the query. */
export const TRUE_CONDITION: CompiledCondition = sql<SqlBool>`1 = 1`;

/** The condition that is always false. */
export const FALSE_CONDITION: CompiledCondition = sql<SqlBool>`1 = 0`;

/** The condition for a boolean known at compile time. */
export function constantCondition(value: boolean): CompiledCondition {
  return value ? TRUE_CONDITION : FALSE_CONDITION;
}

/**
 * The value of a condition that the compiler folded to a constant (e.g.
 * `@request.auth.id != ''`), or undefined when it depends on rows. A constant needs no query.
 */
export function constantValue(condition: Expression<SqlBool>): boolean | undefined {
  if (condition === TRUE_CONDITION) return true;
  if (condition === FALSE_CONDITION) return false;
  return undefined;
}
