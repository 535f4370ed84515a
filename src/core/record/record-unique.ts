import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor, UniqueViolation } from '../../db/adapter.js';
import type { IndexCompareOp, IndexDefinition, IndexWhere } from '../../db/index-definition.js';
import { indexDefinitions } from '../collection/collection-indexes.js';
import { indexWhereSql } from '../../db/index-where-sql.js';
import type { Collection } from '../collection/collection-model.js';
import type { ErrorData } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import { storedText } from '../field/field-value-store.js';
import { ordered } from '../../lib/ordering.js';
import type { RecordRow } from './record-model.js';

/** Evaluates a partial index condition against the values a row is about to store. */
function holds(where: IndexWhere, row: RecordRow): boolean {
  switch (where.kind) {
    case 'and':
      return where.operands.every((w) => holds(w, row));
    case 'or':
      return where.operands.some((w) => holds(w, row));
    case 'not':
      return !holds(where.operand, row);
    case 'isNull':
      return (row[where.column] === null || row[where.column] === undefined) !== where.negated;
    case 'compare':
      return compare(row[where.column], where.op, where.value);
  }
}

function compare(left: unknown, op: IndexCompareOp, right: unknown): boolean {
  const l = typeof left === 'boolean' ? Number(left) : left;
  const r = typeof right === 'boolean' ? Number(right) : right;
  if (l === null || l === undefined || r === null) return false;
  const [a, b] =
    typeof l === 'number' || typeof r === 'number'
      ? [Number(l), Number(r)]
      : [storedText(l), storedText(r)];
  if (op === '=') return a === b;
  if (op === '!=') return a !== b;
  return ordered(a, op, b);
}

function columnMatch(index: IndexDefinition, row: RecordRow): Expression<SqlBool>[] {
  return index.columns.map((c) =>
    c.collate === 'nocase'
      ? sql<SqlBool>`lower(${sql.ref(c.name)}) = lower(${row[c.name]})`
      : sql<SqlBool>`${sql.ref(c.name)} = ${row[c.name]}`,
  );
}

/**
 * Checks the collection's UNIQUE indexes against the values about to be stored, so that a
 * duplicate answers a field error (`validation_not_unique` on each indexed column) instead of
 * a database error. The database still enforces the indexes against races.
 */
export async function checkUnique(
  exec: Executor,
  collection: Collection,
  row: RecordRow,
  id: string,
): Promise<ErrorData> {
  const data: ErrorData = {};
  for (const index of indexDefinitions(collection)) {
    if (!index.unique || (index.where && !holds(index.where, row))) continue;
    const conditions = [...columnMatch(index, row), sql<SqlBool>`${sql.ref('id')} != ${id}`];
    if (index.where) conditions.push(sql<SqlBool>`${indexWhereSql(index.where)}`);
    const clash = await exec
      .selectFrom(collection.name)
      .select(sql<number>`1`.as('one'))
      .where((eb) => eb.and(conditions))
      .limit(1)
      .executeTakeFirst();
    if (clash) for (const c of index.columns) data[c.name] = fieldError('validation_not_unique');
  }
  return data;
}

/** The collection's field named `column`, whatever the case (index SQL names columns freely). */
function fieldNamed(collection: Collection, column: string): string | undefined {
  const lower = column.toLowerCase();
  return collection.fields.find((f) => f.name.toLowerCase() === lower)?.name;
}

/**
 * The field errors of a unique violation the database reported, when a concurrent write won
 * the race after checkUnique: `validation_not_unique` on each column of the violated index,
 * as PocketBase does with the columns SQLite names; on `id` when the primary key clashed, or
 * when the error names no unique index of the collection.
 */
export function uniqueViolationErrors(
  collection: Collection,
  violation: UniqueViolation,
): ErrorData {
  let columns: readonly string[] = violation.columns ?? [];
  if (violation.index !== undefined) {
    const name = violation.index.toLowerCase();
    const index = indexDefinitions(collection).find(
      (i) => i.unique && i.name.toLowerCase() === name,
    );
    columns = index ? index.columns.map((c) => c.name) : [];
  }
  const data: ErrorData = {};
  for (const column of columns) {
    const field = fieldNamed(collection, column);
    if (field !== undefined) data[field] = fieldError('validation_not_unique');
  }
  return Object.keys(data).length > 0 ? data : { id: fieldError('validation_not_unique') };
}
