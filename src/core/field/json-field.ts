import { jsonValueProblem } from '../../lib/json/index.js';
import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import { DEFAULT_LIMITS, type FieldTypeDef } from './field-type-def.js';
import { storedJson, toJson } from './field-value-primitives.js';

function maxSizeOf(field: { maxSize: number }): number {
  return field.maxSize > 0 ? field.maxSize : DEFAULT_LIMITS.jsonMaxSize;
}

/** null, '', an empty array or an empty object. */
function isEmptyJson(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/** Any JSON value. */
export interface JsonField extends FieldCommon {
  type: 'json';
  maxSize: number;
  required: boolean;
  help: string;
}

/**
 * `json`: any JSON value up to `maxSize` bytes (0 = 1 MiB), submitted as a value or its JSON
 * text, stored as JSON text (null when missing); empty is null, '', [] or {}.
 */
export const jsonFieldDef: FieldTypeDef<JsonField> = {
  type: 'json',
  read(common, o) {
    return {
      ...common,
      type: 'json',
      maxSize: o.int('maxSize', 0, { min: 0, max: Number.MAX_SAFE_INTEGER }),
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
  values: {
    columnKind: () => 'json',
    cast: (_field, raw) => toJson(raw),
    validate(field, value) {
      if (isEmptyJson(value)) return field.required ? fieldError('validation_required') : undefined;
      // Before the size check: JSON.stringify overflows the stack on deeply nested values.
      if (jsonValueProblem(value) !== undefined) return fieldError('validation_invalid_value');
      const max = maxSizeOf(field);
      if (Buffer.byteLength(JSON.stringify(value)) > max)
        return fieldError('validation_json_size_limit', { maxSize: max });
      return undefined;
    },
    fromStored: (_field, stored) => storedJson(stored, () => null),
    toStored: (_field, value) =>
      value === undefined || value === null ? null : JSON.stringify(value),
    toJson: (_field, stored) => storedJson(stored, () => null),
    valueToJson: (_field, value) => value,
  },
  bodySize: maxSizeOf,
};
