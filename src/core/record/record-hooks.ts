import type { TxScope } from '../../db/transaction.js';
import type { Hook } from '../../lib/hook/index.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError, type ErrorCode } from '../errors.js';
import { RecordEvent } from '../hooks/record-event.js';
import { RecordModel } from './record.js';
import type { RecordRow } from './record-model.js';
import { prepareWrite } from './record-prepare.js';
import type { RecordRequest } from './record-request.js';

/** A record write that hooks run around. */
export type RecordWriteAction = 'create' | 'update' | 'delete';

/** The default action of a write's hook chain, and the stored row an update starts from. */
export interface HookedWrite {
  readonly original?: RecordRow;
  /** Validates and writes `event.record`; false when there was nothing to write (a delete lost a race). */
  write(event: RecordEvent): Promise<boolean>;
}

/**
 * Runs `hook` around `action`. What a handler throws answers as the write's error: an
 * ApiError as it is, anything else as a 400 with `failCode` (its cause logged with the hook's
 * name); the engine's conflicts pass unchanged so that the transaction is retried, and so do
 * errors of the action itself (the database's, the validation's).
 */
async function guardHook(
  app: App,
  event: RecordEvent,
  failCode: ErrorCode,
  hook: Hook<RecordEvent>,
  action: (event: RecordEvent) => Promise<void>,
): Promise<void> {
  if (hook.length === 0) return action(event);
  const action_: { failed: boolean; error: unknown } = { failed: false, error: undefined };
  try {
    await hook.trigger(event, async (e) => {
      try {
        await action(e);
      } catch (error) {
        action_.failed = true;
        action_.error = error;
        throw error;
      }
    });
  } catch (error) {
    if (
      (action_.failed && error === action_.error) ||
      error instanceof ApiError ||
      app.db.isTransientConflict(error)
    ) {
      throw error;
    }
    app.logger.error(
      { err: error, hook: hook.name, collection: event.collection.name, recordId: event.record.id },
      'a record hook failed',
    );
    throw new ApiError(failCode);
  }
}

/**
 * Runs a record write inside its hooks, in the write's transaction: onRecordCreate,
 * onRecordUpdate or onRecordDelete around `step.write`, and the action's after-commit
 * success hook queued for the commit (never run for a rollback or a retried attempt).
 */
export async function runRecordHooks(
  app: App,
  scope: TxScope,
  action: RecordWriteAction,
  collection: Collection,
  row: RecordRow,
  request: RecordRequest | undefined,
  failCode: ErrorCode,
  step: HookedWrite,
): Promise<void> {
  const hooks = app.hooks;
  const record = RecordModel.fromRow(collection, row, {
    isNew: action === 'create',
    ...(step.original ? { original: step.original } : {}),
  });
  const event = new RecordEvent(app, record, request, scope, request?.source ?? 'api');
  const [around, success] =
    action === 'create'
      ? [hooks.onRecordCreate, hooks.onRecordAfterCreateSuccess]
      : action === 'update'
        ? [hooks.onRecordUpdate, hooks.onRecordAfterUpdateSuccess]
        : [hooks.onRecordDelete, hooks.onRecordAfterDeleteSuccess];
  const outcome = { written: false };
  await guardHook(app, event, failCode, around, async (e) => {
    outcome.written = await step.write(e);
  });
  if (outcome.written && success.length > 0) scope.afterCommit(() => success.trigger(event));
}

/**
 * onRecordValidate, then the validation of what handlers changed on the record (field
 * values cast by `record.set`, relation targets, unique indexes, password hashing) as a
 * REST write validates a body. Returns the row to store and the fields that changed, or
 * undefined when handlers changed nothing.
 */
export async function validateHookChanges(
  app: App,
  scope: TxScope,
  event: RecordEvent,
  failCode: ErrorCode,
): Promise<{ row: RecordRow; changed: ReadonlySet<string> } | undefined> {
  let result: { row: RecordRow; changed: ReadonlySet<string> } | undefined;
  await guardHook(app, event, failCode, app.hooks.onRecordValidate, async (e) => {
    const record = e.record;
    if (record.changed.size === 0) return;
    const values = new Map([...record.changed].map((name) => [name, record.get(name)]));
    const prepared = await prepareWrite(
      scope.db,
      (id) => app.collections.findById(id),
      record.collection,
      { values, requestBody: {}, extras: {}, newFiles: new Set() },
      record.beforeChanges(),
      false,
    );
    if (Object.keys(prepared.errors).length > 0) throw new ApiError(failCode, prepared.errors);
    record.adopt(prepared.values);
    record.markSynced();
    result = { row: prepared.row, changed: prepared.changed };
  });
  return result;
}
