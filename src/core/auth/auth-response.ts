import type { App } from '../app.js';
import { SUPERUSERS } from '../collection/collection-model.js';
import { expandRecords } from '../record/record-expand.js';
import { enrichRecordsJson } from '../record/record-enrich.js';
import { recordToJson } from '../record/record-json.js';
import { withAuth, type RecordRequest } from '../record/record-request.js';
import type { AuthResult } from './auth-finish.js';

/**
 * The auth response `{record, token}`, led by OAuth2's `meta` (API.md §4): the record always shows its own email,
 * superusers also see hidden fields, and `expand` is resolved as the freshly authenticated
 * record (the related view rules see it as `@request.auth`).
 */
export async function authResponse(
  app: App,
  result: AuthResult,
  request: RecordRequest,
  expand: string | undefined,
): Promise<Record<string, unknown>> {
  const { collection, record, token, meta } = result;
  const json = recordToJson(collection, record, {
    showHidden: collection.id === SUPERUSERS.id,
    showEmail: true,
  });
  const asRecord = withAuth(request, { collection, record, token, refreshable: true });
  await enrichRecordsJson(app, collection, [record], [json], asRecord);
  if (expand) {
    await expandRecords(app, app.db.db, collection, [record], [json], expand, asRecord);
  }
  return meta ? { meta, record: json, token } : { record: json, token };
}
