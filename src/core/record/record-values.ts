import type { Collection } from '../collection/collection-model.js';
import type { FieldValue } from '../field/field-value-cast.js';
import { fromStoredValue, toStoredValue, valueToJson } from '../field/field-value-store.js';
import type { RecordRow } from './record-model.js';

/** A record's values in typed form, by field name. */
export type RecordValues = Map<string, FieldValue>;

/** Reads a stored row into typed values. */
export function valuesFromRow(collection: Collection, row: RecordRow): RecordValues {
  return new Map(collection.fields.map((f) => [f.name, fromStoredValue(f, row[f.name])]));
}

/** Converts typed values into the stored row (every field of the collection). */
export function rowFromValues(collection: Collection, values: RecordValues): RecordRow {
  const row: RecordRow = {};
  for (const f of collection.fields) row[f.name] = toStoredValue(f, values.get(f.name));
  return row;
}

/** The values as `@request.body`-style JSON: single select/relation/file as strings. */
export function valuesToJson(
  collection: Collection,
  values: RecordValues,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of collection.fields)
    if (values.has(f.name)) out[f.name] = valueToJson(f, values.get(f.name));
  return out;
}
