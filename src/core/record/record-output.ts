import type { Executor } from '../../db/adapter.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { idsPassing } from './record-access.js';
import { enrichRecordsJson } from './record-enrich.js';
import { recordToJson } from './record-json.js';
import type { RecordJson, RecordRow } from './record-model.js';
import type { RecordRequest } from './record-request.js';
import { toRuleRequest } from './record-request.js';

/**
 * Ids of the auth records whose email the requester may see although `emailVisibility` is
 * off: its own record, and records it manages through the collection's manageRule.
 */
async function emailVisibleIds(
  app: App,
  exec: Executor,
  collection: Collection,
  rows: readonly RecordRow[],
  request: RecordRequest,
): Promise<Set<string>> {
  const visible = new Set<string>();
  if (collection.type !== 'auth' || !request.auth) return visible;
  if (request.auth.collection.id === collection.id) visible.add(String(request.auth.record.id));
  if (collection.manageRule !== null) {
    const ids = rows.map((r) => String(r.id));
    for (const id of await idsPassing(
      app,
      exec,
      collection,
      ids,
      collection.manageRule,
      toRuleRequest(request),
    ))
      visible.add(id);
  }
  return visible;
}

const NO_IDS: ReadonlySet<string> = new Set();

/**
 * The API JSON of stored records for one requester: hidden fields only for superusers, auth
 * emails per `emailVisibility`, self and manage access (API.md §1.2).
 */
export async function recordsToJson(
  app: App,
  exec: Executor,
  collection: Collection,
  rows: readonly RecordRow[],
  request: RecordRequest,
): Promise<RecordJson[]> {
  const superuser = isSuperuser(request.auth);
  // Only auth collections hide emails; others skip the (async) visibility lookup.
  const emails =
    superuser || collection.type !== 'auth'
      ? NO_IDS
      : await emailVisibleIds(app, exec, collection, rows, request);
  const json = rows.map((row) =>
    recordToJson(collection, row, {
      showHidden: superuser,
      showEmail: superuser || emails.has(String(row.id)),
    }),
  );
  await enrichRecordsJson(app, collection, rows, json, request);
  return json;
}
