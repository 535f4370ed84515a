import type { ValidationCode } from '../validation-errors.js';

// The casts that several field types share, for the field type definitions and the cast
// dispatcher (field-value-cast.ts) alike.

/** A value that could not be cast to its field's type; validation reports it. */
export class InvalidCast {
  constructor(readonly code: ValidationCode) {}
}

/** A longitude/latitude pair. */
export interface GeoPoint {
  lon: number;
  lat: number;
}

/**
 * A field value in its typed, in-memory form: string (text-like and date fields), number,
 * boolean, string[] (select/relation/file, single or multiple), GeoPoint, or any JSON value
 * (json fields).
 */
export type FieldValue = unknown;

/** Text holding a NUL character, refused on every engine (docs/compatibility.md). */
export const NUL_TEXT = new InvalidCast('validation_invalid_value');

/** Text: strings as they are (without NUL), numbers and booleans as text, null as ''. */
export function toText(raw: unknown): string | InvalidCast {
  if (raw === null || raw === undefined) return '';
  // No engine-independent way to store NUL: PostgreSQL text cannot hold it.
  if (typeof raw === 'string') return raw.includes('\u0000') ? NUL_TEXT : raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return new InvalidCast('validation_is_string');
}

/** A finite number: numeric text, booleans as 1/0, empty as 0. */
export function toNumber(raw: unknown): number | InvalidCast {
  if (raw === null || raw === undefined || raw === '') return 0;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  return Number.isFinite(n) ? n : new InvalidCast('validation_not_a_number');
}

/** A JSON value: form bodies carry JSON as text, so valid JSON text is the value. */
export function toJson(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? null;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
