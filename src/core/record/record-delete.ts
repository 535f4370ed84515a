import { sql } from 'kysely';
import { deleteAuthStateOf } from '../auth/auth-system-records.js';
import { recordPrefix } from '../files/file-keys.js';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { assertStoresRecords } from './record-write-gate.js';
import { saveDelete, saveUpdate } from './record-save.js';
import type { RelationField } from '../field/relation-field.js';
import { isMultiValue } from '../field/field-model.js';
import { fromStoredValue, toStoredValue } from '../field/field-value-store.js';
import { storedRecordPasses } from './record-access.js';
import { assertIfMatch } from './record-etag.js';
import { findRecordRowForUpdate, recordExists } from './record-read.js';
import type { RecordRow } from './record-model.js';
import { toRuleRequest, type RecordRequest } from './record-request.js';

const REQUIRED_REFERENCE_MESSAGE =
  'Failed to delete record. Make sure that the record is not part of a required relation reference.';

/** Every relation field (of any collection storing records, so no view) that points at `target`. */
function referencesTo(
  app: App,
  target: Collection,
): { collection: Collection; field: RelationField }[] {
  return app.collections
    .all()
    .filter((collection) => collection.type !== 'view')
    .flatMap((collection) =>
      collection.fields
        .filter((f): f is RelationField => f.type === 'relation' && f.collectionId === target.id)
        .map((field) => ({ collection, field })),
    );
}

async function referencingRows(
  app: App,
  scope: TxScope,
  ref: { collection: Collection; field: RelationField },
  id: string,
): Promise<RecordRow[]> {
  const column = sql.ref(`${ref.collection.name}.${ref.field.name}`);
  const condition = isMultiValue(ref.field)
    ? app.db.dialect.jsonArrayContains(column, id)
    : sql<boolean>`${column} = ${id}`;
  return scope.db.selectFrom(ref.collection.name).selectAll().where(condition).execute();
}

/**
 * Deletes a stored record and resolves what points at it (API.md §1.3): referencing records
 * of `cascadeDelete` relations are deleted too (recursively, without rule checks); other
 * references are removed from their fields, unless that would empty a required relation,
 * which refuses the whole delete.
 */
export async function deleteStoredRecord(
  app: App,
  scope: TxScope,
  collection: Collection,
  id: string,
  request?: RecordRequest,
  visited = new Set<string>(),
): Promise<void> {
  const key = `${collection.id}/${id}`;
  if (visited.has(key)) return;
  visited.add(key);
  for (const ref of referencesTo(app, collection)) {
    for (const row of await referencingRows(app, scope, ref, id)) {
      const rowId = String(row.id);
      if (ref.field.cascadeDelete) {
        await deleteStoredRecord(app, scope, ref.collection, rowId, request, visited);
        continue;
      }
      if (visited.has(`${ref.collection.id}/${rowId}`)) continue;
      const value = fromStoredValue(ref.field, row[ref.field.name]);
      const remaining = (Array.isArray(value) ? value : []).filter((v) => v !== id);
      if (remaining.length === 0 && (ref.field.required || ref.field.minSelect > 0)) {
        throw new ApiError('bad_request', {}, REQUIRED_REFERENCE_MESSAGE);
      }
      const changes = { [ref.field.name]: toStoredValue(ref.field, remaining) };
      await saveUpdate(app, scope, ref.collection, { ...row, ...changes }, changes, {
        request,
        original: row,
      });
    }
  }
  if (!(await saveDelete(app, scope, collection, id, { request }))) return;
  if (collection.type === 'auth') await deleteAuthStateOf(app, scope, collection.id, id);
  if (collection.fields.some((f) => f.type === 'file')) {
    // The files go once the delete is durable; a rolled-back delete keeps them.
    scope.afterCommit(() => app.fileStorage().deletePrefix(recordPrefix(collection.id, id)));
  }
}

/** Deletes a record through the API: the deleteRule (null -> 403, unsatisfied -> 404), then the delete. */
export function deleteRecord(
  app: App,
  idOrName: string,
  id: string,
  request: RecordRequest,
  outer?: TxScope,
): Promise<Collection> {
  const collection = app.collections.find(idOrName);
  if (!collection) throw new ApiError('collection_not_found');
  assertStoresRecords(collection);
  const superuser = isSuperuser(request.auth);
  if (collection.deleteRule === null && !superuser) throw new ApiError('superuser_only_action');
  return app.transaction(async (scope) => {
    // With If-Match, the whole row (its version), locked until the delete (rowLocks engines).
    const locked =
      request.ifMatch === undefined
        ? undefined
        : await findRecordRowForUpdate(scope.db, app.db.dialect, collection, id);
    const exists = locked !== undefined || (await recordExists(scope.db, collection, id));
    if (!exists) throw new ApiError('not_found');
    if (
      !superuser &&
      !(await storedRecordPasses(
        app,
        scope.db,
        collection,
        id,
        collection.deleteRule ?? '',
        toRuleRequest(request),
      ))
    ) {
      throw new ApiError('not_found');
    }
    assertIfMatch(app, collection, locked, request.ifMatch);
    await deleteStoredRecord(app, scope, collection, id, request);
    return collection;
  }, outer);
}
