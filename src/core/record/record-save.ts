import { sql } from 'kysely';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import { claimAuthId } from '../auth/auth-ids.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError, type ErrorCode, type ErrorData } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import { runRecordHooks, validateHookChanges } from './record-hooks.js';
import { insertRecordRow } from './record-insert.js';
import { rowText, type RecordRow } from './record-model.js';
import { findRecordRow } from './record-read.js';
import type { RecordRequest } from './record-request.js';
import { uniqueViolationErrors } from './record-unique.js';

// THE write path of records: every insert, update and delete of a row of a collection's table
// (REST, batch, account flows, auth system records, the superuser CLI, cascades, code through
// app.records) goes through the three functions below, inside the caller's transaction, so
// that what every write does (record hooks, unique violations as field errors, auth ids,
// events after commit) is done once. test/lint/write-path.test.ts keeps other modules from
// writing collection tables.

/** The field error of an auth record id that a record of another auth collection holds. */
export const INVALID_AUTH_ID: ErrorData = { id: fieldError('validation_invalid_auth_id') };

/** How a write is reported: its error code, and the request that made it (for hooks). */
export interface SaveOptions {
  /** The code of the error a failed write answers (default: the action's own). */
  readonly failCode?: ErrorCode;
  /** Who writes and through what; an internal request when omitted. */
  readonly request?: RecordRequest | undefined;
}

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

async function insertRow(
  app: App,
  scope: TxScope,
  collection: Collection,
  row: RecordRow,
  failCode: ErrorCode,
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
 * Inserts a new record's full row (a value for every field, as rowFromValues and newRow
 * build them), validated by the caller. An auth record claims its id across auth
 * collections in the same transaction, so that of two creates of one id in two collections
 * one fails on `_authIds`' key. With record hooks bound, onRecordCreate runs around the
 * insert (and onRecordValidate inside it, validating what handlers changed); the row as
 * stored is returned.
 */
export async function saveInsert(
  app: App,
  scope: TxScope,
  collection: Collection,
  row: RecordRow,
  options: SaveOptions = {},
): Promise<RecordRow> {
  const failCode = options.failCode ?? 'record_create_failed';
  if (!app.hooks.recordWritesHooked) {
    await insertRow(app, scope, collection, row, failCode);
    return row;
  }
  let stored = row;
  await runRecordHooks(app, scope, 'create', collection, row, options.request, failCode, {
    write: async (event) => {
      stored = (await validateHookChanges(app, scope, event, failCode))?.row ?? stored;
      await insertRow(app, scope, collection, stored, failCode);
      return true;
    },
  });
  return stored;
}

/**
 * Writes the changed columns of the stored record `id`; `row` is its whole row after the
 * change. Nothing is written when nothing changed (the update is still reported). With
 * record hooks bound, onRecordUpdate runs around the write; the row as stored is returned.
 */
export async function saveUpdate(
  app: App,
  scope: TxScope,
  collection: Collection,
  row: RecordRow,
  changes: Readonly<RecordRow>,
  options: SaveOptions & { readonly original?: RecordRow } = {},
): Promise<RecordRow> {
  const failCode = options.failCode ?? 'record_update_failed';
  const id = rowText(row, 'id');
  const write = async (final: RecordRow, changed: Readonly<RecordRow>): Promise<void> => {
    if (Object.keys(changed).length > 0) {
      await guarded(app, collection, failCode, () =>
        scope.db.updateTable(collection.name).set(changed).where(sql.ref('id'), '=', id).execute(),
      );
    }
    app.recordEvents.written(scope, 'update', collection, final);
  };
  if (!app.hooks.recordWritesHooked) {
    await write(row, changes);
    return row;
  }
  const original = options.original ?? (await findRecordRow(scope.db, collection, id)) ?? row;
  let stored = row;
  await runRecordHooks(app, scope, 'update', collection, row, options.request, failCode, {
    original,
    write: async (event) => {
      const validated = await validateHookChanges(app, scope, event, failCode);
      let changed = changes;
      if (validated) {
        stored = { ...validated.row, id };
        const merged: RecordRow = { ...changes };
        for (const name of validated.changed) merged[name] = stored[name];
        changed = merged;
      }
      await write(stored, changed);
      return true;
    },
  });
  return stored;
}

async function deleteRow(
  app: App,
  scope: TxScope,
  collection: Collection,
  id: string,
  row: RecordRow | undefined,
): Promise<boolean> {
  // Listeners prepare with the row still stored (API.md §5.6: delete payloads are computed
  // before the delete and sent after commit).
  if (row) await app.recordEvents.deleting(scope, collection, row);
  const result = await scope.db
    .deleteFrom(collection.name)
    .where(sql.ref('id'), '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Deletes the stored record `id`; what points at it and an auth record's state are the
 * caller's (deleteStoredRecord). Listeners and onRecordDelete handlers run while the row is
 * still stored. Returns false when there was no such row (another request deleted it first).
 */
export async function saveDelete(
  app: App,
  scope: TxScope,
  collection: Collection,
  id: string,
  options: SaveOptions = {},
): Promise<boolean> {
  const hooked = app.hooks.recordWritesHooked;
  const row =
    hooked || app.recordEvents.listening
      ? await findRecordRow(scope.db, collection, id)
      : undefined;
  if (!hooked) return deleteRow(app, scope, collection, id, row);
  if (!row) return false;
  let deleted = false;
  await runRecordHooks(
    app,
    scope,
    'delete',
    collection,
    row,
    options.request,
    options.failCode ?? 'record_delete_failed',
    {
      write: async () => {
        deleted = await deleteRow(app, scope, collection, id, row);
        return deleted;
      },
    },
  );
  return deleted;
}
