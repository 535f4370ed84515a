import { isEmail } from '../../lib/text/email.js';
import { fieldError } from '../validation-errors.js';
import { domainAllowed, readDomainOptions } from './domain-options.js';
import type { FieldTypeDef } from './field-type-def.js';
import { storedText, textOf, textToStore, toText } from './field-value-primitives.js';

/** `email`: an email address, optionally limited to or excluding domains; stored as text. */
export const emailFieldDef: FieldTypeDef<'email'> = {
  type: 'email',
  read: (common, o) => ({ ...common, ...readDomainOptions(o), type: 'email' }),
  values: {
    columnKind: () => 'text',
    cast: (_field, raw) => toText(raw),
    validate(field, value) {
      const text = textOf(value);
      if (text === '') return field.required ? fieldError('validation_required') : undefined;
      if (!isEmail(text)) return fieldError('validation_is_email');
      return domainAllowed(text.slice(text.lastIndexOf('@') + 1), field, true);
    },
    fromStored: (_field, stored) => storedText(stored),
    toStored: (_field, value) => textToStore(value),
    toJson: (_field, stored) => storedText(stored),
    valueToJson: (_field, value) => value,
  },
};
