import { sql, type Expression, type SqlBool } from 'kysely';
import type { SqlDialect } from '../../db/sql-dialect.js';
import {
  DEFAULT_MAX_EXPRESSIONS,
  FilterSyntaxError,
  LIST_FILTER_MAX_LENGTH,
  parseFilter,
  type ExpressionGroup,
  type FilterNode,
  type FilterParseOptions,
} from '../../lib/filter/index.js';
import { ApiError } from '../errors.js';
import {
  AliasCounter,
  type CompileLabel,
  type Compiler,
  type FilterParams,
} from './rule-compiler.js';
import { constantValue, FALSE_CONDITION, TRUE_CONDITION } from './rule-constant.js';
import { compileComparison } from './rule-multi-value.js';
import { existsOver, JoinScope } from './rule-scope.js';
import type { CompileContext, CompiledCondition } from './rule-types.js';

/** Rules have no length limit (API.md §1.1); both are capped at 200 comparisons. */
const RULE_LIMITS: FilterParseOptions = { maxExpressions: DEFAULT_MAX_EXPRESSIONS };
const FILTER_LIMITS: FilterParseOptions = {
  maxLength: LIST_FILTER_MAX_LENGTH,
  maxExpressions: DEFAULT_MAX_EXPRESSIONS,
};

/** Turns a parser error into the 400 of API.md §1.1, keeping its position. */
export function syntaxApiError(label: CompileLabel, error: FilterSyntaxError): ApiError {
  const message = error.message.charAt(0).toLowerCase() + error.message.slice(1);
  return new ApiError('bad_request', {}, `Invalid ${label}: ${message}`, { cause: error });
}

function parse(text: string, label: CompileLabel, options: FilterParseOptions): ExpressionGroup {
  try {
    return parseFilter(text, options);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw syntaxApiError(label, error);
    throw error;
  }
}

function compileNode(c: Compiler, scope: JoinScope, node: FilterNode): Expression<SqlBool> {
  return node.kind === 'group' ? compileGroup(c, scope, node) : compileComparison(c, scope, node);
}

/**
 * A group's items in source order inside one pair of parentheses, so that SQL's precedence
 * applies as in PocketBase: `a || b && c` -> `(a OR b AND c)`. Items folded to constants are
 * simplified away (`x && true` -> `x`, `x || true` -> true), so a group of constants is one.
 */
function compileGroup(c: Compiler, scope: JoinScope, group: ExpressionGroup): Expression<SqlBool> {
  // The OR-terms of AND-chains, as SQL's precedence reads them.
  const terms: Expression<SqlBool>[][] = [];
  for (const item of group.items) {
    const condition = compileNode(c, scope, item.node);
    const last = terms.at(-1);
    if (item.join === 'and' && last) last.push(condition);
    else terms.push([condition]);
  }
  if (terms.length === 0) throw new RangeError('empty filter group');
  const kept: Expression<SqlBool>[][] = [];
  for (const term of terms) {
    if (term.some((x) => constantValue(x) === false)) continue;
    const rest = term.filter((x) => constantValue(x) !== true);
    if (rest.length === 0) return TRUE_CONDITION;
    kept.push(rest);
  }
  const [only, ...others] = kept;
  if (only === undefined) return FALSE_CONDITION;
  if (others.length === 0 && only.length === 1 && only[0] !== undefined) return only[0];
  const joined = kept.map((term) => sql.join(term, sql` and `));
  return sql<SqlBool>`(${sql.join(joined, sql` or `)})`;
}

/** Compiles a parsed condition: plain SQL, or one EXISTS over the joins it needs. */
function compileRoot(c: Compiler, ast: ExpressionGroup): Expression<SqlBool> {
  const scope = new JoinScope(c.aliases);
  const condition = compileGroup(c, scope, ast);
  if (constantValue(condition) !== undefined && scope.restrictions.length === 0) return condition;
  return existsOver(scope, condition);
}

/**
 * A compiler for `ctx`. Nested compilations (the list rules of collections that a restricted
 * client filter joins) share its aliases and clock.
 */
export function newCompiler(
  ctx: CompileContext,
  dialect: SqlDialect,
  label: CompileLabel,
  aliases = new AliasCounter(),
  now = new Date(),
  params?: FilterParams,
): Compiler {
  return {
    ctx,
    dialect,
    aliases,
    label,
    now,
    params,
    compileRuleOn: (collection, alias, rule) => {
      const ruleCtx: CompileContext = { ...ctx, main: { collection, alias }, origin: 'rule' };
      const inner = newCompiler(ruleCtx, dialect, 'rule', aliases, now);
      return compileRoot(inner, parse(rule, 'rule', RULE_LIMITS));
    },
  };
}

/**
 * Compiles a rule (`ctx.origin` 'rule': no length limit) or a client `filter` ('clientFilter':
 * at most 3500 bytes) into a parameterized WHERE condition on `ctx.main` (API.md §2). Both
 * allow at most 200 comparisons. A condition without relation paths stays a plain condition;
 * one with joins becomes a single `EXISTS (...)` whose LEFT JOINs are shared by all its parts.
 * Throws ApiError 400 (`Invalid filter: ... at position N.`) when the text does not parse or
 * does not resolve. Engine-specific SQL comes from `dialect` (the app's `db.dialect`).
 * `params` gives the values of `{:name}` placeholders (filters written by code): each is a
 * bound parameter; a placeholder without a value is a 400. The parsed text, placeholders
 * unfilled, is what the parse cache keeps, so one filter with many values parses once.
 */
export function compileCondition(
  text: string,
  ctx: CompileContext,
  dialect: SqlDialect,
  params?: FilterParams,
): CompiledCondition {
  const rule = ctx.origin === 'rule';
  const label = rule ? 'rule' : 'filter';
  const ast = parse(text, label, rule ? RULE_LIMITS : FILTER_LIMITS);
  return compileRoot(newCompiler(ctx, dialect, label, undefined, undefined, params), ast);
}
