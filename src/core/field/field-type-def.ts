import type { ColumnKind } from '../../db/adapter.js';
import type { FieldError } from '../errors.js';
import type { FieldCommon } from './field-model.js';
import type { FieldValue } from './field-value-primitives.js';
import type { OptionReader } from './option-reader.js';

/**
 * What every field type's interface is: the common keys plus its `type` name. Each
 * `<type>-field.ts` exports its own interface (TextField, NumberField, ...); the `Field` union
 * is derived from the registry (field-registry.ts), so this is what a definition may assume.
 */
export type FieldShape = FieldCommon & { readonly type: string };

/**
 * How the values of a field type behave, from the submitted value to the stored column and
 * the API's JSON. Every type defines these in its own file (`<type>-field.ts`); the
 * dispatchers (castFieldValue, validateFieldValue, fromStoredValue, toStoredValue,
 * valueToJson, columnKindOf, fieldToJson) only ask the field's type for them. Adding a field
 * type is then its file plus one line in FIELD_DEFS (field-registry.ts).
 */
export interface FieldValueBehaviour<F extends FieldShape> {
  /** How its column stores values. */
  columnKind(field: F): ColumnKind;
  /** A submitted value in typed form, or an InvalidCast for validation to report. */
  cast(field: F, raw: unknown): FieldValue;
  /** What is wrong with a typed value against the field's options, if anything. */
  validate(field: F, value: FieldValue): FieldError | undefined;
  /** A stored column value in typed form. */
  fromStored(field: F, stored: unknown): FieldValue;
  /** A typed value as its column stores it. */
  toStored(field: F, value: FieldValue): unknown;
  /** A stored column value as the API's JSON. */
  toJson(field: F, stored: unknown): unknown;
  /** A typed value as `@request.body`-style JSON. */
  valueToJson(field: F, value: FieldValue): unknown;
  /**
   * The value after a body key's modifier with the submitted `raw` over the `current` typed
   * value (API.md §1.3). Without it, or for a modifier the type has no use for, the value stays
   * `current`.
   */
  modify?(field: F, modifier: ValueModifier, raw: unknown, current: FieldValue): FieldValue;
}

/** A body key's modifier besides a plain set (API.md §1.3): `f+`, `+f`, `f-`, `f:autogenerate`. */
export type ValueModifier = 'append' | 'prepend' | 'remove' | 'autogenerate';

/**
 * What Basalt knows about one field type, all in the type's own file next to its interface `F`:
 * how to read its options from JSON input (filling defaults, recording errors), how its values
 * behave (`values`), how much a record body may grow for it (`bodySize`, 0 when absent), and
 * whether filters must never read it (`filterHidden`).
 */
export interface FieldTypeDef<F extends FieldShape> {
  readonly type: F['type'];
  read(common: FieldCommon, options: OptionReader): F;
  readonly values: FieldValueBehaviour<F>;
  /** How much the field adds to its collection's record body limit, as PocketBase counts it. */
  readonly bodySize?: (field: F) => number;
  /**
   * True when non-superusers' filters and sorts must never read a field of this type, whatever
   * its `hidden` option (see isFilterHidden in field-registry.ts).
   */
  readonly filterHidden?: boolean;
}

/** Default size limits that a `0` option stands for. */
export const DEFAULT_LIMITS = {
  textMax: 5000,
  editorMaxSize: 5 * 1024 * 1024,
  fileMaxSize: 5 * 1024 * 1024,
  jsonMaxSize: 1024 * 1024,
  passwordMax: 71,
} as const;
