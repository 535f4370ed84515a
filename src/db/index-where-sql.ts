import { sql, type RawBuilder } from 'kysely';
import type { IndexLiteral, IndexWhere } from './index-definition.js';

function literal(value: IndexLiteral): RawBuilder<unknown> {
  if (value === null) return sql`null`;
  if (typeof value === 'boolean') return value ? sql`1` : sql`0`;
  // DDL cannot take bound parameters; Kysely inlines the literal with the dialect's escaping.
  return sql.lit(value);
}

/**
 * A partial index's WHERE condition as a Kysely SQL fragment: identifiers through `sql.ref`,
 * literals inlined by the dialect, operators from the parser's fixed list. Booleans render as
 * 1/0, which every engine compares correctly with its boolean columns.
 */
export function indexWhereSql(where: IndexWhere): RawBuilder<unknown> {
  switch (where.kind) {
    case 'compare':
      return sql`${sql.ref(where.column)} ${sql.raw(where.op)} ${literal(where.value)}`;
    case 'isNull':
      return where.negated
        ? sql`${sql.ref(where.column)} is not null`
        : sql`${sql.ref(where.column)} is null`;
    case 'not':
      return sql`not (${indexWhereSql(where.operand)})`;
    case 'and':
    case 'or':
      return sql`(${sql.join(
        where.operands.map((o) => indexWhereSql(o)),
        where.kind === 'and' ? sql` and ` : sql` or `,
      )})`;
  }
}
