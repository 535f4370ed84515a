import type { ColumnKind } from '../../db/adapter.js';
import type { FieldError } from '../errors.js';
import type { Field, FieldCommon, FieldOf, FieldType } from './field-model.js';
import type { FieldValue } from './field-value-primitives.js';
import type { OptionReader } from './option-reader.js';

/**
 * How the values of a field type behave, from the submitted value to the stored column and
 * the API's JSON. A type that defines these has all of its value behaviour in its own file;
 * the dispatchers (castFieldValue, validateFieldValue, fromStoredValue, toStoredValue,
 * columnKindOf, fieldToJson) ask it first. Adding a field type is then its file plus one line
 * in FIELD_DEFS.
 */
export interface FieldValueBehaviour<F extends Field> {
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
}

/**
 * What Basalt knows about one field type: how to read its options from JSON input (filling
 * defaults, recording errors) and, for the types moved to one file so far, how its values
 * behave (`values`); the others' values are still handled by the dispatchers' switches.
 */
export interface FieldTypeDef<T extends FieldType> {
  readonly type: T;
  read(common: FieldCommon, options: OptionReader): FieldOf<T>;
  readonly values?: FieldValueBehaviour<FieldOf<T>>;
}

/** Default size limits that a `0` option stands for. */
export const DEFAULT_LIMITS = {
  textMax: 5000,
  editorMaxSize: 5 * 1024 * 1024,
  fileMaxSize: 5 * 1024 * 1024,
  jsonMaxSize: 1024 * 1024,
  passwordMax: 71,
} as const;

/** Host names as accepted in `onlyDomains` / `exceptDomains`. */
const DOMAIN_RE =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Reads a domain list option, recording an error for an entry that is not a host name. */
export function readDomains(options: OptionReader, key: string): string[] {
  const domains = options.strings(key, 1000, 253);
  if (domains.some((d) => !DOMAIN_RE.test(d))) {
    options.fail(key, 'validation_invalid_value');
    return [];
  }
  return domains;
}
