import { sql, type Expression, type SqlBool } from 'kysely';
import type { ColumnKind } from '../../db/adapter.js';
import type { Collection } from '../collection/collection-model.js';
import { isMultiValue, type Field } from '../field/field-model.js';
import { columnKindOf } from '../field/field-registry.js';
import type { Compiler } from './rule-compiler.js';
import type { PathCursor } from './rule-cursor.js';
import { eachJoin } from './rule-joins.js';
import type { Modifier } from './rule-modifiers.js';
import { lowered, type Resolved, type ValueType } from './rule-operand.js';
import type { JoinScope } from './rule-scope.js';

/** Column kinds that store text. */
const TEXT_KINDS: ReadonlySet<ColumnKind> = new Set(['primaryKey', 'text', 'jsonArray']);

/** The SQL type of columns of each kind (geoPoint columns hold JSON text). */
const COLUMN_TYPES: Record<ColumnKind, ValueType> = {
  primaryKey: 'text',
  text: 'text',
  jsonArray: 'text',
  json: 'text',
  geoPoint: 'text',
  number: 'number',
  bool: 'bool',
};

/** select, file and relation fields: the ones `:each` and `:length` apply to. */
export function isListField(field: Field): boolean {
  return field.type === 'select' || field.type === 'file' || field.type === 'relation';
}

/**
 * The collection whose record ids the column holds, when `@request.auth.id` compared with it
 * must belong to it: a relation to an auth collection, or an auth collection's own `id`.
 */
export function recordCollectionOf(
  c: Compiler,
  owner: Collection,
  field: Field,
): string | undefined {
  if (field.type === 'relation') {
    return c.ctx.findCollection(field.collectionId)?.type === 'auth'
      ? field.collectionId
      : undefined;
  }
  return owner.type === 'auth' && field.name === 'id' ? owner.id : undefined;
}

function columnValue(
  c: Compiler,
  scope: JoinScope,
  cursor: PathCursor,
  field: Field,
  modifier: Modifier | undefined,
): Resolved {
  const column = sql.ref(`${cursor.alias}.${field.name}`);
  const multi = cursor.multi;
  if (modifier === 'length' && isListField(field)) {
    const count = isMultiValue(field)
      ? c.dialect.jsonArrayLength(column)
      : sql`(case when ${c.dialect.emptyIfNull(column)} = '' then 0 else 1 end)`;
    return { expr: count, multi, type: 'number' };
  }
  const recordOf = recordCollectionOf(c, cursor.collection, field);
  if (modifier === 'each' && isMultiValue(field)) {
    return {
      expr: sql.ref(`${eachJoin(c, scope, cursor, field)}.value`),
      multi: true,
      type: 'text',
      recordOf,
    };
  }
  if (field.type === 'json') return { expr: c.dialect.jsonExtract(column, []), json: true, multi };
  // A bare multi field compares as its stored JSON array text (API.md §2.1).
  return {
    expr: column,
    multi,
    known: cursor.mainRow && field.name === 'id' ? 'nonEmpty' : undefined,
    textColumn: TEXT_KINDS.has(columnKindOf(field)),
    type: COLUMN_TYPES[columnKindOf(field)],
    recordOf,
  };
}

/** `emailVisibility = true`, required with an auth `email` in restricted client filters. */
function emailGuard(
  c: Compiler,
  cursor: PathCursor,
  field: Field,
): Expression<SqlBool> | undefined {
  if (!cursor.restricted || cursor.collection.type !== 'auth' || field.name !== 'email') {
    return undefined;
  }
  const visible = sql.ref(`${cursor.alias}.emailVisibility`);
  return sql<SqlBool>`${visible} = ${c.dialect.bool(true)}`;
}

/**
 * A schema field of the cursor's row as a value, with its modifier: `:length` (item count of a
 * select/file/relation field), `:each` (one joined item of a multi field, multi-valued),
 * `:lower`. Modifiers that do not apply to the field (`:isset`, `:changed`, `title:length`)
 * are ignored, as PocketBase does. JSON fields compare without null/empty folding.
 */
export function columnOperand(
  c: Compiler,
  scope: JoinScope,
  cursor: PathCursor,
  field: Field,
  modifier: Modifier | undefined,
): Resolved {
  const value = columnValue(c, scope, cursor, field, modifier);
  const guard = emailGuard(c, cursor, field);
  const guarded = guard === undefined ? value : { ...value, guards: [guard] };
  return modifier === 'lower' ? lowered(c.dialect, guarded) : guarded;
}

/** `meta.a.b` / `geo.lat`: a value inside a json or geoPoint field (digits = array index). */
export function jsonPathOperand(
  c: Compiler,
  cursor: PathCursor,
  field: Field,
  path: readonly string[],
  modifier: Modifier | undefined,
): Resolved {
  const column = sql.ref(`${cursor.alias}.${field.name}`);
  const value: Resolved = {
    expr: c.dialect.jsonExtract(column, path),
    json: true,
    multi: cursor.multi,
  };
  return modifier === 'lower' ? lowered(c.dialect, value) : value;
}
