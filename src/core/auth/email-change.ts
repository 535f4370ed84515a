import { isEmail } from '../../lib/text/email.js';
import { verifyPassword } from '../../lib/security/password.js';
import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import { rowText } from '../record/record-model.js';
import { fieldError } from '../validation-errors.js';
import { findByEmail, sendAccountMailLater } from './account-mail.js';
import {
  MAX_EMAIL,
  MAX_PASSWORD,
  MAX_TOKEN,
  readAccountForm,
  requireNonSuperuserAuthCollection,
} from './account-form.js';
import { confirmAccountToken } from './account-update.js';
import type { AuthContext } from './auth-context.js';
import { issueAccountToken } from './auth-token.js';

/**
 * `request-email-change` `{newEmail}` (API.md §4), for the authenticated record of the same
 * collection: `newEmail` must be a valid email that no account of the collection uses (its
 * own included); the confirmation token goes to the NEW address, after the response.
 */
export async function requestEmailChange(
  app: App,
  collectionIdOrName: string,
  auth: AuthContext | undefined,
  body: unknown,
): Promise<void> {
  const collection = requireNonSuperuserAuthCollection(app, collectionIdOrName);
  if (!auth) throw new ApiError('auth_required');
  if (auth.collection.id !== collection.id) throw new ApiError('auth_wrong_collection');
  const { newEmail } = readAccountForm(body, { newEmail: MAX_EMAIL });
  if (!isEmail(newEmail))
    throw new ApiError('validation_failed', { newEmail: fieldError('validation_is_email') });
  if (await findByEmail(app, collection, newEmail))
    throw new ApiError('validation_failed', { newEmail: fieldError('validation_not_unique') });
  const token = issueAccountToken(collection, auth.record, 'emailChange', newEmail);
  const template = collection.confirmEmailChangeTemplate;
  sendAccountMailLater(app, collection, auth.record, 'emailChange', template, { token }, newEmail);
}

/**
 * `confirm-email-change` `{token, password}` (API.md §4): with the record's CURRENT password,
 * sets the token's `newEmail`, marks the record verified and rotates its tokenKey.
 */
export async function confirmEmailChange(
  app: App,
  collectionIdOrName: string,
  body: unknown,
): Promise<void> {
  const collection = requireNonSuperuserAuthCollection(app, collectionIdOrName);
  const form = readAccountForm(body, { token: MAX_TOKEN, password: MAX_PASSWORD });
  await confirmAccountToken(app, collection, 'emailChange', form.token, async (record, claims) => {
    const newEmail = claims.newEmail ?? '';
    if (!isEmail(newEmail)) {
      throw new ApiError('validation_failed', { token: fieldError('validation_invalid_token') });
    }
    if (!(await verifyPassword(form.password, rowText(record, 'password')))) {
      throw new ApiError('validation_failed', {
        password: fieldError('validation_invalid_password'),
      });
    }
    return { values: { email: newEmail, verified: true }, rotateTokenKey: true };
  });
}
