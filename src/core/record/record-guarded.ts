import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import { ambientScope } from '../../db/ambient-transaction.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import type { FilterParams } from '../rules/rule-compiler.js';
import type { CompiledCondition } from '../rules/rule-types.js';
import type { RecordData } from './record-api.js';
import type { RecordJson } from './record-model.js';
import { findRecordRowForUpdate } from './record-read.js';
import { renderRecords } from './record-render.js';
import {
  compileRecordFilter,
  storingCollection,
  trustedRequest,
  type RecordFilter,
} from './record-trusted.js';
import { updateRecord } from './record-write.js';

/** The ids of `collection`'s records meeting every condition, by id; locked on engines with row locks. */
async function lockedIds(
  app: App,
  exec: Executor,
  collection: Collection,
  conditions: readonly CompiledCondition[],
): Promise<string[]> {
  const table = collection.name;
  let query = exec
    .selectFrom(table)
    .select(sql<string>`${sql.ref(`${table}.id`)}`.as('id'))
    .orderBy(sql.ref(`${table}.id`));
  for (const condition of conditions) query = query.where(condition);
  // SQLite's write transaction already excludes every other writer.
  if (app.db.dialect.rowLocks) query = query.forUpdate();
  return (await query.execute()).map((row) => row.id);
}

/**
 * Updates every record of `collection` that `match` selects and that `guard` holds for,
 * each through the normal save path (validation, modifiers, events after commit), bypassing
 * collection rules; returns how many records changed. A blank filter is no condition (a
 * blank `match` selects every record). Safe under concurrency: the records are
 * locked (SELECT ... FOR UPDATE on PostgreSQL and MariaDB; SQLite's write transaction is
 * exclusive) and the guard is checked again on each locked record right before its update,
 * so `updateWhere('products', 'id = {:id}', { 'stock-': 1 }, 'stock >= 1', { id })` never
 * takes stock below 0. Runs in one transaction (joining the ambient one).
 */
export async function updateWhere(
  app: App,
  collectionIdOrName: string,
  match: RecordFilter,
  patch: RecordData,
  guard?: RecordFilter,
  params?: FilterParams,
): Promise<number> {
  const collection = storingCollection(app, collectionIdOrName);
  const conditions: CompiledCondition[] = [];
  for (const filter of guard === undefined ? [match] : [match, guard]) {
    const condition = compileRecordFilter(app, collection, filter, params);
    if (condition) conditions.push(condition);
  }
  const request = trustedRequest(app);
  return app.transaction(async (scope) => {
    const ids = await lockedIds(app, scope.db, collection, conditions);
    let changed = 0;
    for (const id of ids) {
      // Locked now: read again, since an earlier update of this loop may have changed it.
      const byId = sql<boolean>`${sql.ref(`${collection.name}.id`)} = ${id}`;
      const still = await lockedIds(app, scope.db, collection, [byId, ...conditions]);
      if (still.length === 0) continue;
      await updateRecord(app, collection.id, id, patch, request, { scope });
      changed++;
    }
    return changed;
  });
}

function assertInTransaction(app: App, what: string): void {
  if (ambientScope(app.db.db) === undefined) {
    throw new Error(
      `${what} must be called inside app.transaction(...): its lock lasts until the commit.`,
    );
  }
}

/**
 * Reads one record and locks it until the current transaction ends (SELECT ... FOR UPDATE on
 * PostgreSQL and MariaDB; SQLite's write transaction is exclusive already). Must run inside
 * `app.transaction(...)`, else it throws an Error; 404 when the record does not exist.
 */
export async function getForUpdate(
  app: App,
  collectionIdOrName: string,
  id: string,
): Promise<RecordJson> {
  assertInTransaction(app, 'getForUpdate()');
  const collection = storingCollection(app, collectionIdOrName);
  const row = await findRecordRowForUpdate(app.db.db, app.db.dialect, collection, id);
  if (!row) throw new ApiError('not_found');
  const [json] = await renderRecords(app, collection, [row], trustedRequest(app), undefined);
  if (json === undefined) throw new Error('a rendered record is missing');
  return json;
}

/**
 * Locks records of one collection until the current transaction ends, in id order with one
 * locking select, so that transactions locking overlapping sets queue instead of deadlocking.
 * Must run inside `app.transaction(...)`, else it throws an Error. Returns the ids that exist
 * (sorted); unknown ids are skipped.
 */
export async function lockRecords(
  app: App,
  collectionIdOrName: string,
  ids: readonly string[],
): Promise<string[]> {
  assertInTransaction(app, 'lock()');
  const collection = storingCollection(app, collectionIdOrName);
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const inList = sql<boolean>`${sql.ref(`${collection.name}.id`)} in (${sql.join(wanted)})`;
  const found = await lockedIds(app, app.db.db, collection, [inList]);
  return found.sort();
}
