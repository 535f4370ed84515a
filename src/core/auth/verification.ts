import { isEmail } from '../../lib/text/email.js';
import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import { requestAccountMail } from './account-mail.js';
import {
  MAX_EMAIL,
  MAX_TOKEN,
  readAccountForm,
  requireNonSuperuserAuthCollection,
} from './account-form.js';
import { confirmAccountToken } from './account-update.js';
import { valuesFromRow } from '../record/record-values.js';

/** Reads `{email}`, which must be email-shaped (whether or not an account has it). */
export function readEmailForm(body: unknown): string {
  const { email } = readAccountForm(body, { email: MAX_EMAIL });
  if (!isEmail(email))
    throw new ApiError('validation_failed', { email: fieldError('validation_is_email') });
  return email;
}

/**
 * `request-verification` (API.md §4): mails a verification token to an unverified account.
 * Unknown and already verified emails get the same answer after the same lookup and signing
 * work, and the mail leaves after the response, so the answer reveals nothing.
 */
export async function requestVerification(
  app: App,
  collectionIdOrName: string,
  body: unknown,
): Promise<void> {
  const collection = requireNonSuperuserAuthCollection(app, collectionIdOrName);
  const email = readEmailForm(body);
  await requestAccountMail(
    app,
    collection,
    email,
    'verification',
    collection.verificationTemplate,
    (record) => valuesFromRow(collection, record).get('verified') !== true,
  );
}

/** `confirm-verification` `{token}` (API.md §4): marks the token's record verified. */
export async function confirmVerification(
  app: App,
  collectionIdOrName: string,
  body: unknown,
): Promise<void> {
  const collection = requireNonSuperuserAuthCollection(app, collectionIdOrName);
  const { token } = readAccountForm(body, { token: MAX_TOKEN });
  await confirmAccountToken(app, collection, 'verification', token, () => ({
    values: { verified: true },
    rotateTokenKey: false,
  }));
}
