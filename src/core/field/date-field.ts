import { normalizeDateTime } from '../../lib/datetime.js';
import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { storedText, textOf, textToStore, toDate } from './field-value-primitives.js';
import type { OptionReader } from './option-reader.js';

function readDateOption(o: OptionReader, key: string): string {
  const text = o.string(key, '', 100);
  if (text === '') return '';
  const normalized = normalizeDateTime(text);
  if (normalized === undefined) {
    o.fail(key, 'validation_invalid_date');
    return '';
  }
  return normalized;
}

/** A datetime with optional bounds (date strings, `""` when unbounded). */
export interface DateField extends FieldCommon {
  type: 'date';
  min: string;
  max: string;
  required: boolean;
  help: string;
}

/** `date`: a datetime with optional bounds, normalised and stored as text. */
export const dateFieldDef: FieldTypeDef<DateField> = {
  type: 'date',
  read(common, o) {
    const min = readDateOption(o, 'min');
    const max = readDateOption(o, 'max');
    if (min !== '' && max !== '' && max < min) {
      o.fail('max', 'validation_min_date_constraint', { min });
    }
    return {
      ...common,
      type: 'date',
      min,
      max,
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
  values: {
    columnKind: () => 'text',
    cast: (_field, raw) => toDate(raw),
    validate(field, value) {
      const text = textOf(value);
      if (text === '') return field.required ? fieldError('validation_required') : undefined;
      if (field.min !== '' && text < field.min)
        return fieldError('validation_min_date_constraint', { min: field.min });
      if (field.max !== '' && text > field.max)
        return fieldError('validation_max_date_constraint', { max: field.max });
      return undefined;
    },
    fromStored: (_field, stored) => storedText(stored),
    toStored: (_field, value) => textToStore(value),
    toJson: (_field, stored) => storedText(stored),
    valueToJson: (_field, value) => value,
  },
};
