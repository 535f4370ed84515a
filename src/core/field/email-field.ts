import { isEmail } from '../../lib/text/email.js';
import { fieldError } from '../validation-errors.js';
import { domainAllowed, readDomainOptions, type DomainOptions } from './domain-options.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { textValues } from './text-values.js';

/** An email address. */
export interface EmailField extends FieldCommon, DomainOptions {
  type: 'email';
}

/** `email`: an email address, optionally limited to or excluding domains; stored as text. */
export const emailFieldDef: FieldTypeDef<EmailField> = {
  type: 'email',
  read: (common, o) => ({ ...common, ...readDomainOptions(o), type: 'email' }),
  values: textValues((field, text) => {
    if (!isEmail(text)) return fieldError('validation_is_email');
    return domainAllowed(text.slice(text.lastIndexOf('@') + 1), field, true);
  }),
};
