import type { Executor } from '../../db/adapter.js';
import type { CollectionsTable } from '../../db/schema-types.js';
import type { Field } from '../field/field-model.js';
import type { IdempotencyMode } from '../idempotency/idempotency-key.js';
import type { AuthOptions, Collection } from './collection-model.js';

// The JSON columns below were written by Basalt after validation, so their types are trusted
// when they are read back; these are the only places that assert them.

/** The `idempotency` option when set (Basalt only). */
function idempotencyOf(c: Collection): { idempotency?: IdempotencyMode } {
  return c.idempotency === undefined ? {} : { idempotency: c.idempotency };
}

function optionsOf(
  c: Collection,
): AuthOptions | { viewQuery: string } | { idempotency?: IdempotencyMode } {
  if (c.type === 'view') return { viewQuery: c.viewQuery };
  if (c.type !== 'auth') return idempotencyOf(c);
  const { authRule, manageRule, authAlert, oauth2, passwordAuth, mfa, otp } = c;
  const { authToken, passwordResetToken, emailChangeToken, verificationToken, fileToken } = c;
  const { verificationTemplate, resetPasswordTemplate, confirmEmailChangeTemplate } = c;
  return {
    authRule,
    manageRule,
    authAlert,
    oauth2,
    passwordAuth,
    mfa,
    otp,
    authToken,
    passwordResetToken,
    emailChangeToken,
    verificationToken,
    fileToken,
    verificationTemplate,
    resetPasswordTemplate,
    confirmEmailChangeTemplate,
    ...idempotencyOf(c),
  };
}

/** The `_collections` row of a collection. */
export function collectionToRow(c: Collection): CollectionsTable {
  return {
    id: c.id,
    name: c.name,
    type: c.type,
    system: c.system ? 1 : 0,
    fields: JSON.stringify(c.fields),
    indexes: JSON.stringify(c.indexes),
    listRule: c.listRule,
    viewRule: c.viewRule,
    createRule: c.createRule,
    updateRule: c.updateRule,
    deleteRule: c.deleteRule,
    options: JSON.stringify(optionsOf(c)),
    created: c.created,
    updated: c.updated,
  };
}

/** The collection a `_collections` row stores. */
export function collectionFromRow(row: CollectionsTable): Collection {
  const common = {
    id: row.id,
    name: row.name,
    system: Boolean(row.system),
    fields: JSON.parse(row.fields) as Field[],
    indexes: JSON.parse(row.indexes) as string[],
    listRule: row.listRule,
    viewRule: row.viewRule,
    createRule: row.createRule,
    updateRule: row.updateRule,
    deleteRule: row.deleteRule,
    created: row.created,
    updated: row.updated,
  };
  if (row.type === 'auth') {
    return { ...common, ...(JSON.parse(row.options) as AuthOptions), type: 'auth' };
  }
  if (row.type === 'view') {
    const { viewQuery } = JSON.parse(row.options) as { viewQuery: string };
    return { ...common, type: 'view', viewQuery };
  }
  const { idempotency } = JSON.parse(row.options) as { idempotency?: IdempotencyMode };
  return { ...common, ...(idempotency === undefined ? {} : { idempotency }), type: 'base' };
}

/** Every stored collection, in creation order. */
export async function loadCollections(exec: Executor): Promise<Collection[]> {
  const rows = await exec
    .selectFrom('_collections')
    .selectAll()
    .orderBy('created')
    .orderBy('name')
    .execute();
  return rows.map(collectionFromRow);
}

/** Inserts a new collection's metadata. */
export async function insertCollection(exec: Executor, c: Collection): Promise<void> {
  await exec.insertInto('_collections').values(collectionToRow(c)).execute();
}

/** Replaces a collection's metadata. */
export async function updateCollection(exec: Executor, c: Collection): Promise<void> {
  await exec.updateTable('_collections').set(collectionToRow(c)).where('id', '=', c.id).execute();
}

/** Removes a collection's metadata. */
export async function deleteCollectionRow(exec: Executor, id: string): Promise<void> {
  await exec.deleteFrom('_collections').where('id', '=', id).execute();
}
