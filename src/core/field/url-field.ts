import { fieldError } from '../validation-errors.js';
import { domainAllowed, readDomainOptions } from './domain-options.js';
import type { FieldTypeDef } from './field-type-def.js';
import { storedText, textOf, textToStore, toText } from './field-value-primitives.js';

/**
 * `url`: an absolute URL with a host, up to 2000 characters, optionally limited to or
 * excluding domains; stored as text.
 */
export const urlFieldDef: FieldTypeDef<'url'> = {
  type: 'url',
  read: (common, o) => ({ ...common, ...readDomainOptions(o), type: 'url' }),
  values: {
    columnKind: () => 'text',
    cast: (_field, raw) => toText(raw),
    validate(field, value) {
      const text = textOf(value);
      if (text === '') return field.required ? fieldError('validation_required') : undefined;
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return fieldError('validation_invalid_url');
      }
      if (url.hostname === '' || text.length > 2000) return fieldError('validation_invalid_url');
      return domainAllowed(url.hostname, field, false);
    },
    fromStored: (_field, stored) => storedText(stored),
    toStored: (_field, value) => textToStore(value),
    toJson: (_field, stored) => storedText(stored),
    valueToJson: (_field, value) => value,
  },
};
