import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import { assertAuthRule, requireAuthCollection } from './auth-collection.js';
import type { RecordRequest } from '../record/record-request.js';
import { issueAuthToken } from './auth-token.js';
import type { AuthResult } from './auth-finish.js';

/**
 * Refreshes the token of the authenticated record (API.md §4): a new token when the current
 * one is refreshable, otherwise the same token. The collection must be the token's own.
 */
export async function authRefresh(
  app: App,
  collectionIdOrName: string,
  request: RecordRequest,
): Promise<AuthResult> {
  const auth = request.auth;
  const collection = requireAuthCollection(app, collectionIdOrName);
  if (!auth) throw new ApiError('auth_required');
  if (auth.collection.id !== collection.id) throw new ApiError('auth_wrong_collection');
  await assertAuthRule(app, collection, auth.record, request);
  const token = auth.refreshable ? issueAuthToken(collection, auth.record) : auth.token;
  return { collection, record: auth.record, token };
}
