import { randomFromPattern, UnsupportedPatternError } from '../../lib/text/pattern-random.js';
import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import { DEFAULT_LIMITS, type FieldTypeDef } from './field-type-def.js';
import { storedText, textOf, textToStore, toText } from './field-value-primitives.js';
import type { OptionReader } from './option-reader.js';
import { checkLength, checkPattern } from './text-checks.js';

/** An autogenerate pattern must be one that Basalt can generate values from. */
function readAutogeneratePattern(o: OptionReader): string {
  const pattern = o.pattern('autogeneratePattern');
  if (pattern === '') return '';
  try {
    randomFromPattern(pattern);
    return pattern;
  } catch (error) {
    if (!(error instanceof UnsupportedPatternError)) throw error;
    o.fail('autogeneratePattern', 'validation_invalid_format');
    return '';
  }
}

/** A plain text field; the `id` field is a text field with `primaryKey: true`. */
export interface TextField extends FieldCommon {
  type: 'text';
  min: number;
  max: number;
  pattern: string;
  autogeneratePattern: string;
  required: boolean;
  primaryKey: boolean;
  help: string;
}

/**
 * `text`: plain text with length bounds (in code points; `max` 0 = 5000), a pattern and an
 * autogenerate pattern; the `id` field is the text field with `primaryKey`.
 */
export const textFieldDef: FieldTypeDef<TextField> = {
  type: 'text',
  read(common, o) {
    const min = o.int('min', 0, { min: 0, max: 1_000_000_000 });
    const max = o.int('max', 0, { min: 0, max: 1_000_000_000 });
    if (max > 0 && min > max) o.fail('max', 'validation_min_number_constraint', { min });
    return {
      ...common,
      type: 'text',
      min,
      max,
      pattern: o.pattern('pattern'),
      autogeneratePattern: readAutogeneratePattern(o),
      required: o.bool('required'),
      primaryKey: o.bool('primaryKey'),
      help: o.string('help'),
    };
  },
  values: {
    columnKind: (field) => (field.primaryKey ? 'primaryKey' : 'text'),
    cast: (_field, raw) => toText(raw),
    validate(field, value) {
      const text = textOf(value);
      if (text === '') return field.required ? fieldError('validation_required') : undefined;
      const max = field.max > 0 ? field.max : DEFAULT_LIMITS.textMax;
      return checkLength(text, field.min, max) ?? checkPattern(text, field.pattern);
    },
    fromStored: (_field, stored) => storedText(stored),
    toStored: (_field, value) => textToStore(value),
    toJson: (_field, stored) => storedText(stored),
    valueToJson: (_field, value) => value,
    // `f:autogenerate` appends a value generated from the pattern to the submitted prefix.
    modify(field, modifier, raw, current) {
      if (modifier !== 'autogenerate' || field.autogeneratePattern === '') return current;
      const prefix = toText(raw);
      return typeof prefix === 'string'
        ? prefix + randomFromPattern(field.autogeneratePattern)
        : prefix;
    },
  },
};
