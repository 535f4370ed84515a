import { sql, type RawBuilder } from 'kysely';
import type { IndexLiteral, IndexWhere } from './index-definition.js';

/** How an engine writes a boolean literal in DDL. */
export type BoolLiteral = (value: boolean) => RawBuilder<unknown>;

const NUMERIC_BOOL: BoolLiteral = (value) => (value ? sql`1` : sql`0`);

function literal(value: IndexLiteral, bool: BoolLiteral): RawBuilder<unknown> {
  if (value === null) return sql`null`;
  if (typeof value === 'boolean') return bool(value);
  // DDL cannot take bound parameters; Kysely inlines the literal with the dialect's escaping.
  return sql.lit(value);
}

/**
 * A partial index's WHERE condition as a Kysely SQL fragment: identifiers through `sql.ref`,
 * literals inlined by the dialect, operators from the parser's fixed list. Booleans render as
 * `bool` makes them (1/0 by default, for engines whose booleans are numbers).
 */
export function indexWhereSql(
  where: IndexWhere,
  bool: BoolLiteral = NUMERIC_BOOL,
): RawBuilder<unknown> {
  switch (where.kind) {
    case 'compare':
      return sql`${sql.ref(where.column)} ${sql.raw(where.op)} ${literal(where.value, bool)}`;
    case 'isNull':
      return where.negated
        ? sql`${sql.ref(where.column)} is not null`
        : sql`${sql.ref(where.column)} is null`;
    case 'not':
      return sql`not (${indexWhereSql(where.operand, bool)})`;
    case 'and':
    case 'or':
      return sql`(${sql.join(
        where.operands.map((o) => indexWhereSql(o, bool)),
        where.kind === 'and' ? sql` and ` : sql` or `,
      )})`;
  }
}
