import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import type { Collection } from '../collection/collection-model.js';
import type { ErrorCollector } from '../validation-errors.js';
import { fieldError } from '../validation-errors.js';
import { recordExists } from './record-read.js';
import type { RecordValues } from './record-values.js';

/** Which of `ids` exist in `target`; a single id (the common case) uses a cached statement. */
async function existingIds(
  exec: Executor,
  target: Collection,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 1 && ids[0] !== undefined) {
    return new Set((await recordExists(exec, target, ids[0])) ? [ids[0]] : []);
  }
  const found = await exec
    .selectFrom(target.name)
    .select(sql<string>`${sql.ref('id')}`.as('id'))
    .where(sql.ref('id'), 'in', ids)
    .execute();
  return new Set(found.map((r) => r.id));
}

/**
 * Every id in a changed relation field must name an existing record of the target
 * collection: one query per relation field.
 */
export async function checkRelationTargets(
  exec: Executor,
  findCollection: (id: string) => Collection | undefined,
  collection: Collection,
  values: RecordValues,
  changed: ReadonlySet<string>,
  errors: ErrorCollector,
): Promise<void> {
  for (const f of collection.fields) {
    if (f.type !== 'relation' || !changed.has(f.name)) continue;
    const value = values.get(f.name);
    const ids = Array.isArray(value) ? value.map(String) : [];
    if (ids.length === 0) continue;
    const target = f.collectionId === collection.id ? collection : findCollection(f.collectionId);
    if (!target) {
      errors.add([f.name], fieldError('validation_missing_rel_records'));
      continue;
    }
    const existing = await existingIds(exec, target, ids);
    // A self-relation may point at the record being created.
    const selfId = collection.id === target.id ? String(values.get('id')) : undefined;
    if (ids.some((id) => !existing.has(id) && id !== selfId)) {
      errors.add([f.name], fieldError('validation_missing_rel_records'));
    }
  }
}
