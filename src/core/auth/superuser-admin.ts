import { sql } from 'kysely';
import { nowDateTime } from '../../lib/datetime.js';
import { hashPassword } from '../../lib/security/password.js';
import { newRecordId, randomString } from '../../lib/security/random.js';
import { isEmail } from '../../lib/text/email.js';
import type { App } from '../app.js';
import { SUPERUSERS, type AuthCollection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { newRow } from '../record/record-defaults.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';
import { deleteStoredRecord } from '../record/record-delete.js';
import { findRecordRowForUpdate } from '../record/record-read.js';
import { internalRequest } from '../record/record-request.js';
import { saveInsert, saveUpdate } from '../record/record-save.js';

/** Superuser administration runs from the CLI (or code) as trusted, rule-less writes. */
const CLI = internalRequest(undefined, 'cli');

function superusers(app: App): AuthCollection {
  const collection = app.collections.findAuth(SUPERUSERS.id);
  if (!collection)
    throw new Error('the _superusers collection is missing; the database was not migrated');
  return collection;
}

function checkCredentials(
  collection: AuthCollection,
  email: string,
  password: string | undefined,
): void {
  const errors = new ErrorCollector();
  if (!isEmail(email)) errors.add(['email'], fieldError('validation_is_email'));
  if (password !== undefined) {
    const field = collection.fields.find((f) => f.name === 'password');
    const min = field?.type === 'password' ? Math.max(field.min, 8) : 8;
    const max = field?.type === 'password' && field.max > 0 ? field.max : 71;
    if (password.length < min)
      errors.add(['password'], fieldError('validation_min_text_constraint', { min }));
    if (Buffer.byteLength(password) > max)
      errors.add(['password'], fieldError('validation_max_text_constraint', { max }));
  }
  if (errors.hasErrors) throw new ApiError('validation_failed', errors.data);
}

/** True when at least one superuser exists. */
export async function hasSuperuser(app: App): Promise<boolean> {
  const row = await app.db.db
    .selectFrom(superusers(app).name)
    .select(sql.ref('id').as('id'))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

async function findIdByEmail(app: App, email: string): Promise<string | undefined> {
  const row = await app.db.db
    .selectFrom(superusers(app).name)
    .select(sql<string>`${sql.ref('id')}`.as('id'))
    .where(sql.ref('email'), '=', email)
    .executeTakeFirst();
  return typeof row?.id === 'string' ? row.id : undefined;
}

/** Creates a superuser; fails when the email is taken. Returns the new id. */
export async function createSuperuser(app: App, email: string, password: string): Promise<string> {
  const collection = superusers(app);
  checkCredentials(collection, email, password);
  if (await findIdByEmail(app, email)) {
    throw new ApiError('validation_failed', { email: fieldError('validation_not_unique') });
  }
  const id = newRecordId();
  const row = {
    ...newRow(collection),
    id,
    email,
    password: await hashPassword(password),
    tokenKey: randomString(50),
    verified: 1,
  };
  // A random id that another auth collection's record holds is refused, never shared.
  await app.transaction((scope) =>
    saveInsert(app, scope, collection, row, { failCode: 'validation_failed', request: CLI }),
  );
  return id;
}

/** Sets a superuser's password and rotates its tokenKey, which ends all of its sessions. */
export async function setSuperuserPassword(
  app: App,
  email: string,
  password: string,
): Promise<void> {
  const collection = superusers(app);
  checkCredentials(collection, email, password);
  const id = await findIdByEmail(app, email);
  if (!id) throw new ApiError('not_found', {}, `No superuser with the email ${email}.`);
  const updated = collection.fields.some((f) => f.name === 'updated')
    ? { updated: nowDateTime() }
    : {};
  const changes = {
    password: await hashPassword(password),
    tokenKey: randomString(50),
    ...updated,
  };
  await app.transaction(async (scope) => {
    const stored = await findRecordRowForUpdate(scope.db, app.db.dialect, collection, id);
    if (stored) {
      await saveUpdate(app, scope, collection, { ...stored, ...changes }, changes, {
        original: stored,
        request: CLI,
      });
    }
  });
}

/** Creates the superuser, or sets its password when it exists. Returns true when created. */
export async function upsertSuperuser(app: App, email: string, password: string): Promise<boolean> {
  checkCredentials(superusers(app), email, password);
  if (await findIdByEmail(app, email)) {
    await setSuperuserPassword(app, email, password);
    return false;
  }
  await createSuperuser(app, email, password);
  return true;
}

/** Deletes a superuser by email. */
export async function deleteSuperuser(app: App, email: string): Promise<void> {
  const collection = superusers(app);
  checkCredentials(collection, email, undefined);
  const id = await findIdByEmail(app, email);
  if (!id) throw new ApiError('not_found', {}, `No superuser with the email ${email}.`);
  await app.transaction((scope) => deleteStoredRecord(app, scope, collection, id, CLI));
}
