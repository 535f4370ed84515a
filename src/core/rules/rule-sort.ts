import { sql, type Expression, type OrderByModifiers } from 'kysely';
import type { SqlDialect } from '../../db/sql-dialect.js';
import {
  FilterSyntaxError,
  parseIdentifier,
  parseSort,
  type SortField,
} from '../../lib/filter/index.js';
import { resolveError, type Compiler } from './rule-compiler.js';
import { newCompiler, syntaxApiError } from './rule-compile.js';
import type { Resolved } from './rule-operand.js';
import { resolveOperand } from './rule-resolve-operand.js';
import { JoinScope, scalarOver } from './rule-scope.js';
import type { CompileContext, CompiledSort } from './rule-types.js';

function parseSortText(text: string): SortField[] {
  try {
    return parseSort(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw syntaxApiError('sort', error);
    throw error;
  }
}

/** The value, or NULL where its guards (an auth email's `emailVisibility`) fail. */
function guarded(value: Resolved): Expression<unknown> {
  const guards = value.guards ?? [];
  if (guards.length === 0) return value.expr;
  return sql`(case when ${sql.join(guards, sql` and `)} then ${value.expr} end)`;
}

/** The expression to sort by; undefined for a value known before the query (it orders nothing). */
function sortExpression(c: Compiler, field: string, pos: number): Expression<unknown> | undefined {
  if (field === '@random') return c.dialect.random();
  if (field === '@rowid') {
    // A view's rows have no insertion order of their own.
    if (c.ctx.main.collection.type === 'view') throw resolveError(c, 'views have no @rowid', pos);
    return c.dialect.rowid(c.ctx.main.alias);
  }
  const scope = new JoinScope(c.aliases);
  const value = resolveOperand(c, scope, parseIdentifier(field, pos));
  if (value.multi === true) {
    throw resolveError(c, `cannot sort by the multi-valued "${field}"`, pos);
  }
  // A constant (`@request.method`, a missing request value) orders nothing, and some engines
  // refuse a constant ORDER BY term outright.
  if (value.constant) return undefined;
  return scalarOver(scope, guarded(value));
}

/** The direction, with NULL ordered as on SQLite (first ascending) on every engine. */
function orderModifiers(dialect: SqlDialect, direction: 'asc' | 'desc'): OrderByModifiers {
  if (!dialect.nullsLast) return direction;
  return direction === 'asc' ? (o) => o.asc().nullsFirst() : (o) => o.desc().nullsLast();
}

/**
 * Compiles the `sort` query param (API.md §1.1): fields (with modifiers such as `title:lower`),
 * single relation paths (`author.name`, read by a correlated scalar subquery), JSON paths,
 * `@random` and `@rowid`. Multi-valued paths cannot be sorted by. The same client-filter
 * restrictions apply as to `filter` (hidden fields, joined listRules, auth email visibility:
 * a hidden email sorts as NULL). Throws ApiError 400 (`Invalid sort: ...`).
 */
export function compileSort(
  text: string,
  ctx: CompileContext,
  dialect: SqlDialect,
): CompiledSort[] {
  const fields = parseSortText(text);
  const c = newCompiler(ctx, dialect, 'sort');
  let offset = 0;
  const terms: CompiledSort[] = [];
  for (const { field, direction } of fields) {
    const pos = Math.max(0, text.indexOf(field, offset));
    offset = pos + field.length;
    const expression = sortExpression(c, field, pos);
    if (expression)
      terms.push({ expression, direction, modifiers: orderModifiers(dialect, direction) });
  }
  return terms;
}
