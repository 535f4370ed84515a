import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import { formatDateTime, nowDateTime, parseDateTime } from '../../lib/datetime.js';
import { newRecordId } from '../../lib/security/random.js';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import type { ErrorCode } from '../errors.js';
import { newRow } from '../record/record-defaults.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { saveDelete, saveInsert, saveUpdate } from '../record/record-save.js';
import { releaseAuthIds } from './auth-ids.js';

/** The system collections that hold per-record auth state (API.md §3.1), PocketBase's ids. */
export const AUTH_SYSTEM_COLLECTIONS = {
  externalAuths: { id: 'pbc_2281828961', name: '_externalAuths' },
  mfas: { id: 'pbc_2279338944', name: '_mfas' },
  otps: { id: 'pbc_1638494021', name: '_otps' },
  authOrigins: { id: 'pbc_4275539003', name: '_authOrigins' },
} as const;

export type AuthSystemCollection = keyof typeof AUTH_SYSTEM_COLLECTIONS;

/** The auth record a system row belongs to. */
export interface AuthRef {
  readonly collectionRef: string;
  readonly recordRef: string;
}

function table(key: AuthSystemCollection): string {
  return AUTH_SYSTEM_COLLECTIONS[key].name;
}

/** Whether a row was created `seconds` or more ago. */
export function isExpired(row: RecordRow, seconds: number): boolean {
  const created = parseDateTime(rowText(row, 'created'));
  return !created || created.getTime() + seconds * 1000 <= Date.now();
}

/** The stored system collection of `key` (its migration made it; a missing one is a bug). */
function systemCollection(app: App, key: AuthSystemCollection): Collection {
  const found = app.collections.findById(AUTH_SYSTEM_COLLECTIONS[key].id);
  if (!found) throw new Error(`The system collection ${table(key)} is missing.`);
  return found;
}

/**
 * Inserts a row with a new id and `created`/`updated` set to now, through the record save
 * path; returns the stored row. A unique violation answers `failCode`.
 */
export async function insertAuthRow(
  app: App,
  scope: TxScope,
  key: AuthSystemCollection,
  ref: AuthRef,
  values: Readonly<Record<string, string>>,
  failCode: ErrorCode = 'bad_request',
): Promise<RecordRow> {
  const collection = systemCollection(app, key);
  const now = nowDateTime();
  const given: RecordRow = { id: newRecordId(), ...ref, ...values, created: now, updated: now };
  const row: RecordRow = { ...newRow(collection), ...given };
  await saveInsert(app, scope, collection, row, { failCode });
  return row;
}

/** The row `id`, or undefined. */
export function findAuthRow(
  db: Executor,
  key: AuthSystemCollection,
  id: string,
): Promise<RecordRow | undefined> {
  return db.selectFrom(table(key)).selectAll().where(sql.ref('id'), '=', id).executeTakeFirst();
}

/** The rows of one auth record, newest first. */
export function authRowsOf(
  db: Executor,
  key: AuthSystemCollection,
  ref: AuthRef,
): Promise<RecordRow[]> {
  return db
    .selectFrom(table(key))
    .selectAll()
    .where(sql.ref('collectionRef'), '=', ref.collectionRef)
    .where(sql.ref('recordRef'), '=', ref.recordRef)
    .orderBy(sql.ref('created'), 'desc')
    .orderBy(sql.ref('id'), 'desc')
    .execute();
}

/** Sets `updated` (and any given values) of a stored row to now. */
export async function touchAuthRow(
  app: App,
  scope: TxScope,
  key: AuthSystemCollection,
  row: RecordRow,
  values: Readonly<Record<string, string>> = {},
): Promise<void> {
  const changes = { ...values, updated: nowDateTime() };
  await saveUpdate(app, scope, systemCollection(app, key), { ...row, ...changes }, changes);
}

/** Deletes one row; false when it was already gone (another request consumed it first). */
export function consumeAuthRow(
  app: App,
  scope: TxScope,
  key: AuthSystemCollection,
  id: string,
): Promise<boolean> {
  return saveDelete(app, scope, systemCollection(app, key), id);
}

/** Deletes rows by id. */
export async function deleteAuthRows(
  app: App,
  scope: TxScope,
  key: AuthSystemCollection,
  ids: readonly string[],
): Promise<void> {
  const collection = systemCollection(app, key);
  for (const id of ids) await saveDelete(app, scope, collection, id);
}

/** Deletes a collection's rows created `seconds` or more ago (as `isExpired` judges them). */
export async function deleteExpiredAuthRows(
  app: App,
  scope: TxScope,
  key: AuthSystemCollection,
  collectionRef: string,
  seconds: number,
): Promise<void> {
  const cutoff = formatDateTime(new Date(Date.now() - seconds * 1000));
  const expired = await scope.db
    .selectFrom(table(key))
    .select(sql<string>`${sql.ref('id')}`.as('id'))
    .where(sql.ref('collectionRef'), '=', collectionRef)
    .where(sql.ref('created'), '<=', cutoff)
    .execute();
  await deleteAuthRows(
    app,
    scope,
    key,
    expired.map((r) => r.id),
  );
}

/**
 * Deletes the auth state of one record (when `recordId` is given) or of a whole collection:
 * its registered id (`_authIds`), linked OAuth2 accounts, MFA sessions, OTPs and known login
 * origins, each row through the record save path. Runs in the caller's transaction, so it
 * commits or rolls back with the delete that caused it.
 */
export async function deleteAuthStateOf(
  app: App,
  scope: TxScope,
  collectionId: string,
  recordId?: string,
): Promise<void> {
  await releaseAuthIds(scope.db, collectionId, recordId);
  for (const key of Object.keys(AUTH_SYSTEM_COLLECTIONS) as AuthSystemCollection[]) {
    let query = scope.db
      .selectFrom(table(key))
      .select(sql<string>`${sql.ref('id')}`.as('id'))
      .where(sql.ref('collectionRef'), '=', collectionId);
    if (recordId !== undefined) query = query.where(sql.ref('recordRef'), '=', recordId);
    const rows = await query.execute();
    await deleteAuthRows(
      app,
      scope,
      key,
      rows.map((r) => r.id),
    );
  }
}
