import { sql, type Expression, type SqlBool } from 'kysely';
import type { AliasCounter } from './rule-compiler.js';

/** One `LEFT JOIN <source> ON <on>`; `source` carries its alias, `on` defaults to TRUE. */
export interface JoinClause {
  readonly source: Expression<unknown>;
  readonly on?: Expression<SqlBool>;
}

/**
 * The joins of one query level. Paths that need the same join (same key) share it, so that
 * `?` conditions on one path or `@collection` alias read the same joined row, as PocketBase's
 * shared LEFT JOINs do. `restrictions` are ANDed to the level's WHERE: the list rules of
 * collections joined by a restricted client filter.
 */
export class JoinScope {
  private readonly clauses: JoinClause[] = [];
  private readonly conditions: Expression<SqlBool>[] = [];
  private readonly aliasByKey = new Map<string, string>();
  /** The alias of the one-row source the joins hang from. */
  readonly baseAlias: string;

  /** Creates an empty scope whose aliases come from `aliases`. */
  constructor(readonly aliases: AliasCounter) {
    this.baseAlias = aliases.next('b');
  }

  /** The joins, in the order they were first needed. */
  get joins(): readonly JoinClause[] {
    return this.clauses;
  }

  /** The restrictions ANDed to this level's WHERE. */
  get restrictions(): readonly Expression<SqlBool>[] {
    return this.conditions;
  }

  /**
   * Returns the alias of the join registered under `key`, adding it (built by `make` for a
   * new alias) the first time; `created` tells which happened.
   */
  join(key: string, make: (alias: string) => JoinClause): { alias: string; created: boolean } {
    const known = this.aliasByKey.get(key);
    if (known !== undefined) return { alias: known, created: false };
    const alias = this.aliases.next('j');
    this.clauses.push(make(alias));
    this.aliasByKey.set(key, alias);
    return { alias, created: true };
  }

  /** Adds a condition to this level's WHERE. */
  restrict(condition: Expression<SqlBool>): void {
    this.conditions.push(condition);
  }
}

/** `(select 1) as "b$n" left join ... left join ...`: one row, then every join. */
function fromJoins(scope: JoinScope): Expression<unknown> {
  const base = sql`(select 1) as ${sql.id(scope.baseAlias)}`;
  const joins = scope.joins.map((j) => sql` left join ${j.source} on ${j.on ?? sql`true`}`);
  return sql`${base}${sql.join(joins, sql``)}`;
}

/** `condition AND restriction AND ...`. */
function withRestrictions(scope: JoinScope, condition: Expression<SqlBool>): Expression<SqlBool> {
  if (scope.restrictions.length === 0) return condition;
  return sql<SqlBool>`${sql.join([condition, ...scope.restrictions], sql` and `)}`;
}

/**
 * The condition evaluated over the scope's joins: the condition itself when there are none
 * (the common case stays a plain WHERE), else `EXISTS (SELECT 1 FROM <one row> LEFT JOIN ...
 * WHERE condition)`. The one-row source keeps a row when a LEFT JOIN finds nothing, so that
 * parts of the condition that do not use the join are still evaluated.
 */
export function existsOver(scope: JoinScope, condition: Expression<SqlBool>): Expression<SqlBool> {
  const where = withRestrictions(scope, condition);
  if (scope.joins.length === 0) return where;
  return sql<SqlBool>`exists (select 1 from ${fromJoins(scope)} where ${where})`;
}

/**
 * `NOT EXISTS` an item of the scope's joins for which `condition` is not true (NULL counts as
 * not true): the "every item" half of a plain operator on a multi-valued path. Items that a
 * restriction hides are skipped.
 */
export function noViolation(scope: JoinScope, condition: Expression<SqlBool>): Expression<SqlBool> {
  const where = withRestrictions(scope, sql<SqlBool>`not coalesce(${condition}, false)`);
  return sql<SqlBool>`not exists (select 1 from ${fromJoins(scope)} where ${where})`;
}

/** `(SELECT value FROM <one row> LEFT JOIN ... [WHERE restrictions])`: a scalar for sorting. */
export function scalarOver(scope: JoinScope, value: Expression<unknown>): Expression<unknown> {
  if (scope.joins.length === 0) return value;
  if (scope.restrictions.length === 0) return sql`(select ${value} from ${fromJoins(scope)})`;
  const where = sql.join(scope.restrictions, sql` and `);
  return sql`(select ${value} from ${fromJoins(scope)} where ${where})`;
}
