import type { FieldError } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import type { Field } from './field-model.js';
import { valueBehaviourOf } from './field-registry.js';
import { InvalidCast } from './field-value-primitives.js';

/**
 * Checks a cast value against its field's options (API.md §3.2), as the type defines it in
 * its own file (`<type>-field.ts`); a value that could not be cast reports why. Relation
 * targets and uploaded files are checked by the record write, since they need the database
 * or the upload.
 */
export function validateFieldValue(field: Field, value: unknown): FieldError | undefined {
  if (value instanceof InvalidCast) return fieldError(value.code);
  return valueBehaviourOf(field).validate(field, value);
}
