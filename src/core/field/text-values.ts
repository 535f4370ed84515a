import type { FieldError } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import type { Field } from './field-model.js';
import type { FieldValueBehaviour } from './field-type-def.js';
import { storedText, textOf, textToStore, toText } from './field-value-primitives.js';

/**
 * The value behaviour of a field whose value is one text (text, email, url, editor,
 * password): a string cast, a text column, stored and sent as it is, '' when empty (an error
 * only when the field is required); `check` validates a non-empty text.
 */
export function textValues<F extends Field & { readonly required: boolean }>(
  check: (field: F, text: string) => FieldError | undefined,
): FieldValueBehaviour<F> {
  return {
    columnKind: () => 'text',
    cast: (_field, raw) => toText(raw),
    validate(field, value) {
      const text = textOf(value);
      if (text === '') return field.required ? fieldError('validation_required') : undefined;
      return check(field, text);
    },
    fromStored: (_field, stored) => storedText(stored),
    toStored: (_field, value) => textToStore(value),
    toJson: (_field, stored) => storedText(stored),
    valueToJson: (_field, value) => value,
  };
}
