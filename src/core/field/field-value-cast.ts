import type { Field } from './field-model.js';
import { valueBehaviourOf } from './field-registry.js';
import type { ValueModifier } from './field-type-def.js';
import type { FieldValue } from './field-value-primitives.js';

export { InvalidCast, type FieldValue, type GeoPoint } from './field-value-primitives.js';

/**
 * Casts a submitted value to its field's type (API.md §1.3), as the type defines it in its
 * own file (`<type>-field.ts`). Values that cannot be cast come back as InvalidCast, for
 * validation to report with the field's other errors.
 */
export function castFieldValue(field: Field, raw: unknown): FieldValue {
  return valueBehaviourOf(field).cast(field, raw);
}

/**
 * Applies a body key's modifier (`f+`, `+f`, `f-`, `f:autogenerate`, API.md §1.3) with the
 * submitted `raw` over the `current` typed value, as the field's type defines it; a modifier
 * the type has no use for leaves the value as it is.
 */
export function modifyFieldValue(
  field: Field,
  modifier: ValueModifier,
  raw: unknown,
  current: FieldValue,
): FieldValue {
  const own = valueBehaviourOf(field);
  return own.modify ? own.modify(field, modifier, raw, current) : current;
}
