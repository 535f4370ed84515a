import { CompiledQuery, sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import type { Collection } from '../collection/collection-model.js';
import type { RecordRow } from './record-model.js';

// The SQL of "the row with this id" per collection version: compiled once, not per request.
const byIdSql = new WeakMap<Collection, string>();

function findByIdSql(exec: Executor, collection: Collection): string {
  let text = byIdSql.get(collection);
  if (text === undefined) {
    text = exec.selectFrom(collection.name).selectAll().where(sql.ref('id'), '=', '').compile().sql;
    byIdSql.set(collection, text);
  }
  return text;
}

/** Loads one stored record by id, or undefined (a prepared, cached statement). */
export async function findRecordRow(
  exec: Executor,
  collection: Collection,
  id: string,
): Promise<RecordRow | undefined> {
  const result = await exec.executeQuery<RecordRow>(
    CompiledQuery.raw(findByIdSql(exec, collection), [id]),
  );
  return result.rows[0];
}
