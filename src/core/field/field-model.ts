/**
 * The field model of collections (API.md §3.2). Every field has `id`, `name`, `type`,
 * `system`, `hidden` and `presentable`; the other keys are its type's options, the JSON keys
 * of the wire format, with every option always present.
 *
 * This file names no field type: each type's interface (`<Type>Field`) is in its own
 * `<type>-field.ts` with its definition, and `FieldType` and `Field` are derived from the
 * registry, FIELD_DEFS (field-registry.ts). It imports only types, so that every module,
 * the type files among them, may import it without a cycle through the registry.
 */

import type { Field, FieldType } from './field-registry.js';

export type { Field, FieldType } from './field-registry.js';

/** Keys shared by every field. */
export interface FieldCommon {
  id: string;
  name: string;
  system: boolean;
  hidden: boolean;
  presentable: boolean;
}

/** The field interface of one type. */
export type FieldOf<T extends FieldType> = Extract<Field, { type: T }>;

/** True for fields that hold several values: those whose type has a `maxSelect` option, above 1. */
export function isMultiValue(field: Field): boolean {
  return 'maxSelect' in field && field.maxSelect > 1;
}
