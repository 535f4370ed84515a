import { sql } from 'kysely';
import { isJsonObject } from '../../lib/json-merge.js';
import { isEmail } from '../../lib/text/email.js';
import { verifyAgainstDummy, verifyPassword } from '../../lib/security/password.js';
import type { App } from '../app.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';
import type { AuthAttempt } from './auth-attempt.js';
import { requireAuthCollection } from './auth-collection.js';
import { finishAuth, type AuthResult } from './auth-finish.js';

interface PasswordForm {
  identity: string;
  password: string;
  identityField: string;
}

function readForm(collection: AuthCollection, body: unknown): PasswordForm {
  const input = isJsonObject(body) ? body : {};
  const errors = new ErrorCollector();
  const text = (key: string, max: number): string => {
    const value = input[key];
    if (value === undefined || value === null || value === '') return '';
    if (typeof value !== 'string') errors.add([key], fieldError('validation_is_string'));
    else if (value.length > max)
      errors.add([key], fieldError('validation_max_text_constraint', { max }));
    else return value;
    return '';
  };
  const form = {
    identity: text('identity', 255),
    password: text('password', 255),
    identityField: text('identityField', 255),
  };
  if (form.identity === '' && !errors.data.identity)
    errors.add(['identity'], fieldError('validation_required'));
  if (form.password === '' && !errors.data.password)
    errors.add(['password'], fieldError('validation_required'));
  if (
    form.identityField !== '' &&
    !collection.passwordAuth.identityFields.includes(form.identityField)
  ) {
    errors.add(['identityField'], fieldError('validation_invalid_value'));
  }
  if (errors.hasErrors) throw new ApiError('validation_failed', errors.data);
  return form;
}

/** Finds the record whose identity field equals `identity`, trying the fields in order. */
async function findByIdentity(
  app: App,
  collection: AuthCollection,
  form: PasswordForm,
): Promise<RecordRow | undefined> {
  const fields =
    form.identityField !== '' ? [form.identityField] : collection.passwordAuth.identityFields;
  // Email first, and only for email-shaped identities.
  const ordered = [...fields].sort((a, b) => (a === 'email' ? -1 : b === 'email' ? 1 : 0));
  for (const field of ordered) {
    if (field === 'email' && !isEmail(form.identity)) continue;
    const row = await app.db.db
      .selectFrom(collection.name)
      .selectAll()
      .where(sql.ref(field), '=', form.identity)
      .executeTakeFirst();
    if (row) return row;
  }
  return undefined;
}

/**
 * Authenticates with an identity and a password (API.md §4). Unknown identities and wrong
 * passwords get the same answer after the same work, so neither reveals that an account exists;
 * both count as failures for the login throttle, which answers 429 before any lookup or hashing
 * once the identity or the client IP has used its failures (settings `authThrottle`).
 */
export async function authWithPassword(
  app: App,
  collectionIdOrName: string,
  body: unknown,
  attempt: AuthAttempt,
): Promise<AuthResult> {
  const collection = requireAuthCollection(app, collectionIdOrName);
  if (!collection.passwordAuth.enabled) throw new ApiError('password_auth_disabled');
  const form = readForm(collection, body);
  const signedIn = app.loginThrottle.admit(app.settings.peek().authThrottle, {
    ip: attempt.ip,
    identity: { collectionId: collection.id, text: form.identity },
  });
  const record = await findByIdentity(app, collection, form);
  const ok = record
    ? await verifyPassword(form.password, rowText(record, 'password'))
    : await verifyAgainstDummy(form.password);
  if (!record || !ok) throw new ApiError('auth_failed');
  signedIn();
  return finishAuth(app, collection, record, 'password', attempt);
}
