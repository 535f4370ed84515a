import { sql, type Expression, type SqlBool } from 'kysely';
import { findField, type Collection } from '../collection/collection-model.js';
import { isMultiValue, type Field } from '../field/field-model.js';
import { isFilterHidden } from '../field/field-registry.js';
import type { RelationField } from '../field/relation-field.js';
import { isRestricted, resolveError, type Compiler } from './rule-compiler.js';
import type { PathCursor } from './rule-cursor.js';
import type { JoinScope } from './rule-scope.js';
import { hasSingleColumnUniqueIndex } from '../collection/collection-indexes.js';

/**
 * Joins a row of `collection` (or reuses the join registered under `key`). In restricted
 * client filters (API.md §1.1) a collection whose listRule is null cannot be joined (400) and a
 * non-empty listRule is ANDed to the scope, evaluated on the joined row.
 */
export function joinCollection(
  c: Compiler,
  scope: JoinScope,
  key: string,
  collection: Collection,
  on: ((alias: string) => Expression<SqlBool>) | undefined,
  pos: number,
): string {
  const restricted = isRestricted(c);
  if (restricted && collection.listRule === null) {
    throw resolveError(c, `only superusers can filter by "${collection.name}" fields`, pos);
  }
  const { alias, created } = scope.join(key, (a) => ({
    source: sql`${sql.table(collection.name)} as ${sql.id(a)}`,
    on: on?.(a),
  }));
  const rule = collection.listRule;
  if (created && restricted && rule !== null && rule.trim() !== '') {
    scope.restrict(c.compileRuleOn(collection, alias, rule));
  }
  return alias;
}

/** The join of one item per value of a multi field's JSON array, shared by `f:each` and `f.x`. */
export function eachJoin(c: Compiler, scope: JoinScope, cursor: PathCursor, field: Field): string {
  const column = sql.ref(`${cursor.alias}.${field.name}`);
  return scope.join(`${cursor.key}.${field.name}:each`, (alias) => ({
    source: c.dialect.jsonEach(column, alias),
  })).alias;
}

function hop(
  cursor: PathCursor,
  to: Collection,
  alias: string,
  key: string,
  multi: boolean,
): PathCursor {
  return {
    ...cursor,
    collection: to,
    alias,
    key,
    multi: cursor.multi || multi,
    hops: cursor.hops + 1,
    mainRow: false,
  };
}

/** Follows a relation field of the cursor's row to the related record(s). */
export function relationHop(
  c: Compiler,
  scope: JoinScope,
  cursor: PathCursor,
  field: RelationField,
  pos: number,
): PathCursor | undefined {
  const target = c.ctx.findCollection(field.collectionId);
  if (target === undefined) return undefined;
  const multi = isMultiValue(field);
  const source = multi
    ? sql.ref(`${eachJoin(c, scope, cursor, field)}.value`)
    : sql.ref(`${cursor.alias}.${field.name}`);
  const key = `${cursor.key}.${field.name}`;
  const on = (alias: string) => sql<SqlBool>`${sql.ref(`${alias}.id`)} = ${source}`;
  return hop(cursor, target, joinCollection(c, scope, key, target, on, pos), key, multi);
}

/** `<collection>_via_<relationField>`: the collection and its field pointing back at `to`. */
function backRelationOf(c: Compiler, segment: string, to: Collection) {
  const match = /^(\w+)_via_(\w+)$/.exec(segment);
  if (match === null) return undefined;
  const source = c.ctx.findCollection(match[1] ?? '');
  const field = source === undefined ? undefined : findField(source, match[2] ?? '');
  if (source === undefined || field?.type !== 'relation' || field.collectionId !== to.id) {
    return undefined;
  }
  return { source, field };
}

/**
 * Follows a back-relation `comments_via_post` to the records whose relation points at the
 * cursor's row. It is multi-valued unless that relation is single and has a single-column
 * UNIQUE index (API.md §2.1).
 */
export function backRelationHop(
  c: Compiler,
  scope: JoinScope,
  cursor: PathCursor,
  segment: string,
  pos: number,
): PathCursor | undefined {
  const back = backRelationOf(c, segment, cursor.collection);
  if (back === undefined || (cursor.restricted && isFilterHidden(back.field))) return undefined;
  const { source, field } = back;
  const id = sql.ref(`${cursor.alias}.id`);
  const column = (alias: string) => sql.ref(`${alias}.${field.name}`);
  const on = isMultiValue(field)
    ? (alias: string) => c.dialect.jsonArrayContains(column(alias), id)
    : (alias: string) => sql<SqlBool>`${column(alias)} = ${id}`;
  const multi = isMultiValue(field) || !hasSingleColumnUniqueIndex(source, field.name);
  const key = `${cursor.key}.${segment}`;
  return hop(cursor, source, joinCollection(c, scope, key, source, on, pos), key, multi);
}

/**
 * Follows a relation from ids known before the query runs (`@request.body.rel.x`,
 * `@request.auth.rel.x`): the related records are joined by those ids. Undefined when there
 * are none, so that the path resolves to NULL.
 */
export function boundRelationHop(
  c: Compiler,
  scope: JoinScope,
  keyPrefix: string,
  field: RelationField,
  ids: readonly string[],
  pos: number,
): PathCursor | undefined {
  const target = c.ctx.findCollection(field.collectionId);
  if (target === undefined || ids.length === 0) return undefined;
  const key = `${keyPrefix}.${field.name}`;
  const on = (alias: string) => sql<SqlBool>`${sql.ref(`${alias}.id`)} in (${sql.join(ids)})`;
  const alias = joinCollection(c, scope, key, target, on, pos);
  return {
    collection: target,
    alias,
    key,
    multi: isMultiValue(field),
    hops: 1,
    restricted: false,
    nullifyMissing: true,
    mainRow: false,
  };
}
