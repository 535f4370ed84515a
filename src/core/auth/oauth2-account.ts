import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import type { TxScope } from '../../db/transaction.js';
import { randomString } from '../../lib/security/random.js';
import type { App } from '../app.js';
import { findField, SUPERUSERS, type AuthCollection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import type { OAuth2User } from '../oauth2/oauth2-user.js';
import { findRecordRow, findRecordRowForUpdate } from '../record/record-read.js';
import { rowText, type RecordRow } from '../record/record-model.js';
import { withContext, type RecordRequest } from '../record/record-request.js';
import { valuesFromRow } from '../record/record-values.js';
import { createRecord } from '../record/record-write.js';
import { findByEmail } from './account-mail.js';
import { applyAccountChange } from './account-update.js';
import { AUTH_SYSTEM_COLLECTIONS, insertAuthRow } from './auth-system-records.js';
import { downloadAvatar } from './oauth2-avatar.js';
import type { OAuth2Form } from './oauth2-form.js';
import type { UploadedFile } from '../files/uploaded-file.js';

/** The record an OAuth2 sign-in ends on, and whether the sign-in created it. */
export interface OAuth2Account {
  readonly record: RecordRow;
  readonly isNew: boolean;
}

/** How an existing record was found. */
type FoundBy = 'link' | 'current' | 'email';

/** Whether the provider vouches for `email` being the user's own (case-insensitive). */
function vouchesFor(user: OAuth2User, email: string): boolean {
  return (
    user.emailVerified && user.email !== '' && user.email.toLowerCase() === email.toLowerCase()
  );
}

function isVerified(collection: AuthCollection, row: RecordRow): boolean {
  return valuesFromRow(collection, row).get('verified') === true;
}

async function lockRecord(
  app: App,
  scope: TxScope,
  collection: AuthCollection,
  id: string,
): Promise<RecordRow> {
  const row = await findRecordRowForUpdate(scope.db, app.db.dialect, collection, id);
  if (!row) throw new ApiError('auth_failed');
  return row;
}

/**
 * The existing record of the sign-in, in PocketBase's order: the one already linked to this
 * provider account; else the record the request is signed in as (linking a provider to the
 * current account); else the record with the same email, but only when the provider vouches
 * for that email (see the providers' `emailVerified`).
 */
async function findExisting(
  app: App,
  exec: Executor,
  load: (id: string) => Promise<RecordRow>,
  collection: AuthCollection,
  provider: string,
  user: OAuth2User,
  request: RecordRequest,
): Promise<{ record: RecordRow; by: FoundBy; linked: boolean } | undefined> {
  const link = await exec
    .selectFrom(AUTH_SYSTEM_COLLECTIONS.externalAuths.name)
    .select(sql<string>`${sql.ref('recordRef')}`.as('recordRef'))
    .where(sql.ref('collectionRef'), '=', collection.id)
    .where(sql.ref('provider'), '=', provider)
    .where(sql.ref('providerId'), '=', user.id)
    .executeTakeFirst();
  if (link) {
    return { record: await load(link.recordRef), by: 'link', linked: true };
  }
  const auth = request.auth;
  if (auth?.collection.id === collection.id) {
    const id = rowText(auth.record, 'id');
    return { record: await load(id), by: 'current', linked: false };
  }
  if (!user.emailVerified || user.email === '') return undefined;
  const byEmail = await findByEmail(app, collection, user.email, exec);
  if (!byEmail) return undefined;
  return { record: await load(rowText(byEmail, 'id')), by: 'email', linked: false };
}

/**
 * Brings an existing record in line with the provider's word: a record found by its email
 * that was never verified gets a random password and a new tokenKey (whoever registered the
 * address before, and chose that password, is locked out); an empty email takes the
 * provider's vouched one; the record becomes verified when its email is empty or vouched for.
 */
async function updateExisting(
  app: App,
  scope: TxScope,
  collection: AuthCollection,
  found: { record: RecordRow; by: FoundBy },
  user: OAuth2User,
): Promise<void> {
  const { record, by } = found;
  let email = rowText(record, 'email');
  const verified = isVerified(collection, record);
  const values: Record<string, unknown> = {};
  const resetPassword = by === 'email' && email !== '' && !verified;
  if (resetPassword) values.password = randomString(30);
  if (email === '' && user.emailVerified && user.email !== '') {
    values.email = user.email;
    email = user.email;
  }
  if (!verified && (email === '' || vouchesFor(user, email))) values.verified = true;
  if (Object.keys(values).length === 0) return;
  await applyAccountChange(app, scope, collection, record, {
    values,
    rotateTokenKey: resetPassword,
  });
}

/** The create body of a new account: `createData`, the email and the mapped fields. */
function createBody(collection: AuthCollection, form: OAuth2Form, user: OAuth2User) {
  const body: Record<string, unknown> = { ...form.createData };
  const submittedEmail = body.email;
  if (typeof submittedEmail !== 'string' || submittedEmail === '') body.email = user.email;
  const mapped = collection.oauth2.mappedFields;
  const assign = (field: string, value: string) => {
    if (field !== '' && value !== '' && !(field in body)) body[field] = value;
  };
  assign(mapped.id, user.id);
  if (mapped.name !== '' && !(mapped.name in body)) body[mapped.name] = user.name;
  assign(mapped.username, user.username);
  // A file field gets the downloaded avatar (see downloadAvatar), a text or url field the URL.
  if (findField(collection, mapped.avatarURL)?.type !== 'file') {
    assign(mapped.avatarURL, user.avatarURL);
  }
  if (!('password' in body)) {
    const password = randomString(30);
    body.password = password;
    body.passwordConfirm = password;
  }
  return body;
}

/**
 * Creates the account through the records API's create path (createRule and validation apply,
 * `@request.context = "oauth2"`); refused for superusers. It is verified when its email is the
 * one the provider vouches for (or both are empty).
 */
async function createAccount(
  app: App,
  scope: TxScope,
  collection: AuthCollection,
  form: OAuth2Form,
  user: OAuth2User,
  request: RecordRequest,
  avatar: UploadedFile | undefined,
): Promise<RecordRow> {
  if (collection.id === SUPERUSERS.id) throw new ApiError('auth_failed');
  const body = createBody(collection, form, user);
  const { row } = await createRecord(app, collection.id, body, withContext(request, 'oauth2'), {
    scope,
    files: avatar ? [avatar] : [],
  });
  const email = rowText(row, 'email');
  const matches = (email === '' && user.email === '') || vouchesFor(user, email);
  if (matches && !isVerified(collection, row)) {
    await applyAccountChange(app, scope, collection, row, {
      values: { verified: true },
      rotateTokenKey: false,
    });
  }
  return row;
}

/**
 * Finds, updates or creates the record of an OAuth2 sign-in and links it to the provider
 * account, all in one transaction: nothing is written when any step fails.
 */
export async function signInAccount(
  app: App,
  collection: AuthCollection,
  form: OAuth2Form,
  user: OAuth2User,
  request: RecordRequest,
): Promise<OAuth2Account> {
  // A new account may get the user's avatar: downloaded before the transaction, never in it.
  const load = async (id: string): Promise<RecordRow> => {
    const row = await findRecordRow(app.db.db, collection, id);
    if (!row) throw new ApiError('auth_failed');
    return row;
  };
  const existing = await findExisting(
    app,
    app.db.db,
    load,
    collection,
    form.provider,
    user,
    request,
  );
  const avatar = existing ? undefined : await downloadAvatar(collection, user);
  return app.transaction(async (scope) => {
    const lock = (id: string) => lockRecord(app, scope, collection, id);
    const found = await findExisting(app, scope.db, lock, collection, form.provider, user, request);
    let id: string;
    if (found) {
      await updateExisting(app, scope, collection, found, user);
      id = rowText(found.record, 'id');
    } else {
      const created = await createAccount(app, scope, collection, form, user, request, avatar);
      id = rowText(created, 'id');
    }
    if (!found?.linked) {
      const ref = { collectionRef: collection.id, recordRef: id };
      try {
        const values = { provider: form.provider, providerId: user.id };
        await insertAuthRow(app, scope, 'externalAuths', ref, values, 'auth_failed');
      } catch (error) {
        // Another account of this provider is linked already, or a concurrent sign-in won.
        if (error instanceof ApiError && error.code === 'auth_failed') {
          throw new ApiError('auth_failed');
        }
        throw error;
      }
    }
    return { record: await lockRecord(app, scope, collection, id), isNew: !found };
  });
}
