import type { App } from '../app.js';
import type { AuthCollection } from '../collection/collection-model.js';
import type { RecordRow } from '../record/record-model.js';
import type { AuthAttempt, AuthMethod } from './auth-attempt.js';
import { assertAuthRule } from './auth-collection.js';
import { noteAuthOrigin } from './auth-origin.js';
import { issueAuthToken } from './auth-token.js';
import { checkMfa } from './mfa.js';

/** A successful authentication: the record, its new token, and OAuth2's `meta`. */
export interface AuthResult {
  readonly collection: AuthCollection;
  readonly record: RecordRow;
  readonly token: string;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/**
 * What every sign-in method does once its credential checked out (API.md §4): the authRule
 * (403), MFA (401 `{mfaId}` after a first factor, the session consumed after the second), a
 * new auth token, and the login origin with its new-location alert.
 */
export async function finishAuth(
  app: App,
  collection: AuthCollection,
  record: RecordRow,
  method: AuthMethod,
  attempt: AuthAttempt,
): Promise<AuthResult> {
  await assertAuthRule(app, collection, record, attempt.request);
  await checkMfa(app, app.db.db, collection, record, method, attempt);
  const token = issueAuthToken(collection, record);
  await noteAuthOrigin(app, collection, record, attempt);
  return { collection, record, token };
}
