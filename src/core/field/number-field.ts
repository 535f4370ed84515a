import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { InvalidCast, storedNumber, toNumber } from './field-value-primitives.js';

/** A float64 number; `min`/`max` null when unbounded. */
export interface NumberField extends FieldCommon {
  type: 'number';
  min: number | null;
  max: number | null;
  onlyInt: boolean;
  required: boolean;
  help: string;
}

/**
 * `number`: a finite float64, optionally integer-only, with nullable bounds; 0 is empty, so it
 * only fails `required` and skips the other checks (API.md §3.2).
 */
export const numberFieldDef: FieldTypeDef<NumberField> = {
  type: 'number',
  read(common, o) {
    const min = o.numberOrNull('min');
    const max = o.numberOrNull('max');
    const onlyInt = o.bool('onlyInt');
    if (min !== null && max !== null && max < min) {
      o.fail('max', 'validation_min_number_constraint', { min });
    }
    if (onlyInt && min !== null && !Number.isInteger(min))
      o.fail('min', 'validation_only_int_constraint');
    if (onlyInt && max !== null && !Number.isInteger(max))
      o.fail('max', 'validation_only_int_constraint');
    return {
      ...common,
      type: 'number',
      min,
      max,
      onlyInt,
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
  values: {
    columnKind: () => 'number',
    cast: (_field, raw) => toNumber(raw),
    validate(field, value) {
      const n = typeof value === 'number' ? value : 0;
      if (n === 0) return field.required ? fieldError('validation_required') : undefined;
      if (!Number.isFinite(n)) return fieldError('validation_not_a_number');
      if (field.onlyInt && !Number.isInteger(n))
        return fieldError('validation_only_int_constraint');
      if (field.min !== null && n < field.min)
        return fieldError('validation_min_number_constraint', { min: field.min });
      if (field.max !== null && n > field.max)
        return fieldError('validation_max_number_constraint', { max: field.max });
      return undefined;
    },
    fromStored: (_field, stored) => storedNumber(stored),
    toStored: (_field, value) => (typeof value === 'number' ? value : 0),
    toJson: (_field, stored) => storedNumber(stored),
    valueToJson: (_field, value) => value,
    // `f+` adds to the number and `f-` subtracts from it.
    modify(_field, modifier, raw, current) {
      if (modifier !== 'append' && modifier !== 'remove') return current;
      const delta = toNumber(raw);
      if (delta instanceof InvalidCast) return delta;
      const base = typeof current === 'number' ? current : 0;
      const result = modifier === 'append' ? base + delta : base - delta;
      // 1e308 + 1e308 is Infinity, which JSON and the engines would turn into NULL.
      return Number.isFinite(result) ? result : new InvalidCast('validation_not_a_number');
    },
  },
};
