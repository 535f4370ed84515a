import { createHash } from 'node:crypto';
import type { App } from '../app.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { sendAccountMailLater } from './account-mail.js';
import type { AuthAttempt } from './auth-attempt.js';
import { ApiError } from '../errors.js';
import { authRowsOf, insertAuthRow, touchAuthRow } from './auth-system-records.js';

/** How much of the User-Agent header counts towards a login origin. */
const USER_AGENT_PREFIX = 300;

/** A login origin: a digest of the client IP and User-Agent (as PocketBase computes it). */
export function originFingerprint(attempt: AuthAttempt): string {
  const text = attempt.ip + attempt.userAgent.slice(0, USER_AGENT_PREFIX);
  return createHash('md5').update(text).digest('hex');
}

/**
 * Records where a sign-in came from in `_authOrigins` and, when the account has signed in
 * before but never from there, mails it the new-login alert (API.md §3.4 `authAlert`) after
 * the response. Only with `authAlert.enabled`. A failure here is logged and never fails the
 * sign-in that already succeeded.
 */
export async function noteAuthOrigin(
  app: App,
  collection: AuthCollection,
  record: RecordRow,
  attempt: AuthAttempt,
): Promise<void> {
  if (!collection.authAlert.enabled) return;
  const ref = { collectionRef: collection.id, recordRef: rowText(record, 'id') };
  const fingerprint = originFingerprint(attempt);
  try {
    const origins = await authRowsOf(app.db.db, 'authOrigins', ref);
    const known = origins.find((o) => rowText(o, 'fingerprint') === fingerprint);
    if (known) {
      await app.transaction((scope) => touchAuthRow(app, scope, 'authOrigins', known));
      return;
    }
    await app.transaction((scope) =>
      insertAuthRow(app, scope, 'authOrigins', ref, { fingerprint }, 'record_create_failed'),
    );
    const email = rowText(record, 'email');
    if (origins.length > 0 && email !== '') {
      const template = collection.authAlert.emailTemplate;
      sendAccountMailLater(app, collection, record, 'authAlert', template, {}, email);
    }
  } catch (error) {
    // Two first sign-ins from one origin at once: the unique index keeps one row, which is all.
    if (error instanceof ApiError && error.code === 'record_create_failed') return;
    app.logger.warn({ collection: collection.name, err: error }, 'recording a login origin failed');
  }
}
