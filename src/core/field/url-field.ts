import { fieldError } from '../validation-errors.js';
import { domainAllowed, readDomainOptions, type DomainOptions } from './domain-options.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { textValues } from './text-values.js';

/** A URL. */
export interface UrlField extends FieldCommon, DomainOptions {
  type: 'url';
}

/**
 * `url`: an absolute URL with a host, up to 2000 characters, optionally limited to or
 * excluding domains; stored as text.
 */
export const urlFieldDef: FieldTypeDef<UrlField> = {
  type: 'url',
  read: (common, o) => ({ ...common, ...readDomainOptions(o), type: 'url' }),
  values: textValues((field, text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fieldError('validation_invalid_url');
    }
    if (url.hostname === '' || text.length > 2000) return fieldError('validation_invalid_url');
    return domainAllowed(url.hostname, field, false);
  }),
};
