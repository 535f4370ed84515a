import type { Field } from './field-model.js';
import { isMultiValue } from './field-model.js';
import { columnKindOf } from './field-registry.js';
import type { FieldValue } from './field-value-cast.js';

function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    // A value written outside Basalt that is not JSON reads as the text it is.
    return value;
  }
}

/**
 * Reads a stored column value into its typed form: select/relation/file always as string
 * lists (a single field's text as a one-item list), booleans from 0/1, JSON parsed.
 */
export function fromStoredValue(field: Field, stored: unknown): FieldValue {
  switch (field.type) {
    case 'select':
    case 'relation':
    case 'file': {
      if (isMultiValue(field)) {
        const parsed = parseJsonText(stored);
        return Array.isArray(parsed) ? parsed.map(String) : [];
      }
      return typeof stored === 'string' && stored !== '' ? [stored] : [];
    }
    case 'number':
      return typeof stored === 'number' ? stored : Number(stored ?? 0) || 0;
    case 'bool':
      return stored === true || stored === 1 || stored === '1';
    case 'json':
      return parseJsonText(stored);
    case 'geoPoint': {
      const parsed = parseJsonText(stored);
      return parsed ?? { lon: 0, lat: 0 };
    }
    default:
      return storedText(stored);
  }
}

/** Converts a typed value into what its column stores (see `columnKindOf`). */
export function toStoredValue(field: Field, value: FieldValue): unknown {
  switch (columnKindOf(field)) {
    case 'jsonArray':
      return JSON.stringify(Array.isArray(value) ? value : []);
    case 'bool':
      return value === true ? 1 : 0;
    case 'json':
      return value === undefined || value === null ? null : JSON.stringify(value);
    case 'geoPoint':
      return JSON.stringify(value ?? { lon: 0, lat: 0 });
    case 'number':
      return typeof value === 'number' ? value : 0;
    default:
      if (Array.isArray(value)) return value.length > 0 ? String(value[value.length - 1]) : '';
      return typeof value === 'string' ? value : '';
  }
}

/** The API JSON of a typed value: single select/relation/file as a string, multi as a list. */
export function valueToJson(field: Field, value: FieldValue): unknown {
  if (
    (field.type === 'select' || field.type === 'relation' || field.type === 'file') &&
    !isMultiValue(field)
  ) {
    return Array.isArray(value) && value.length > 0 ? String(value[0]) : '';
  }
  return value;
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
