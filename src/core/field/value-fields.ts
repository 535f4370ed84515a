import type { FieldTypeDef } from './field-type-def.js';

/** `number`: a float64, optionally integer-only, with nullable bounds. */
export const numberFieldDef: FieldTypeDef<'number'> = {
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
};

/** `json`: any JSON value up to `maxSize` bytes (0 = 1 MiB). */
export const jsonFieldDef: FieldTypeDef<'json'> = {
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
};
