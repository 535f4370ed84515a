import type { DynamicRow } from '../../db/schema-types.js';
import { storedText } from '../field/field-value-store.js';

/** A record as stored: column name to database value. */
export type RecordRow = DynamicRow;

/** A record as JSON for the API. */
export type RecordJson = Record<string, unknown>;

/** Reads a column of a stored row as text ('' when missing). */
export function rowText(row: RecordRow, column: string): string {
  return storedText(row[column]);
}
