import type { FieldTypeDef } from './field-type-def.js';

const THUMB_RE = /^(\d{1,5})x(\d{1,5})(t|b|f)?$/;

/** `select`: one or several of `values`; `maxSelect > 1` stores a JSON array. */
export const selectFieldDef: FieldTypeDef<'select'> = {
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
};

/** `file`: uploaded files with size, count and MIME type limits and thumbnail sizes. */
export const fileFieldDef: FieldTypeDef<'file'> = {
  type: 'file',
  read(common, o) {
    const thumbs = o.strings('thumbs', 100, 20);
    if (thumbs.some((t) => !THUMB_RE.test(t) || /^0+x0+[tbf]?$/.test(t))) {
      o.fail('thumbs', 'validation_invalid_value');
    }
    return {
      ...common,
      type: 'file',
      maxSize: o.int('maxSize', 0, { min: 0, max: Number.MAX_SAFE_INTEGER }),
      maxSelect: o.int('maxSelect', 1, { min: 0, max: 1000 }),
      mimeTypes: o.strings('mimeTypes', 500, 255),
      thumbs,
      protected: o.bool('protected'),
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
};

/** `relation`: ids of records in `collectionId`; `maxSelect > 1` stores a JSON array. */
export const relationFieldDef: FieldTypeDef<'relation'> = {
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
};
