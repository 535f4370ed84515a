import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import { valueToJson } from '../field/field-value-store.js';
import { RecordEnrichEvent } from '../hooks/record-event.js';
import { RecordModel } from './record.js';
import type { RecordJson, RecordRow } from './record-model.js';
import type { RecordRequest } from './record-request.js';

/**
 * Runs onRecordEnrich for each record about to be sent (REST, realtime, expand, batch, auth
 * answers) and applies what handlers did to its JSON: fields they set show the new value,
 * custom data is added, hidden names are removed and unhidden fields shown. Without a
 * handler it does nothing.
 */
export async function enrichRecordsJson(
  app: App,
  collection: Collection,
  rows: readonly RecordRow[],
  json: readonly RecordJson[],
  request: RecordRequest | undefined,
): Promise<void> {
  const hook = app.hooks.onRecordEnrich;
  if (hook.length === 0) return;
  for (const [i, row] of rows.entries()) {
    const out = json[i];
    if (!out) continue;
    const event = new RecordEnrichEvent(app, RecordModel.fromRow(collection, row), request);
    await hook.trigger(event);
    const record = event.record;
    for (const f of collection.fields) {
      if (record.changed.has(f.name) || event.unhidden.has(f.name)) {
        out[f.name] = valueToJson(f, record.get(f.name));
      }
    }
    for (const [name, value] of record.custom) out[name] = value;
    for (const name of event.hidden) Reflect.deleteProperty(out, name);
  }
}
