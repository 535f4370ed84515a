import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../lib/security/password.js';
import { keyedRecordId } from '../../lib/security/keyed-id.js';
import { randomString } from '../../lib/security/random.js';
import type { App } from '../app.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { findRecordRowForUpdate } from '../record/record-read.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { valuesFromRow } from '../record/record-values.js';
import { findByEmail, sendAccountMailLater } from './account-mail.js';
import { MAX_PASSWORD, readAccountForm } from './account-form.js';
import { applyAccountChange } from './account-update.js';
import type { AuthAttempt } from './auth-attempt.js';
import { requireAuthCollection } from './auth-collection.js';
import { finishAuth, type AuthResult } from './auth-finish.js';
import {
  authRowsOf,
  consumeAuthRow,
  deleteAuthRows,
  deleteExpiredAuthRows,
  findAuthRow,
  insertAuthRow,
  isExpired,
  type AuthRef,
} from './auth-system-records.js';
import { readEmailForm } from './verification.js';

/** Unexpired OTPs a record may hold; past it, a request answers the newest one's id again. */
export const MAX_LIVE_OTPS = 10;
/** Sign-in attempts per record and window before 429 (API.md §4). */
export const OTP_ATTEMPTS = 5;
export const OTP_ATTEMPT_WINDOW_SECONDS = 180;
const MAX_OTP_ID = 255;
const DIGITS = '0123456789';

function otpCollection(app: App, idOrName: string): AuthCollection {
  const collection = requireAuthCollection(app, idOrName);
  if (!collection.otp.enabled) throw new ApiError('otp_auth_disabled');
  return collection;
}

/** Drops a record's expired OTPs and returns the live ones, newest first. */
async function liveOtps(app: App, collection: AuthCollection, ref: AuthRef): Promise<RecordRow[]> {
  const rows = await authRowsOf(app.db.db, 'otps', ref);
  const expired = rows.filter((row) => isExpired(row, collection.otp.duration));
  if (expired.length > 0) {
    const ids = expired.map((row) => rowText(row, 'id'));
    await app.transaction((scope) => deleteAuthRows(app, scope, 'otps', ids));
  }
  return rows.filter((row) => !expired.includes(row));
}

/**
 * Deletes the collection's expired OTPs, at most once per `OTP_SWEEP_MS` (stand-ins for
 * unknown emails would otherwise pile up: no later request for their email drops them).
 */
async function sweepExpiredOtps(app: App, collection: AuthCollection): Promise<void> {
  if (!app.otpSweeps.tryMark(collection.id)) return;
  await app.transaction((scope) =>
    deleteExpiredAuthRows(app, scope, 'otps', collection.id, collection.otp.duration),
  );
}

/**
 * Whose OTPs a request for `email` adds to: the account's, or for an unknown email a stand-in
 * record id derived from the email under the collection's auth token secret. The stand-in
 * gets real OTP rows (never mailed, so never usable), so that an unknown email sees the same
 * ids, reuse after ten, expiry and 429s on `auth-with-otp` as a known one, after the same work.
 */
function otpOwner(collection: AuthCollection, email: string, record?: RecordRow): AuthRef {
  const recordRef = record
    ? rowText(record, 'id')
    : keyedRecordId(collection.authToken.secret, `otp\0${collection.id}\0${email.toLowerCase()}`);
  return { collectionRef: collection.id, recordRef };
}

/**
 * `request-otp` `{email}` (API.md §4): mails a new one-time password of `otp.length` digits
 * and answers its id. An owner that already holds ten live OTPs gets the newest one's id
 * again and no new mail. An unknown email goes through the same steps for a stand-in owner
 * (`otpOwner`) and nothing is sent, so the answers cannot tell known emails from unknown
 * ones. The mail leaves after the response.
 */
export async function requestOtp(
  app: App,
  collectionIdOrName: string,
  body: unknown,
): Promise<{ otpId: string }> {
  const collection = otpCollection(app, collectionIdOrName);
  const email = readEmailForm(body);
  const password = randomString(collection.otp.length, DIGITS);
  const hash = await hashPassword(password);
  await sweepExpiredOtps(app, collection);
  const record = await findByEmail(app, collection, email);
  const ref = otpOwner(collection, email, record);
  const live = await liveOtps(app, collection, ref);
  const newest = live[0];
  if (newest && live.length >= MAX_LIVE_OTPS) return { otpId: rowText(newest, 'id') };
  const sentTo = record ? rowText(record, 'email') : email;
  const otp = await app.transaction((scope) =>
    insertAuthRow(app, scope, 'otps', ref, { password: hash, sentTo }),
  );
  if (record) {
    const template = collection.otp.emailTemplate;
    sendAccountMailLater(app, collection, record, 'otp', template, { otp: password }, sentTo);
  }
  return { otpId: rowText(otp, 'id') };
}

/** Counts an attempt at a record's OTPs; 429 past the limit, whatever the password. */
function countAttempt(app: App, ref: AuthRef): void {
  const key = `${ref.collectionRef}/${ref.recordRef}`;
  if (!app.otpAttempts.consume(key, OTP_ATTEMPTS, OTP_ATTEMPT_WINDOW_SECONDS)) {
    throw new ApiError('too_many_requests');
  }
}

/**
 * `auth-with-otp` `{otpId, password}` (API.md §4). Unknown, expired, other-collection and
 * wrong OTPs all answer 400 "Invalid or expired OTP." after a password check; more than five
 * attempts at one record's OTPs within 180 s answer 429, and so do failures past the login
 * throttle's per-IP limit (settings `authThrottle`). A right OTP is consumed (one use,
 * even when two requests race); when it went to the record's current email, an unverified
 * record becomes verified and, without MFA, gets a random password and a new tokenKey, so
 * that whoever registered the address first (and chose the password) is locked out.
 */
export async function authWithOtp(
  app: App,
  collectionIdOrName: string,
  body: unknown,
  attempt: AuthAttempt,
): Promise<AuthResult> {
  const collection = otpCollection(app, collectionIdOrName);
  const form = readAccountForm(body, { otpId: MAX_OTP_ID, password: MAX_PASSWORD });
  const signedIn = app.loginThrottle.admit(app.settings.peek().authThrottle, { ip: attempt.ip });
  const otp = await findAuthRow(app.db.db, 'otps', form.otpId);
  if (!otp || rowText(otp, 'collectionRef') !== collection.id) {
    await verifyAgainstDummy(form.password);
    throw new ApiError('otp_invalid');
  }
  const ref = { collectionRef: collection.id, recordRef: rowText(otp, 'recordRef') };
  countAttempt(app, ref);
  const ok = await verifyPassword(form.password, rowText(otp, 'password'));
  if (!ok || isExpired(otp, collection.otp.duration)) throw new ApiError('otp_invalid');
  signedIn();
  const record = await app.transaction(async (scope) => {
    if (!(await consumeAuthRow(app, scope, 'otps', form.otpId))) throw new ApiError('otp_invalid');
    const stored = await findRecordRowForUpdate(
      scope.db,
      app.db.dialect,
      collection,
      ref.recordRef,
    );
    if (!stored) throw new ApiError('otp_invalid');
    const email = rowText(stored, 'email');
    const verified = valuesFromRow(collection, stored).get('verified') === true;
    if (verified || email === '' || rowText(otp, 'sentTo') !== email) return stored;
    const values: Record<string, unknown> = { verified: true };
    if (!collection.mfa.enabled) values.password = randomString(30);
    await applyAccountChange(app, scope, collection, stored, {
      values,
      rotateTokenKey: !collection.mfa.enabled,
    });
    return findRecordRowForUpdate(scope.db, app.db.dialect, collection, ref.recordRef);
  });
  if (!record) throw new ApiError('otp_invalid');
  return finishAuth(app, collection, record, 'otp', attempt);
}
