import { sql } from 'kysely';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { constantValue } from '../rules/rule-constant.js';
import { ruleCondition } from './record-access.js';
import type { RecordRow } from './record-model.js';
import { findRecordRow } from './record-read.js';
import { toRuleRequest, type RecordRequest } from './record-request.js';

/** The collection of a read or delete: 404 "Missing collection context." (API.md §1). */
export function readableCollection(app: App, idOrName: string): Collection {
  const collection = app.collections.find(idOrName);
  if (!collection) throw new ApiError('collection_not_found');
  return collection;
}

/** Views one record (API.md §1): viewRule null -> 403 for non-superusers, unsatisfied -> 404. */
export async function viewRecord(
  app: App,
  idOrName: string,
  id: string,
  request: RecordRequest,
): Promise<{ collection: Collection; row: RecordRow }> {
  const collection = readableCollection(app, idOrName);
  const superuser = isSuperuser(request.auth);
  if (collection.viewRule === null && !superuser) throw new ApiError('superuser_only_action');
  const rule = collection.viewRule ?? '';
  const condition =
    superuser || rule.trim() === ''
      ? undefined
      : ruleCondition(app, collection, collection.name, rule, toRuleRequest(request));
  const known = condition === undefined ? true : constantValue(condition);
  if (known === false) throw new ApiError('not_found');
  // Without a row condition the lookup is one cached statement; with one it is compiled here.
  const row =
    known === true || condition === undefined
      ? await findRecordRow(app.db.db, collection, id)
      : await app.db.db
          .selectFrom(collection.name)
          .selectAll(collection.name)
          .where(sql.ref(`${collection.name}.id`), '=', id)
          .where(condition)
          .executeTakeFirst();
  if (!row) throw new ApiError('not_found');
  return { collection, row };
}
