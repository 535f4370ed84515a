import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import { formatDateTime, nowDateTime, parseDateTime } from '../../lib/datetime.js';
import { newRecordId } from '../../lib/security/random.js';
import { rowText, type RecordRow } from '../record/record-model.js';
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

/** Inserts a row with a new id and `created`/`updated` set to now; returns the stored row. */
export async function insertAuthRow(
  db: Executor,
  key: AuthSystemCollection,
  ref: AuthRef,
  values: Readonly<Record<string, string>>,
): Promise<RecordRow> {
  const now = nowDateTime();
  const row: RecordRow = { id: newRecordId(), ...ref, ...values, created: now, updated: now };
  await db.insertInto(table(key)).values(row).execute();
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

/** Sets `updated` (and any given values) of a row to now. */
export async function touchAuthRow(
  db: Executor,
  key: AuthSystemCollection,
  id: string,
  values: Readonly<Record<string, string>> = {},
): Promise<void> {
  await db
    .updateTable(table(key))
    .set({ ...values, updated: nowDateTime() })
    .where(sql.ref('id'), '=', id)
    .execute();
}

/** Deletes one row; false when it was already gone (another request consumed it first). */
export async function consumeAuthRow(
  db: Executor,
  key: AuthSystemCollection,
  id: string,
): Promise<boolean> {
  const result = await db.deleteFrom(table(key)).where(sql.ref('id'), '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Deletes rows by id. */
export async function deleteAuthRows(
  db: Executor,
  key: AuthSystemCollection,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom(table(key)).where(sql.ref('id'), 'in', ids).execute();
}

/** Deletes a collection's rows created `seconds` or more ago (as `isExpired` judges them). */
export async function deleteExpiredAuthRows(
  db: Executor,
  key: AuthSystemCollection,
  collectionRef: string,
  seconds: number,
): Promise<void> {
  const cutoff = formatDateTime(new Date(Date.now() - seconds * 1000));
  await db
    .deleteFrom(table(key))
    .where(sql.ref('collectionRef'), '=', collectionRef)
    .where(sql.ref('created'), '<=', cutoff)
    .execute();
}

/**
 * Deletes the auth state of one record (when `recordId` is given) or of a whole collection:
 * its registered id (`_authIds`), linked OAuth2 accounts, MFA sessions, OTPs and known login
 * origins. Runs in the caller's
 * transaction, so it commits or rolls back with the delete that caused it.
 */
export async function deleteAuthStateOf(
  db: Executor,
  collectionId: string,
  recordId?: string,
): Promise<void> {
  await releaseAuthIds(db, collectionId, recordId);
  for (const key of Object.keys(AUTH_SYSTEM_COLLECTIONS) as AuthSystemCollection[]) {
    let query = db.deleteFrom(table(key)).where(sql.ref('collectionRef'), '=', collectionId);
    if (recordId !== undefined) query = query.where(sql.ref('recordRef'), '=', recordId);
    await query.execute();
  }
}
