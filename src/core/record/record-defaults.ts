import { nowDateTime } from '../../lib/datetime.js';
import type { Collection } from '../collection/collection-model.js';
import type { Field } from '../field/field-model.js';
import { toStoredValue } from '../field/field-value-store.js';
import type { RecordRow } from './record-model.js';

/** The stored value of a field that was never set: its type's stored form of no value. */
export function emptyStoredValue(field: Field): unknown {
  return toStoredValue(field, undefined);
}

/** A new row with every column at its empty value and autodate fields set for a create. */
export function newRow(collection: Collection): RecordRow {
  const now = nowDateTime();
  const row: RecordRow = {};
  for (const field of collection.fields) {
    row[field.name] = field.type === 'autodate' && field.onCreate ? now : emptyStoredValue(field);
  }
  return row;
}

/** Sets the autodate fields that change on update. */
export function touchRow(collection: Collection, row: RecordRow): RecordRow {
  const now = nowDateTime();
  const out = { ...row };
  for (const field of collection.fields) {
    if (field.type === 'autodate' && field.onUpdate) out[field.name] = now;
  }
  return out;
}
