import { normalizeDateTime } from '../../lib/datetime.js';
import type { FieldTypeDef } from './field-type-def.js';
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

/** `date`: a datetime with optional bounds. */
export const dateFieldDef: FieldTypeDef<'date'> = {
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
};

/** `autodate`: set by the server on create and/or on update; clients cannot set it. */
export const autodateFieldDef: FieldTypeDef<'autodate'> = {
  type: 'autodate',
  read(common, o) {
    return {
      ...common,
      type: 'autodate',
      onCreate: o.bool('onCreate'),
      onUpdate: o.bool('onUpdate'),
    };
  },
};
