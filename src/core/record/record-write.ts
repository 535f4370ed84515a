import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import { isSuperuser } from '../auth/auth-context.js';
import { authIdHolder } from '../auth/auth-ids.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError, type ErrorData } from '../errors.js';
import { checkAuthWrite } from './record-auth-form.js';
import { newRecordPasses, storedRecordPasses } from './record-access.js';
import { newRow } from './record-defaults.js';
import { assertIfMatch } from './record-etag.js';
import { readRecordInput } from './record-input.js';
import type { RecordRow } from './record-model.js';
import { rowText } from './record-model.js';
import {
  keptUploadChecks,
  prepareUploads,
  storeRecordFiles,
  type WriteUploads,
} from './record-files.js';
import { prepareWrite } from './record-prepare.js';
import { writableCollection } from './record-write-gate.js';
import type { UploadedFile } from '../files/uploaded-file.js';
import { INVALID_AUTH_ID, saveInsert, saveUpdate } from './record-save.js';
import { findRecordRowForUpdate } from './record-read.js';
import { toRuleRequest, type RecordRequest } from './record-request.js';
import { valuesFromRow } from './record-values.js';
import { fieldError } from '../validation-errors.js';

/** Manage access (API.md §3.3): superusers, or the auth collection's manageRule passes. */
async function manageAccess(
  collection: Collection,
  superuser: boolean,
  passes: (rule: string) => Promise<boolean>,
): Promise<boolean> {
  if (superuser) return true;
  return (
    collection.type === 'auth' && collection.manageRule !== null && passes(collection.manageRule)
  );
}

function merge(...parts: ErrorData[]): ErrorData {
  return Object.assign({}, ...parts.reverse()) as ErrorData;
}

/** How a create or update runs: inside an outer transaction (batch), with uploaded files. */
export interface WriteOptions {
  readonly scope?: TxScope;
  readonly files?: readonly UploadedFile[];
}

function newFileNames(files: WriteUploads): ReadonlySet<string> {
  return new Set(files.pending.keys());
}

/**
 * Creates a record (API.md §1.3): reads and casts the body, validates every field, checks the
 * createRule against the would-be record, and inserts, in one transaction. Returns the stored row.
 */
export async function createRecord(
  app: App,
  idOrName: string,
  body: unknown,
  request: RecordRequest,
  options: WriteOptions = {},
): Promise<{ collection: Collection; row: RecordRow }> {
  const collection = writableCollection(app, idOrName, 'create', request);
  const superuser = isSuperuser(request.auth);
  const files = await prepareUploads(collection, body, options.files);
  const oneWrite = insertIsOnlyWrite(app, collection, files);
  const run = <T>(fn: (scope: TxScope) => Promise<T>) =>
    app.transaction(fn, { outer: options.scope, oneWrite });
  return run(async (scope) => {
    const current = valuesFromRow(collection, newRow(collection));
    const input = readRecordInput(collection, files.body, current, superuser, newFileNames(files));
    const ruleRequest = toRuleRequest(request, input.requestBody);
    const prepared = await prepareWrite(
      scope.db,
      (id) => app.collections.findById(id),
      collection,
      input,
      current,
      true,
    );
    const manage = await manageAccess(collection, superuser, (rule) =>
      newRecordPasses(app, scope.db, collection, prepared.row, rule, ruleRequest),
    );
    const auth = await checkAuthWrite(collection, input, current, prepared.values, {
      creating: true,
      manage,
      storedHash: '',
    });
    const uploads = keptUploadChecks(files, prepared.values);
    const idErrors = await authIdErrors(scope, collection, prepared.row);
    const errors = merge(prepared.errors, idErrors, auth.errors, uploads.errors);
    if (Object.keys(errors).length > 0) throw new ApiError('record_create_failed', errors);
    const rule = collection.createRule ?? '';
    if (
      !superuser &&
      !(await newRecordPasses(app, scope.db, collection, prepared.row, rule, ruleRequest))
    ) {
      throw new ApiError('record_create_failed');
    }
    const row = await saveInsert(app, scope, collection, prepared.row, { request });
    const id = rowText(row, 'id');
    await storeRecordFiles(app, scope, collection, id, uploads.uploads, current, prepared.values);
    return { collection, row };
  });
}

/**
 * Whether a create's INSERT is its one write (no record hooks, no uploaded files to store
 * before it, no auth id to claim after it): then it needs no transaction on engines where
 * reads take no locks (see TransactionOptions.oneWrite).
 */
function insertIsOnlyWrite(app: App, collection: Collection, files: WriteUploads): boolean {
  return !app.hooks.recordWritesHooked && collection.type !== 'auth' && files.pending.size === 0;
}

/** An auth record's id held by a record of another auth collection (API.md §1.2). */
async function authIdErrors(
  scope: TxScope,
  collection: Collection,
  row: RecordRow,
): Promise<ErrorData> {
  if (collection.type !== 'auth' || row.id === undefined) return {};
  const holder = await authIdHolder(scope.db, rowText(row, 'id'));
  return holder !== undefined && holder !== collection.id ? INVALID_AUTH_ID : {};
}

/**
 * Updates a record (API.md §1.3): the updateRule is checked against the stored record (the
 * new values visible as `@request.body`), modifiers apply to the values read inside the
 * transaction, so concurrent `views+` updates are never lost.
 */
export async function updateRecord(
  app: App,
  idOrName: string,
  id: string,
  body: unknown,
  request: RecordRequest,
  options: WriteOptions = {},
): Promise<{ collection: Collection; row: RecordRow }> {
  const collection = writableCollection(app, idOrName, 'update', request);
  const superuser = isSuperuser(request.auth);
  const files = await prepareUploads(collection, body, options.files);
  return app.transaction(async (scope) => {
    const stored = await findRecordRowForUpdate(scope.db, app.db.dialect, collection, id);
    if (!stored) throw new ApiError('not_found');
    const current = valuesFromRow(collection, stored);
    const input = readRecordInput(collection, files.body, current, superuser, newFileNames(files));
    const ruleRequest = toRuleRequest(request, input.requestBody);
    if (
      !superuser &&
      !(await storedRecordPasses(
        app,
        scope.db,
        collection,
        id,
        collection.updateRule ?? '',
        ruleRequest,
      ))
    ) {
      throw new ApiError('not_found');
    }
    // After the rule (no version leaks to who may not update), before validation.
    assertIfMatch(app, collection, stored, request.ifMatch);
    const pkError: ErrorData =
      input.values.has('id') && input.values.get('id') !== id
        ? { id: fieldError('validation_pk_change') }
        : {};
    input.values.delete('id');
    const prepared = await prepareWrite(
      scope.db,
      (cid) => app.collections.findById(cid),
      collection,
      input,
      current,
      false,
    );
    const manage = await manageAccess(collection, superuser, (rule) =>
      storedRecordPasses(app, scope.db, collection, id, rule, ruleRequest),
    );
    const auth = await checkAuthWrite(collection, input, current, prepared.values, {
      creating: false,
      manage,
      storedHash: rowText(stored, 'password'),
    });
    const uploads = keptUploadChecks(files, prepared.values);
    const errors = merge(pkError, prepared.errors, auth.errors, uploads.errors);
    if (Object.keys(errors).length > 0) throw new ApiError('record_update_failed', errors);
    const row = auth.newTokenKey ? { ...prepared.row, tokenKey: auth.newTokenKey } : prepared.row;
    const changes = Object.fromEntries(
      Object.entries(row).filter(
        ([k]) => prepared.changed.has(k) || (k === 'tokenKey' && auth.newTokenKey !== undefined),
      ),
    );
    const saved = await saveUpdate(app, scope, collection, { ...row, id }, changes, {
      request,
      original: stored,
    });
    await storeRecordFiles(app, scope, collection, id, uploads.uploads, current, prepared.values);
    return { collection, row: saved };
  }, options.scope);
}
