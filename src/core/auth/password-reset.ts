import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import { requestAccountMail } from './account-mail.js';
import { MAX_PASSWORD, MAX_TOKEN, readAccountForm } from './account-form.js';
import { confirmAccountToken } from './account-update.js';
import { requireAuthCollection } from './auth-collection.js';
import { readEmailForm } from './verification.js';

/**
 * `request-password-reset` (API.md §4): mails a reset token, at most once per record in two
 * minutes. Unknown emails get the same 204 after the same lookup and signing work; the mail
 * leaves after the response.
 */
export async function requestPasswordReset(
  app: App,
  collectionIdOrName: string,
  body: unknown,
): Promise<void> {
  const collection = requireAuthCollection(app, collectionIdOrName);
  if (!collection.passwordAuth.enabled) {
    throw new ApiError(
      'bad_request',
      {},
      'The collection is not configured to allow password authentication.',
    );
  }
  const email = readEmailForm(body);
  await requestAccountMail(
    app,
    collection,
    email,
    'passwordReset',
    collection.resetPasswordTemplate,
    () => true,
  );
}

/**
 * `confirm-password-reset` `{token, password, passwordConfirm}` (API.md §4): sets the new
 * password (validated and hashed as on record update), marks the record verified (the mail
 * proved the address) and rotates its tokenKey, which ends every session and the reset token.
 */
export async function confirmPasswordReset(
  app: App,
  collectionIdOrName: string,
  body: unknown,
): Promise<void> {
  const collection = requireAuthCollection(app, collectionIdOrName);
  const form = readAccountForm(body, {
    token: MAX_TOKEN,
    password: MAX_PASSWORD,
    passwordConfirm: MAX_PASSWORD,
  });
  if (form.password !== form.passwordConfirm) {
    throw new ApiError('validation_failed', {
      passwordConfirm: fieldError('validation_values_mismatch'),
    });
  }
  await confirmAccountToken(app, collection, 'passwordReset', form.token, () => ({
    values: { password: form.password, verified: true },
    rotateTokenKey: true,
  }));
}
