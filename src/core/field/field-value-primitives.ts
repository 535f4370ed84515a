import { normalizeDateTime } from '../../lib/datetime.js';
import type { ValidationCode } from '../validation-errors.js';

// What several field types share, for their definitions (<type>-field.ts) to compose: the
// casts of submitted values and the conversions of stored column values.

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

/** A datetime, normalised (API.md §1.2); blank text is ''. */
export function toDate(raw: unknown): string | InvalidCast {
  const text = toText(raw);
  if (text instanceof InvalidCast || text.trim() === '')
    return text instanceof InvalidCast ? text : '';
  return normalizeDateTime(text) ?? new InvalidCast('validation_invalid_date');
}

/** select/relation/file values: de-duplicated strings; a single field keeps the last one. */
export function toList(raw: unknown, multi: boolean): string[] | InvalidCast {
  const items = raw === null || raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' && typeof item !== 'number')
      return new InvalidCast('validation_invalid_value');
    const text = String(item);
    if (text.includes('\u0000')) return NUL_TEXT;
    if (text !== '' && !out.includes(text)) out.push(text);
  }
  return multi || out.length <= 1 ? out : out.slice(-1);
}

/** A typed value that should be text, for validation: anything else counts as ''. */
export function textOf(value: FieldValue): string {
  return typeof value === 'string' ? value : '';
}

/**
 * A typed value that should be a string list, for validation: anything else counts as empty.
 * Only list fields read their value so: String() of a deeply nested json array recurses as
 * deep as the array.
 */
export function listOf(value: FieldValue): string[] {
  return Array.isArray(value) ? value.map(String) : [];
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

/** A typed value as a text column stores it: text, or a list's last item ('' otherwise). */
export function textToStore(value: FieldValue): string {
  if (Array.isArray(value)) return value.length > 0 ? String(value[value.length - 1]) : '';
  return typeof value === 'string' ? value : '';
}

/**
 * A stored JSON column value, parsed; a missing value is `fallback()` (a new object each
 * time).
 */
export function storedJson(stored: unknown, fallback: () => unknown): unknown {
  if (typeof stored !== 'string') return stored ?? fallback();
  try {
    return JSON.parse(stored) as unknown;
  } catch {
    // A value written outside Basalt that is not JSON reads as the text it is.
    return stored;
  }
}

/** A stored number column value: numbers as they are, anything else through Number(), 0 if NaN. */
export function storedNumber(stored: unknown): number {
  return typeof stored === 'number' ? stored : Number(stored ?? 0) || 0;
}
