import type { Executor } from '../../db/adapter.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import { expandRecords } from './record-expand.js';
import type { RecordJson, RecordRow } from './record-model.js';
import { recordsToJson } from './record-output.js';
import type { RecordRequest } from './record-request.js';

/** Records as API JSON for one requester, with the requested relations expanded. */
export async function renderRecords(
  app: App,
  collection: Collection,
  rows: readonly RecordRow[],
  request: RecordRequest,
  expand: string | undefined,
  exec: Executor = app.db.db,
): Promise<RecordJson[]> {
  const json = await recordsToJson(app, exec, collection, rows, request);
  if (expand) await expandRecords(app, exec, collection, rows, json, expand, request);
  return json;
}
