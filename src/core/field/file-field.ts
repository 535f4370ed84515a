import { fileMaxSize } from '../files/upload-limit.js';
import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { listValues } from './list-values.js';

const THUMB_RE = /^(\d{1,5})x(\d{1,5})(t|b|f)?$/;

/** One or several uploaded files. */
export interface FileField extends FieldCommon {
  type: 'file';
  maxSize: number;
  maxSelect: number;
  mimeTypes: string[];
  thumbs: string[];
  protected: boolean;
  required: boolean;
  help: string;
}

/**
 * `file`: names of uploaded files, with size, count and MIME type limits and thumbnail sizes;
 * `maxSelect > 1` stores a JSON array. The value holds names only: the uploads themselves and
 * which names a record may keep are the record write's (record-files.ts, record-prepare.ts).
 */
export const fileFieldDef: FieldTypeDef<FileField> = {
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
  values: listValues((field, list) => {
    if (list.length === 0) return field.required ? fieldError('validation_required') : undefined;
    const max = Math.max(field.maxSelect, 1);
    if (list.length > max) return fieldError('validation_too_many_values', { maxSelect: max });
    return undefined;
  }),
  bodySize: (field) => fileMaxSize(field) * Math.max(field.maxSelect, 1),
};
