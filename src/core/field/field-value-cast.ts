import { normalizeDateTime } from '../../lib/datetime.js';
import type { Field } from './field-model.js';
import { isMultiValue } from './field-model.js';
import type { ValidationCode } from '../validation-errors.js';

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
const NUL_TEXT = new InvalidCast('validation_invalid_value');

function toText(raw: unknown): string | InvalidCast {
  if (raw === null || raw === undefined) return '';
  // No engine-independent way to store NUL: PostgreSQL text cannot hold it.
  if (typeof raw === 'string') return raw.includes('\u0000') ? NUL_TEXT : raw;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  return new InvalidCast('validation_is_string');
}

function toNumber(raw: unknown): number | InvalidCast {
  if (raw === null || raw === undefined || raw === '') return 0;
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  return Number.isFinite(n) ? n : new InvalidCast('validation_not_a_number');
}

function toBool(raw: unknown): boolean | InvalidCast {
  if (raw === null || raw === undefined || raw === '') return false;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw !== 0;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return new InvalidCast('validation_invalid_value');
}

/** select/relation/file values: de-duplicated strings; a single field keeps the last one. */
function toList(raw: unknown, multi: boolean): string[] | InvalidCast {
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

function toJson(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? null;
  // Form bodies carry JSON as text: valid JSON text is the value, anything else a string.
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function toGeoPoint(raw: unknown): GeoPoint | InvalidCast {
  const value = toJson(raw);
  if (value === null || value === undefined || value === '') return { lon: 0, lat: 0 };
  if (typeof value !== 'object' || Array.isArray(value))
    return new InvalidCast('validation_invalid_value');
  const lon = 'lon' in value ? toNumber(value.lon) : 0;
  const lat = 'lat' in value ? toNumber(value.lat) : 0;
  if (lon instanceof InvalidCast || lat instanceof InvalidCast)
    return new InvalidCast('validation_invalid_value');
  return { lon, lat };
}

function toDate(raw: unknown): string | InvalidCast {
  const text = toText(raw);
  if (text instanceof InvalidCast || text.trim() === '')
    return text instanceof InvalidCast ? text : '';
  return normalizeDateTime(text) ?? new InvalidCast('validation_invalid_date');
}

/**
 * Casts a submitted value to its field's type (API.md §1.3): text via string cast, numbers
 * via float cast, booleans from `true/false/1/0`, select/relation/file to de-duplicated string
 * lists, JSON text parsed, dates normalised. Values that cannot be cast come back as
 * InvalidCast, for validation to report with the field's other errors.
 */
export function castFieldValue(field: Field, raw: unknown): FieldValue {
  switch (field.type) {
    case 'number':
      return toNumber(raw);
    case 'bool':
      return toBool(raw);
    case 'select':
    case 'relation':
    case 'file':
      return toList(raw, isMultiValue(field));
    case 'json':
      return toJson(raw);
    case 'geoPoint':
      return toGeoPoint(raw);
    case 'date':
    case 'autodate':
      return toDate(raw);
    default:
      return toText(raw);
  }
}
