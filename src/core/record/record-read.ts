import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import type { Collection } from '../collection/collection-model.js';
import type { RecordRow } from './record-model.js';

/** Loads one stored record by id, or undefined. */
export async function findRecordRow(
  exec: Executor,
  collection: Collection,
  id: string,
): Promise<RecordRow | undefined> {
  return exec
    .selectFrom(collection.name)
    .selectAll()
    .where(sql.ref('id'), '=', id)
    .executeTakeFirst();
}
