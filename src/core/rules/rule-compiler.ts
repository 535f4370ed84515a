import type { Expression, SqlBool } from 'kysely';
import type { SqlDialect } from '../../db/sql-dialect.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import type { CompileContext } from './rule-types.js';

/**
 * Hands out the SQL aliases of one compiled statement. Aliases contain `$`, which collection
 * and field names never do, so they cannot collide with a table; one counter is shared by the
 * nested compilations (list rules of joined collections, every-item subqueries) so that an
 * inner alias never shadows an outer one.
 */
export class AliasCounter {
  private count = 0;

  /** A new alias such as `j$3`. */
  next(prefix: 'b' | 'j'): string {
    this.count++;
    return `${prefix}$${String(this.count)}`;
  }
}

/** Values of a filter's `{:name}` placeholders, by name. */
export type FilterParams = Readonly<Record<string, unknown>>;

/** What the text being compiled is, for error messages. */
export type CompileLabel = 'filter' | 'rule' | 'sort';

/** Everything one compilation shares, nested compilations included. */
export interface Compiler {
  readonly ctx: CompileContext;
  readonly dialect: SqlDialect;
  readonly aliases: AliasCounter;
  readonly label: CompileLabel;
  /** The instant the datetime macros (`@now`, `@todayStart`, ...) are computed from. */
  readonly now: Date;
  /**
   * The values of the `{:name}` placeholders (filters written by code), bound as parameters;
   * undefined for rules and client filters, where a placeholder is an error.
   */
  readonly params?: FilterParams | undefined;
  /**
   * Compiles `rule` (a list rule) as a condition on the row `alias` of `collection`, as a rule
   * with the same request, sharing this compilation's aliases.
   */
  readonly compileRuleOn: (
    collection: Collection,
    alias: string,
    rule: string,
  ) => Expression<SqlBool>;
}

/**
 * Whether the client-filter restrictions of API.md §1.1 apply: hidden fields are unknown,
 * joined collections AND their listRule, and auth emails need `emailVisibility`.
 */
export function isRestricted(c: Compiler): boolean {
  return c.ctx.origin === 'clientFilter' && !c.ctx.superuser;
}

/** The 400 error of a filter, rule or sort that does not resolve, pointing at `pos`. */
export function resolveError(c: Compiler, what: string, pos: number): ApiError {
  return new ApiError('bad_request', {}, `Invalid ${c.label}: ${what} at position ${pos}.`);
}
