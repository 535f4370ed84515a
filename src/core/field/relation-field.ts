import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { listValues } from './list-values.js';

/** References to records of another (or the same) collection. */
export interface RelationField extends FieldCommon {
  type: 'relation';
  collectionId: string;
  cascadeDelete: boolean;
  minSelect: number;
  maxSelect: number;
  required: boolean;
  help: string;
}

/**
 * `relation`: ids of records in `collectionId`, between `minSelect` and `maxSelect` of them;
 * `maxSelect > 1` stores a JSON array. That the records exist is the record write's check
 * (record-relations.ts), since it needs the database.
 */
export const relationFieldDef: FieldTypeDef<RelationField> = {
  type: 'relation',
  read(common, o) {
    const collectionId = o.string('collectionId', '', 255);
    if (collectionId === '') o.fail('collectionId', 'validation_required');
    const minSelect = o.int('minSelect', 0, { min: 0, max: 10_000 });
    const maxSelect = o.int('maxSelect', 1, { min: 0, max: 10_000 });
    if (maxSelect > 0 && minSelect > maxSelect) {
      o.fail('maxSelect', 'validation_min_number_constraint', { min: minSelect });
    }
    return {
      ...common,
      type: 'relation',
      collectionId,
      cascadeDelete: o.bool('cascadeDelete'),
      minSelect,
      maxSelect,
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
  values: listValues((field, list) => {
    if (list.length === 0)
      return field.required || field.minSelect > 0 ? fieldError('validation_required') : undefined;
    if (field.minSelect > 0 && list.length < field.minSelect)
      return fieldError('validation_not_enough_values', { minSelect: field.minSelect });
    const max = Math.max(field.maxSelect, 1);
    if (list.length > max) return fieldError('validation_too_many_values', { maxSelect: max });
    return undefined;
  }),
};
