import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { storedRecordPasses } from '../record/record-access.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { toRuleRequest, type RecordRequest } from '../record/record-request.js';

/**
 * The auth collection an auth route names: 404 "Missing or invalid collection context." when
 * it does not exist, 404 "Missing or invalid auth collection context." when it is not auth.
 */
export function requireAuthCollection(app: App, idOrName: string): AuthCollection {
  const collection = app.collections.find(idOrName);
  if (!collection) throw new ApiError('collection_context_invalid');
  if (collection.type !== 'auth') throw new ApiError('auth_collection_invalid');
  return collection;
}

/**
 * The collection's authRule (API.md §3.3), checked after every successful authentication and
 * refresh, before a token is returned: null disables auth, "" lets everyone in, an expression
 * is evaluated on the stored record with the request as it came (403 when it fails).
 */
export async function assertAuthRule(
  app: App,
  collection: AuthCollection,
  record: RecordRow,
  request: RecordRequest,
): Promise<void> {
  const rule = collection.authRule;
  if (rule === null) throw new ApiError('auth_rule_failed');
  if (rule.trim() === '') return;
  const id = rowText(record, 'id');
  const passes = await storedRecordPasses(
    app,
    app.db.db,
    collection,
    id,
    rule,
    toRuleRequest(request),
  );
  if (!passes) throw new ApiError('auth_rule_failed');
}
