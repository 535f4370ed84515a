import { CompiledQuery } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import { perCollection } from '../collection/collection-memo.js';
import type { Collection } from '../collection/collection-model.js';
import type { RecordRow } from './record-model.js';

// The INSERT of every column per collection version: compiled once, not per request.
const insertSql = perCollection((collection, exec: Executor) => {
  const placeholders = Object.fromEntries(collection.fields.map((f) => [f.name, null]));
  return exec.insertInto(collection.name).values(placeholders).compile().sql;
});

/** Inserts a full row (a value for every field, as rowFromValues and newRow build them). */
export async function insertRecordRow(
  exec: Executor,
  collection: Collection,
  row: RecordRow,
): Promise<void> {
  const parameters = collection.fields.map((f) => row[f.name] ?? null);
  await exec.executeQuery(CompiledQuery.raw(insertSql(collection, exec), parameters));
}
