import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { compileCondition } from '../rules/rule-compile.js';
import { constantValue, TRUE_CONDITION } from '../rules/rule-constant.js';
import type {
  CompileContext,
  CompiledCondition,
  ExpressionOrigin,
  RuleRequest,
} from '../rules/rule-types.js';
import type { RecordRow } from './record-model.js';

/** The alias of the would-be record in create-rule checks. */
export const NEW_RECORD_ALIAS = '__basalt_new';

/** A compile context for expressions evaluated against `collection` under `alias`. */
export function compileContextFor(
  app: App,
  collection: Collection,
  alias: string,
  request: RuleRequest,
  origin: ExpressionOrigin = 'rule',
): CompileContext {
  return {
    main: { collection, alias },
    request,
    origin,
    superuser: isSuperuser(request.auth),
    findCollection: (idOrName) => app.collections.find(idOrName),
  };
}

/** A rule as a condition; undefined for "" (everyone). Null rules are the callers' concern. */
export function ruleCondition(
  app: App,
  collection: Collection,
  alias: string,
  rule: string,
  request: RuleRequest,
): CompiledCondition | undefined {
  if (rule.trim() === '') return undefined;
  return compileCondition(rule, compileContextFor(app, collection, alias, request), app.db.dialect);
}

/** Whether the stored record `id` satisfies `rule` for this request. */
export async function storedRecordPasses(
  app: App,
  exec: Executor,
  collection: Collection,
  id: string,
  rule: string,
  request: RuleRequest,
): Promise<boolean> {
  const condition = ruleCondition(app, collection, collection.name, rule, request);
  if (condition && constantValue(condition) === false) return false;
  let query = exec
    .selectFrom(collection.name)
    .select(sql<number>`1`.as('one'))
    .where(sql.ref(`${collection.name}.id`), '=', id);
  if (condition) query = query.where(condition);
  return (await query.executeTakeFirst()) !== undefined;
}

/**
 * Whether a would-be record satisfies `rule` (API.md §1.3): the values are materialised as a
 * one-row CTE that the rule reads in place of the table.
 */
export async function newRecordPasses(
  app: App,
  exec: Executor,
  collection: Collection,
  row: RecordRow,
  rule: string,
  request: RuleRequest,
): Promise<boolean> {
  const condition = ruleCondition(app, collection, NEW_RECORD_ALIAS, rule, request);
  if (!condition) return true;
  // A rule on request values only (`@request.auth.id != ''`) is decided without a query.
  const known = constantValue(condition);
  if (known !== undefined) return known;
  const columns = sql.join(
    collection.fields.map((f) => sql`${row[f.name] ?? null} as ${sql.id(f.name)}`),
  );
  const result = await sql<{
    one: number;
  }>`with ${sql.id(NEW_RECORD_ALIAS)} as (select ${columns}) select 1 as one from ${sql.id(NEW_RECORD_ALIAS)} where ${condition}`.execute(
    exec,
  );
  return result.rows.length > 0;
}

/** Which of `ids` satisfy `rule` (one query), e.g. the manageRule for email visibility. */
export async function idsPassing(
  app: App,
  exec: Executor,
  collection: Collection,
  ids: readonly string[],
  rule: string,
  request: RuleRequest,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const condition = ruleCondition(app, collection, collection.name, rule, request);
  let query = exec
    .selectFrom(collection.name)
    .select(sql<string>`${sql.ref(`${collection.name}.id`)}`.as('id'))
    .where(sql.ref(`${collection.name}.id`), 'in', ids);
  if (condition) query = query.where(condition);
  return new Set((await query.execute()).map((r) => r.id));
}

/** Shorthand for a condition that is always true, for composing optional parts. */
export const ALWAYS = TRUE_CONDITION;
