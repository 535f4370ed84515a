import type { Executor } from '../../db/adapter.js';
import type { App } from '../app.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { storedRecordPasses } from '../record/record-access.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { toRuleRequest } from '../record/record-request.js';
import type { AuthAttempt, AuthMethod } from './auth-attempt.js';
import { consumeAuthRow, findAuthRow, insertAuthRow, isExpired } from './auth-system-records.js';

/**
 * The first factor succeeded and a second one is required: answered as 401 `{"mfaId": ...}`
 * (API.md §4), not in the error shape.
 */
export class MfaRequired extends Error {
  constructor(readonly mfaId: string) {
    super('multi-factor authentication required');
  }
}

/** Whether MFA applies to this sign-in: enabled, the rule matches, not already signed in as it. */
async function mfaApplies(
  app: App,
  db: Executor,
  collection: AuthCollection,
  record: RecordRow,
  attempt: AuthAttempt,
): Promise<boolean> {
  if (!collection.mfa.enabled) return false;
  const id = rowText(record, 'id');
  const current = attempt.request.auth;
  // Linking another method to the account one is signed in as needs no second factor.
  if (current?.collection.id === collection.id && rowText(current.record, 'id') === id) {
    return false;
  }
  if (collection.mfa.rule.trim() === '') return true;
  const request = toRuleRequest(attempt.request);
  return storedRecordPasses(app, db, collection, id, collection.mfa.rule, request);
}

/**
 * The MFA step of a sign-in that passed its first check with `method`. Without MFA it does
 * nothing. With MFA and no `mfaId` it records the first factor and throws MfaRequired. With
 * an `mfaId` it checks the session (this record, unexpired, another method) and consumes it:
 * the delete counts, so one session completes one sign-in even when two race. Each step
 * commits on its own: the recorded first factor must outlive the 401 that announces it.
 */
export async function checkMfa(
  app: App,
  db: Executor,
  collection: AuthCollection,
  record: RecordRow,
  method: AuthMethod,
  attempt: AuthAttempt,
): Promise<void> {
  if (!(await mfaApplies(app, db, collection, record, attempt))) return;
  const ref = { collectionRef: collection.id, recordRef: rowText(record, 'id') };
  if (attempt.mfaId === '') {
    const row = await app.transaction((scope) =>
      insertAuthRow(app, scope, 'mfas', ref, { method }),
    );
    throw new MfaRequired(rowText(row, 'id'));
  }
  const mfa = await findAuthRow(db, 'mfas', attempt.mfaId);
  if (!mfa || isExpired(mfa, collection.mfa.duration)) throw new ApiError('mfa_invalid');
  if (
    rowText(mfa, 'collectionRef') !== ref.collectionRef ||
    rowText(mfa, 'recordRef') !== ref.recordRef
  ) {
    throw new ApiError('mfa_other_record');
  }
  if (rowText(mfa, 'method') === method) throw new ApiError('mfa_same_method');
  // A concurrent sign-in may have consumed it first.
  const consumed = await app.transaction((scope) =>
    consumeAuthRow(app, scope, 'mfas', attempt.mfaId),
  );
  if (!consumed) throw new ApiError('mfa_invalid');
}
