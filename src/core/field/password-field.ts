import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import { DEFAULT_LIMITS, type FieldTypeDef } from './field-type-def.js';
import { textValues } from './text-values.js';
import { checkLength, checkPattern } from './text-checks.js';

/** A hashed password; never output. */
export interface PasswordField extends FieldCommon {
  type: 'password';
  min: number;
  max: number;
  pattern: string;
  cost: number;
  required: boolean;
  help: string;
}

/**
 * `password`: a secret of `min`..`max` characters (max at most 71 bytes, 0 = 71) matching
 * `pattern`, validated as submitted and stored as its bcrypt hash (the hashing is the record
 * write's, record-prepare.ts); never output.
 */
export const passwordFieldDef: FieldTypeDef<PasswordField> = {
  type: 'password',
  // Filters must not compare the stored hash, which `pw >= '$a'` would reveal (issue 15 S1).
  filterHidden: true,
  read(common, o) {
    const min = o.int('min', 0, { min: 0, max: DEFAULT_LIMITS.passwordMax });
    const max = o.int('max', 0, { min: 0, max: DEFAULT_LIMITS.passwordMax });
    if (max > 0 && min > max) o.fail('max', 'validation_min_number_constraint', { min });
    const cost = o.int('cost', 0, { min: 0, max: 31 });
    if (cost !== 0 && cost < 4) o.fail('cost', 'validation_min_number_constraint', { min: 4 });
    return {
      ...common,
      type: 'password',
      min,
      max,
      pattern: o.pattern('pattern'),
      cost,
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
  values: {
    ...textValues((field: PasswordField, text) => {
      const max = field.max > 0 ? field.max : DEFAULT_LIMITS.passwordMax;
      // bcrypt-compatible limit: the bytes, not the characters, must fit.
      if (Buffer.byteLength(text) > max)
        return fieldError('validation_max_text_constraint', { max });
      return checkLength(text, field.min, 0) ?? checkPattern(text, field.pattern);
    }),
    // The stored hash is never sent.
    toJson: () => '',
  },
};
