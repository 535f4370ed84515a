import type { Collection } from '../collection/collection-model.js';
import type { RecordEvent } from '../hooks/record-event.js';
import type { RecordRow } from '../record/record-model.js';

/** What happened to a record. */
export type RecordAction = 'create' | 'update' | 'delete';

/** One change of a stored record as realtime delivers it: the row as stored (deletes: as it was). */
export interface RecordChange {
  readonly action: RecordAction;
  readonly collection: Collection;
  readonly row: RecordRow;
}

/** The change a record hook event reports. */
export function changeOf(action: RecordAction, e: RecordEvent): RecordChange {
  return { action, collection: e.collection, row: e.record.toRow() };
}
