import type { DynamicRow } from '../../db/schema-types.js';

/** A record as stored: column name to database value. */
export type RecordRow = DynamicRow;

/** A record as JSON for the API. */
export type RecordJson = Record<string, unknown>;

/** Reads a column of a stored row as text ('' when missing). */
export function rowText(row: RecordRow, column: string): string {
  return storedText(row[column]);
}

/** A stored scalar as text: strings as they are, null as '', numbers and others as JSON. */
export function storedText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(value);
}
