import type { Field } from './field-model.js';
import { isMultiValue } from './field-model.js';
import { columnKindOf, valueBehaviourOf } from './field-registry.js';
import type { FieldValue } from './field-value-primitives.js';

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
  const own = valueBehaviourOf(field);
  if (own) return own.fromStored(field, stored);
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
    case 'json':
      return parseJsonText(stored);
    default:
      return storedText(stored);
  }
}

/** Converts a typed value into what its column stores (see `columnKindOf`). */
export function toStoredValue(field: Field, value: FieldValue): unknown {
  const own = valueBehaviourOf(field);
  if (own) return own.toStored(field, value);
  switch (columnKindOf(field)) {
    case 'jsonArray':
      return JSON.stringify(Array.isArray(value) ? value : []);
    case 'json':
      return value === undefined || value === null ? null : JSON.stringify(value);
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
