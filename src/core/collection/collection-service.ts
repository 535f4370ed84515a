import { ambientScope } from '../../db/ambient-transaction.js';
import { sql } from 'kysely';
import type { TxScope } from '../../db/transaction.js';
import { deleteStoredRecord } from '../record/record-delete.js';
import {
  dropRemovedFileFields,
  filesOfLeavingFields,
  type FieldFiles,
} from '../record/record-files.js';
import { deleteAuthStateOf } from '../auth/auth-system-records.js';
import { collectionPrefix } from '../files/file-keys.js';
import type { App } from '../app.js';
import { CollectionEvent, type CollectionChangeSource } from '../hooks/collection-event.js';
import { SchemaChangeInTransactionError } from './schema-gate.js';
import { noTimeLimit } from '../transaction-call.js';
import { ApiError, type ErrorCode } from '../errors.js';
import { sealClientSecrets } from '../oauth2/client-secrets.js';
import { fieldError } from '../validation-errors.js';
import type { Collection } from './collection-model.js';
import { findCollectionIn, ruleChecker } from './collection-rule-check.js';
import {
  createCollectionTable,
  dropCollectionTable,
  syncCollectionTable,
} from './collection-schema-sync.js';
import {
  deleteCollectionRow,
  insertCollection,
  loadCollections,
  updateCollection as updateCollectionRow,
} from './collection-store.js';
import { validateCollection } from './collection-validate.js';
import { viewBuildRefusal, withViewsRebuilt } from './view-build.js';

/** Options of collection changes. */
export interface ChangeOptions {
  /** Basalt's own migrations may create system collections and fields. */
  readonly trusted?: boolean;
  /** Join this transaction instead of starting one. */
  readonly scope?: TxScope;
  /** Ids of collections deleted in the same change, whose references do not block a delete. */
  readonly alsoDeleting?: ReadonlySet<string>;
  /**
   * The files of fields an update may drop, read before `scope` began (see
   * filesOfLeavingFields); without it, an update inside an outer scope leaves them behind.
   */
  readonly leavingFiles?: FieldFiles;
  /** Who makes the change, as the onCollectionAfter*Success hooks report it (default `hook`). */
  readonly source?: CollectionChangeSource;
}

/** Refuses a table name that a table or view Basalt does not own already uses. */
async function assertTableFree(
  app: App,
  scope: TxScope,
  name: string,
  failCode: ErrorCode,
): Promise<void> {
  const taken = [...(await app.db.listTables(scope.db)), ...(await app.db.listViews(scope.db))];
  if (taken.some((t) => t.toLowerCase() === name.toLowerCase())) {
    throw new ApiError(failCode, { name: fieldError('validation_collection_name_exists') });
  }
}

/**
 * Queues the registry reload that makes a committed change visible to requests. Inside a
 * migration's transaction the registry is also reloaded at once from the transaction, so that
 * the migration's next steps (its record writes) see the change; the runner reloads it again
 * from the database when the migration rolls back.
 */
async function reloadAfterCommit(app: App, scope: TxScope): Promise<void> {
  if (app.schemaGate.allowsChangesIn(scope)) await app.collections.reload(scope.db);
  scope.afterCommit(() => app.collections.reload(app.db.db));
}

type CollectionHookName =
  | 'onCollectionAfterCreateSuccess'
  | 'onCollectionAfterUpdateSuccess'
  | 'onCollectionAfterDeleteSuccess';

/** Queues a collection hook to run after the outermost commit (after the registry reload). */
function afterCommitHook(
  app: App,
  scope: TxScope,
  name: CollectionHookName,
  options: ChangeOptions,
  collection: Collection,
  original?: Collection,
): void {
  if (app.hooks[name].length === 0) return;
  const event = new CollectionEvent(app, collection, original, options.source ?? 'hook');
  scope.afterCommit(() => app.hooks[name].trigger(event));
}

/**
 * Runs a collection change holding the schema gate alone, through its commit and the registry
 * reload, so that no record request runs against half of it; a change inside an outer scope
 * runs in its caller's hold, and so does one inside a migration's transaction (the runner
 * holds the gate). From any other transaction it throws SchemaChangeInTransactionError: the
 * change would wait for itself.
 */
export function changing<T>(app: App, options: ChangeOptions, fn: () => Promise<T>): Promise<T> {
  if (options.scope) return fn();
  const ambient = ambientScope(app.db.db);
  if (ambient) {
    if (app.schemaGate.allowsChangesIn(ambient)) return fn();
    throw new SchemaChangeInTransactionError();
  }
  return app.schemaGate.exclusive(fn);
}

/**
 * Runs a change of the collection `subjectId` (or of collections a view reads) with the SQL
 * views rebuilt around it (see withViewsRebuilt). A view that no longer builds refuses the
 * change: with its field errors when it is the collection being saved, else with a message
 * naming it.
 */
async function rebuildingViews<T>(
  app: App,
  scope: TxScope,
  subjectId: string,
  failCode: ErrorCode,
  change: () => Promise<T>,
): Promise<T> {
  try {
    return await withViewsRebuilt(app, scope, change);
  } catch (error) {
    throw viewBuildRefusal(error, failCode, (id) => id === subjectId);
  }
}

/** The stored version of a collection just saved in `scope` (a view's fields are inferred then). */
async function reread(scope: TxScope, saved: Collection): Promise<Collection> {
  if (saved.type !== 'view') return saved;
  return findCollectionIn(await loadCollections(scope.db), saved.id) ?? saved;
}

/**
 * Creates a collection from untrusted JSON: validates it, stores its metadata and creates its
 * table and indexes, all in one transaction.
 */
export function createCollection(
  app: App,
  input: unknown,
  options: ChangeOptions = {},
): Promise<Collection> {
  return changing(app, options, () => createCollectionNow(app, input, options));
}

function createCollectionNow(
  app: App,
  input: unknown,
  options: ChangeOptions,
): Promise<Collection> {
  return app.transaction(async (scope) => {
    const existing = await loadCollections(scope.db);
    const collection = validateCollection(input, {
      existing,
      trusted: options.trusted ?? false,
      checkRule: ruleChecker(app, existing),
    });
    await assertTableFree(app, scope, collection.name, 'collection_create_failed');
    const failCode = 'collection_create_failed';
    if (collection.type === 'view') {
      await rebuildingViews(app, scope, collection.id, failCode, () =>
        insertCollection(scope.db, collection),
      );
    } else {
      await insertCollection(scope.db, sealClientSecrets(collection, app.secretBox));
      await createCollectionTable(app.db, scope.db, collection);
    }
    await reloadAfterCommit(app, scope);
    const saved = await reread(scope, collection);
    afterCommitHook(app, scope, 'onCollectionAfterCreateSuccess', options, saved);
    return saved;
  }, noTimeLimit(options.scope));
}

/**
 * Updates a collection from untrusted JSON merged over the stored definition, altering its
 * table in the same transaction as its metadata.
 */
export function updateCollection(
  app: App,
  idOrName: string,
  input: unknown,
  options: ChangeOptions = {},
): Promise<Collection> {
  return changing(app, options, () => updateCollectionNow(app, idOrName, input, options));
}

async function updateCollectionNow(
  app: App,
  idOrName: string,
  input: unknown,
  options: ChangeOptions,
): Promise<Collection> {
  const stored = app.collections.find(idOrName);
  const leavingFiles =
    options.leavingFiles ??
    (stored && !options.scope ? await filesOfLeavingFields(app, stored, input) : undefined);
  return app.transaction(async (scope) => {
    const existing = await loadCollections(scope.db);
    const old = findCollectionIn(existing, idOrName);
    if (!old) throw new ApiError('not_found');
    const next = validateCollection(input, {
      existing,
      old,
      trusted: options.trusted ?? false,
      checkRule: ruleChecker(app, existing),
    });
    if (next.name.toLowerCase() !== old.name.toLowerCase()) {
      await assertTableFree(app, scope, next.name, 'collection_update_failed');
    }
    await rebuildingViews(app, scope, next.id, 'collection_update_failed', async () => {
      await updateCollectionRow(scope.db, sealClientSecrets(next, app.secretBox));
      if (leavingFiles) dropRemovedFileFields(app, scope, leavingFiles, next);
      if (old.type !== 'view') await syncCollectionTable(app.db, scope.db, old, next);
    });
    await reloadAfterCommit(app, scope);
    const saved = await reread(scope, next);
    afterCommitHook(app, scope, 'onCollectionAfterUpdateSuccess', options, saved, old);
    return saved;
  }, noTimeLimit(options.scope));
}

/** Collections (other than `target` itself) with a relation field pointing at `target`. */
function referencingCollections(target: Collection, among: readonly Collection[]): Collection[] {
  return among.filter(
    (c) =>
      c.id !== target.id &&
      c.fields.some((f) => f.type === 'relation' && f.collectionId === target.id),
  );
}

/**
 * Loads the stored collection a delete or truncate names (404 when missing) and refuses the
 * change while another collection (outside `ignored`) still has relations pointing at it.
 */
async function loadUnreferenced(
  scope: TxScope,
  idOrName: string,
  failCode: ErrorCode,
  ignored: ReadonlySet<string> = new Set(),
): Promise<Collection> {
  const existing = await loadCollections(scope.db);
  const target = findCollectionIn(existing, idOrName);
  if (!target) throw new ApiError('not_found');
  const refs = referencingCollections(target, existing).filter((c) => !ignored.has(c.id));
  if (refs.length > 0) {
    const names = refs.map((c) => c.name).join(', ');
    throw new ApiError(failCode, {}, `The collection is referenced by: ${names}.`);
  }
  return target;
}

/** Deletes a collection and its table; refused for system collections and referenced ones. */
export function deleteCollection(
  app: App,
  idOrName: string,
  options: ChangeOptions = {},
): Promise<void> {
  return changing(app, options, () => deleteCollectionNow(app, idOrName, options));
}

function deleteCollectionNow(app: App, idOrName: string, options: ChangeOptions): Promise<void> {
  return app.transaction(async (scope) => {
    const target = await loadUnreferenced(
      scope,
      idOrName,
      'collection_delete_failed',
      options.alsoDeleting,
    );
    if (target.system) {
      throw new ApiError('collection_delete_failed', {}, 'System collections cannot be deleted.');
    }
    await rebuildingViews(app, scope, target.id, 'collection_delete_failed', async () => {
      await deleteCollectionRow(scope.db, target.id);
      if (target.type === 'view') return;
      if (target.type === 'auth') await deleteAuthStateOf(app, scope, target.id);
      scope.afterCommit(() => app.fileStorage().deletePrefix(collectionPrefix(target.id)));
      await dropCollectionTable(app.db, scope.db, target);
    });
    await reloadAfterCommit(app, scope);
    afterCommitHook(app, scope, 'onCollectionAfterDeleteSuccess', options, target);
  }, noTimeLimit(options.scope));
}

/**
 * Deletes every record of a collection as a delete of each would: cascades follow, other
 * references are cleared, and a required reference refuses the whole truncate.
 */
export function truncateCollection(app: App, idOrName: string): Promise<void> {
  // Record deletes: they hold the schema gate shared, as record requests do.
  return app.schemaGate.shared(() =>
    app.transaction(async (scope) => {
      const existing = await loadCollections(scope.db);
      const target = findCollectionIn(existing, idOrName);
      if (!target) throw new ApiError('not_found');
      if (target.type === 'view') {
        const message = "View collections cannot be truncated since they don't store records.";
        throw new ApiError('collection_truncate_failed', {}, message);
      }
      // Record by record, so that cascades and required references behave as on delete.
      const rows = await scope.db
        .selectFrom(target.name)
        .select(sql<string>`id`.as('id'))
        .execute();
      const visited = new Set<string>();
      for (const row of rows)
        await deleteStoredRecord(app, scope, target, row.id, undefined, visited);
    }, noTimeLimit()),
  );
}

/** Finds a stored collection through the registry, or throws 404. */
export function requireCollection(app: App, idOrName: string): Collection {
  const found = app.collections.find(idOrName);
  if (!found) throw new ApiError('not_found');
  return found;
}
