import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import { DEFAULT_LIMITS, type FieldTypeDef } from './field-type-def.js';
import { textValues } from './text-values.js';

function maxSizeOf(field: { maxSize: number }): number {
  return field.maxSize > 0 ? field.maxSize : DEFAULT_LIMITS.editorMaxSize;
}

/** Rich text (HTML). */
export interface EditorField extends FieldCommon {
  type: 'editor';
  maxSize: number;
  convertURLs: boolean;
  required: boolean;
  help: string;
}

/** `editor`: rich text (HTML) up to `maxSize` bytes (0 = 5 MiB); stored as text. */
export const editorFieldDef: FieldTypeDef<EditorField> = {
  type: 'editor',
  read(common, o) {
    return {
      ...common,
      type: 'editor',
      maxSize: o.int('maxSize', 0, { min: 0, max: Number.MAX_SAFE_INTEGER }),
      convertURLs: o.bool('convertURLs'),
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
  values: textValues((field, text) => {
    const max = maxSizeOf(field);
    return Buffer.byteLength(text) > max
      ? fieldError('validation_max_text_constraint', { max })
      : undefined;
  }),
  bodySize: maxSizeOf,
};
