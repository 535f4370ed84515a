import { sql } from 'kysely';
import type { TxScope } from '../../db/transaction.js';
import { applyFieldsProjection, FieldsParamError, parseFieldsParam } from '../../lib/json/index.js';
import type { App } from '../app.js';
import type { AuthContext } from '../auth/auth-context.js';
import { ApiError, type ErrorData } from '../errors.js';
import type { UploadedFile } from '../files/uploaded-file.js';
import type { Settings } from '../settings/settings-model.js';
import { deleteRecord } from '../record/record-delete.js';
import { renderRecords } from '../record/record-render.js';
import type { RecordRequest } from '../record/record-request.js';
import { createRecord, updateRecord } from '../record/record-write.js';
import { bodyId, readBatchInput, recordsUrl, type BatchItem } from './batch-input.js';
import { lockBatchTargets } from './batch-locks.js';

/** One sub-response: the status and the body the same request would get on its own. */
export interface BatchResult {
  readonly status: number;
  readonly body: unknown;
}

async function runOne(
  app: App,
  scope: TxScope,
  item: BatchItem,
  auth: AuthContext | undefined,
): Promise<BatchResult> {
  const target = recordsUrl(item.url);
  if (!target || item.method === 'GET') throw new ApiError('not_found');
  const { collection, id, query } = target;
  const request: RecordRequest = {
    source: 'batch',
    auth,
    method: item.method,
    headers: item.headers,
    query,
    context: 'batch',
    ifMatch: item.headers.if_match,
  };
  if (item.method === 'DELETE' && id) {
    await deleteRecord(app, collection, id, request, scope);
    return { status: 204, body: null };
  }
  let written;
  if (item.method === 'POST' && !id)
    written = await createRecord(app, collection, item.body, request, { scope, files: item.files });
  else if (item.method === 'PATCH' && id)
    written = await updateRecord(app, collection, id, item.body, request, {
      scope,
      files: item.files,
    });
  else if (item.method === 'PUT' && !id)
    written = await upsert(app, scope, collection, item, request);
  else throw new ApiError('not_found');
  const [json] = await renderRecords(
    app,
    written.collection,
    [written.row],
    request,
    query.expand,
    scope.db,
  );
  return { status: 200, body: project(json, query.fields) };
}

/** PUT is an upsert: update when `body.id` names an existing record, else create. */
async function upsert(
  app: App,
  scope: TxScope,
  collection: string,
  item: BatchItem,
  request: RecordRequest,
) {
  const { body } = item;
  const options = { scope, files: item.files };
  const id = bodyId(body);
  const target = app.collections.find(collection);
  if (id && target) {
    const found = await scope.db
      .selectFrom(target.name)
      .select(sql<string>`id`.as('id'))
      .where(sql.ref('id'), '=', id)
      .executeTakeFirst();
    if (found) return updateRecord(app, collection, id, body, request, options);
  }
  // If-Match needs a current record (RFC 9110 §13.1.1): with one, an upsert only updates.
  if (request.ifMatch !== undefined) throw new ApiError('precondition_failed');
  return createRecord(app, collection, body, request, options);
}

function project(json: unknown, fields: string | undefined): unknown {
  if (!fields) return json;
  try {
    return applyFieldsProjection(json, parseFieldsParam(fields));
  } catch (error) {
    if (error instanceof FieldsParamError) throw new ApiError('bad_request', {}, error.message);
    throw error;
  }
}

function failure(index: number, error: ApiError | undefined): ApiError {
  const data: ErrorData = {};
  if (error) {
    const response = { data: error.data, message: error.message, status: error.status };
    data.requests = {
      [String(index)]: { code: 'batch_request_failed', message: 'Batch request failed.', response },
    };
  }
  return new ApiError('bad_request', data, 'Batch transaction failed.');
}

/**
 * The batch settings, or 403 "Batch requests are not allowed." while batches are off: decided
 * before the body is read (API.md §7).
 */
export function enabledBatchSettings(app: App): Readonly<Settings['batch']> {
  const settings = app.settings.peek().batch;
  if (!settings.enabled) throw new ApiError('forbidden', {}, 'Batch requests are not allowed.');
  return settings;
}

/**
 * Runs a batch (API.md §7): the record writes run in order in ONE transaction with the
 * batch's auth; the first failure, or the timeout, rolls everything back. Realtime events and
 * other after-commit work happen only once the whole batch has committed.
 */
export async function runBatch(
  app: App,
  body: unknown,
  auth: AuthContext | undefined,
  uploads: readonly UploadedFile[] = [],
): Promise<BatchResult[]> {
  const settings = enabledBatchSettings(app);
  const items = readBatchInput(body, settings.maxRequests, uploads);
  const deadline = Date.now() + settings.timeout * 1000;
  return app.transaction(async (scope) => {
    await lockBatchTargets(app, scope, items);
    const results: BatchResult[] = [];
    for (const [i, item] of items.entries()) {
      if (Date.now() > deadline) throw failure(i, undefined);
      try {
        results.push(await runOne(app, scope, item, auth));
      } catch (error) {
        if (error instanceof ApiError) throw failure(i, error);
        throw error;
      }
    }
    return results;
  });
}
