import { sql } from 'kysely';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import { claimAuthId } from '../auth/auth-ids.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError, type ErrorCode, type ErrorData } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import { insertRecordRow } from './record-insert.js';
import { rowText, type RecordRow } from './record-model.js';
import { findRecordRow } from './record-read.js';
import { uniqueViolationErrors } from './record-unique.js';

// THE write path of records: every insert, update and delete of a row of a collection's table
// (REST, batch, account flows, auth system records, the superuser CLI, cascades) goes through
// the three functions below, inside the caller's transaction, so that what every write does
// (unique violations as field errors, auth ids, events after commit; hooks next) is done once.
// test/lint/write-path.test.ts keeps other modules from writing collection tables.

/** The field error of an auth record id that a record of another auth collection holds. */
export const INVALID_AUTH_ID: ErrorData = { id: fieldError('validation_invalid_auth_id') };

/**
 * Runs a record's INSERT or UPDATE. A concurrent write can still win the race after the
 * unique pre-checks: the database's unique violation then answers as the same field errors.
 */
async function guarded(
  app: App,
  collection: Collection,
  failCode: ErrorCode,
  write: () => Promise<unknown>,
): Promise<void> {
  try {
    await write();
  } catch (error) {
    const violation = app.db.uniqueViolation(error);
    if (violation) throw new ApiError(failCode, uniqueViolationErrors(collection, violation));
    throw error;
  }
}

/**
 * Inserts a new record's full row (a value for every field, as rowFromValues and newRow
 * build them). An auth record claims its id across auth collections in the same transaction,
 * so that of two creates of one id in two collections one fails on `_authIds`' key.
 */
export async function saveInsert(
  app: App,
  scope: TxScope,
  collection: Collection,
  row: RecordRow,
  failCode: ErrorCode = 'record_create_failed',
): Promise<void> {
  await guarded(app, collection, failCode, () => insertRecordRow(scope.db, collection, row));
  if (
    collection.type === 'auth' &&
    !(await claimAuthId(app.db, scope.db, collection.id, rowText(row, 'id')))
  ) {
    throw new ApiError(failCode, INVALID_AUTH_ID);
  }
  app.recordEvents.written(scope, 'create', collection, row);
}

/**
 * Writes the changed columns of the stored record `id`; `row` is its whole row after the
 * change. Nothing is written when nothing changed (the update is still reported).
 */
export async function saveUpdate(
  app: App,
  scope: TxScope,
  collection: Collection,
  row: RecordRow,
  changes: Readonly<RecordRow>,
  failCode: ErrorCode = 'record_update_failed',
): Promise<void> {
  const id = rowText(row, 'id');
  if (Object.keys(changes).length > 0) {
    await guarded(app, collection, failCode, () =>
      scope.db.updateTable(collection.name).set(changes).where(sql.ref('id'), '=', id).execute(),
    );
  }
  app.recordEvents.written(scope, 'update', collection, row);
}

/**
 * Deletes the stored record `id`; what points at it and an auth record's state are the
 * caller's (deleteStoredRecord). Listeners prepare while the row is still stored. Returns
 * false when there was no such row (another request deleted it first).
 */
export async function saveDelete(
  app: App,
  scope: TxScope,
  collection: Collection,
  id: string,
): Promise<boolean> {
  if (app.recordEvents.listening) {
    // Listeners prepare with the row still stored (API.md §5.6: delete payloads are computed
    // before the delete and sent after commit).
    const row = await findRecordRow(scope.db, collection, id);
    if (row) await app.recordEvents.deleting(scope, collection, row);
  }
  const result = await scope.db
    .deleteFrom(collection.name)
    .where(sql.ref('id'), '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
