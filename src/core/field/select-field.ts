import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { listValues } from './list-values.js';

/** One or several values from a fixed list. */
export interface SelectField extends FieldCommon {
  type: 'select';
  values: string[];
  maxSelect: number;
  required: boolean;
  help: string;
}

/** `select`: one or several of `values`; `maxSelect > 1` stores a JSON array. */
export const selectFieldDef: FieldTypeDef<SelectField> = {
  type: 'select',
  read(common, o) {
    const values = o.strings('values', 1000, 255);
    if (values.length === 0) o.fail('values', 'validation_required');
    const maxSelect = o.int('maxSelect', 1, { min: 0, max: 1000 });
    if (values.length > 0 && maxSelect > values.length) {
      o.fail('maxSelect', 'validation_max_number_constraint', { max: values.length });
    }
    return {
      ...common,
      type: 'select',
      values,
      maxSelect,
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
  values: listValues((field, list) => {
    if (list.length === 0) return field.required ? fieldError('validation_required') : undefined;
    if (list.some((item) => !field.values.includes(item)))
      return fieldError('validation_invalid_value');
    const max = Math.max(field.maxSelect, 1);
    if (list.length > max) return fieldError('validation_too_many_values', { maxSelect: max });
    return undefined;
  }),
};
