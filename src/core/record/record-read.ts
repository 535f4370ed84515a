import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import { selectFirstRow } from '../../db/immediate-read.js';
import type { SqlDialect } from '../../db/sql-dialect.js';
import { perCollection } from '../collection/collection-memo.js';
import type { Collection } from '../collection/collection-model.js';
import type { RecordRow } from './record-model.js';

// The SQL of "the row with this id" per collection version, compiled once, not per request:
// plain, and locking the row until the transaction ends (engines with row locks).
const findByIdSql = perCollection(
  (collection, exec: Executor) =>
    exec.selectFrom(collection.name).selectAll().where(sql.ref('id'), '=', '').compile().sql,
);
const findByIdForUpdateSql = perCollection(
  (collection, exec: Executor) =>
    exec.selectFrom(collection.name).selectAll().where(sql.ref('id'), '=', '').forUpdate().compile()
      .sql,
);

const existsSql = perCollection(
  (collection, exec: Executor) =>
    exec
      .selectFrom(collection.name)
      .select(sql<number>`1`.as('found'))
      .where(sql.ref('id'), '=', '')
      .compile().sql,
);

function rowById(exec: Executor, text: string, id: string): Promise<RecordRow | undefined> {
  return selectFirstRow<RecordRow>(exec, text, [id]);
}

/** Loads one stored record by id, or undefined (a prepared, cached statement). */
export function findRecordRow(
  exec: Executor,
  collection: Collection,
  id: string,
): Promise<RecordRow | undefined> {
  return rowById(exec, findByIdSql(collection, exec), id);
}

/** Whether a record with this id exists (a prepared, cached statement that reads no columns). */
export async function recordExists(
  exec: Executor,
  collection: Collection,
  id: string,
): Promise<boolean> {
  return (await selectFirstRow(exec, existsSql(collection, exec), [id])) !== undefined;
}

/**
 * Loads one stored record inside a write transaction, locking it where the engine needs row
 * locks (`rowLocks`) so that a concurrent update waits instead of overwriting this one.
 */
export function findRecordRowForUpdate(
  exec: Executor,
  dialect: SqlDialect,
  collection: Collection,
  id: string,
): Promise<RecordRow | undefined> {
  const text = dialect.rowLocks
    ? findByIdForUpdateSql(collection, exec)
    : findByIdSql(collection, exec);
  return rowById(exec, text, id);
}
