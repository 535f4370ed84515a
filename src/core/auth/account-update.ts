import type { TxScope } from '../../db/transaction.js';
import { decodeToken, verifyDecodedToken, type TokenClaims } from '../../lib/security/jwt.js';
import { randomString } from '../../lib/security/random.js';
import type { App } from '../app.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { saveUpdate } from '../record/record-save.js';
import { readRecordInput } from '../record/record-input.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { prepareWrite } from '../record/record-prepare.js';
import { findRecordRowForUpdate } from '../record/record-read.js';
import { valuesFromRow } from '../record/record-values.js';
import { fieldError } from '../validation-errors.js';
import { signingKey, type TokenType } from './auth-token.js';

/** What a confirmed token changes: field values, and whether every old token must die. */
export interface AccountChange {
  readonly values: Record<string, unknown>;
  readonly rotateTokenKey: boolean;
}

function invalidToken(): ApiError {
  return new ApiError('validation_failed', { token: fieldError('validation_invalid_token') });
}

/**
 * Confirms an account token of `type` for `collection` and applies the change `decide`
 * returns, in one transaction on the locked record: the token must be of that type and
 * collection, signed with the record's current key (so a rotated tokenKey kills it), unexpired,
 * and name the record's current email.
 */
export function confirmAccountToken(
  app: App,
  collection: AuthCollection,
  type: TokenType,
  token: string,
  decide: (record: RecordRow, claims: TokenClaims) => Promise<AccountChange> | AccountChange,
): Promise<void> {
  return app.transaction(async (scope) => {
    const decoded = decodeToken(token);
    const claims = decoded?.claims;
    if (!decoded || claims?.type !== type || claims.collectionId !== collection.id) {
      throw invalidToken();
    }
    const stored = await findRecordRowForUpdate(scope.db, app.db.dialect, collection, claims.id);
    if (!stored || !verifyDecodedToken(decoded, signingKey(collection, stored, type))) {
      throw invalidToken();
    }
    if (claims.email !== rowText(stored, 'email')) throw invalidToken();
    await applyAccountChange(app, scope, collection, stored, await decide(stored, claims));
  });
}

/**
 * Applies an account change to a record read (and locked) in the caller's transaction: the
 * values go through the normal field validation (passwords hashed, emails unique; anything
 * wrong is a 400 with field errors), only changed columns are written, and the update is a
 * record event after commit.
 */
export async function applyAccountChange(
  app: App,
  scope: TxScope,
  collection: AuthCollection,
  stored: RecordRow,
  change: AccountChange,
): Promise<void> {
  const current = valuesFromRow(collection, stored);
  const input = readRecordInput(collection, change.values, current, true);
  const prepared = await prepareWrite(
    scope.db,
    (id) => app.collections.findById(id),
    collection,
    input,
    current,
    false,
  );
  if (Object.keys(prepared.errors).length > 0) {
    throw new ApiError('validation_failed', prepared.errors);
  }
  const changes: Record<string, unknown> = Object.fromEntries(
    Object.entries(prepared.row).filter(([k]) => prepared.changed.has(k)),
  );
  if (change.rotateTokenKey) changes.tokenKey = randomString(50);
  if (Object.keys(changes).length === 0) return;
  // Realtime subscribers and signed-in clients see the change like any other update.
  await saveUpdate(app, scope, collection, { ...stored, ...changes }, changes, {
    failCode: 'validation_failed',
    original: stored,
  });
}
