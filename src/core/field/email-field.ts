import { isEmail } from '../../lib/text/email.js';
import { fieldError } from '../validation-errors.js';
import { domainAllowed, readDomainOptions } from './domain-options.js';
import type { FieldTypeDef } from './field-type-def.js';
import { textValues } from './text-values.js';

/** `email`: an email address, optionally limited to or excluding domains; stored as text. */
export const emailFieldDef: FieldTypeDef<'email'> = {
  type: 'email',
  read: (common, o) => ({ ...common, ...readDomainOptions(o), type: 'email' }),
  values: textValues((field, text) => {
    if (!isEmail(text)) return fieldError('validation_is_email');
    return domainAllowed(text.slice(text.lastIndexOf('@') + 1), field, true);
  }),
};
