import type { Field } from './field-model.js';
import { valueBehaviourOf } from './field-registry.js';
import type { FieldValue } from './field-value-primitives.js';

export { storedText } from './field-value-primitives.js';

/**
 * Reads a stored column value into its typed form, as the field's type defines it in its own
 * file (`<type>-field.ts`): for instance select/relation/file always as string lists (a single
 * field's text as a one-item list), booleans from 0/1, JSON parsed.
 */
export function fromStoredValue(field: Field, stored: unknown): FieldValue {
  return valueBehaviourOf(field).fromStored(field, stored);
}

/** Converts a typed value into what its column stores (see `columnKindOf`). */
export function toStoredValue(field: Field, value: FieldValue): unknown {
  return valueBehaviourOf(field).toStored(field, value);
}

/** The API JSON of a typed value: single select/relation/file as a string, multi as a list. */
export function valueToJson(field: Field, value: FieldValue): unknown {
  return valueBehaviourOf(field).valueToJson(field, value);
}
