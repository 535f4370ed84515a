import type { DynamicRow } from '../../db/schema-types.js';

/** A record as stored: column name to database value. */
export type RecordRow = DynamicRow;

/** A record as JSON for the API. */
export type RecordJson = Record<string, unknown>;

/** Reads a column of a stored row as text ('' when missing). */
export function rowText(row: RecordRow, column: string): string {
  const value = row[column];
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}
