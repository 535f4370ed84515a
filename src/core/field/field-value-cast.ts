import { normalizeDateTime } from '../../lib/datetime.js';
import type { Field } from './field-model.js';
import { isMultiValue } from './field-model.js';
import { valueBehaviourOf } from './field-registry.js';
import {
  InvalidCast,
  NUL_TEXT,
  toJson,
  toNumber,
  toText,
  type FieldValue,
} from './field-value-primitives.js';

export { InvalidCast, type FieldValue, type GeoPoint } from './field-value-primitives.js';

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

function toDate(raw: unknown): string | InvalidCast {
  const text = toText(raw);
  if (text instanceof InvalidCast || text.trim() === '')
    return text instanceof InvalidCast ? text : '';
  return normalizeDateTime(text) ?? new InvalidCast('validation_invalid_date');
}

/**
 * Casts a submitted value to its field's type (API.md §1.3): text via string cast, numbers
 * via float cast, select/relation/file to de-duplicated string lists, JSON text parsed, dates
 * normalised; a type that defines its own values (field-type-def.ts) casts them itself. Values that cannot be cast come back as
 * InvalidCast, for validation to report with the field's other errors.
 */
export function castFieldValue(field: Field, raw: unknown): FieldValue {
  const own = valueBehaviourOf(field);
  if (own) return own.cast(field, raw);
  switch (field.type) {
    case 'number':
      return toNumber(raw);
    case 'select':
    case 'relation':
    case 'file':
      return toList(raw, isMultiValue(field));
    case 'json':
      return toJson(raw);
    case 'date':
    case 'autodate':
      return toDate(raw);
    default:
      return toText(raw);
  }
}
