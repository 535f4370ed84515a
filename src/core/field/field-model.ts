/**
 * The field model of collections (API.md §3.2). Every field has `id`, `name`, `type`,
 * `system`, `hidden` and `presentable`; every type except `autodate` has `help`. The options
 * below are the JSON keys of the wire format, with every option always present.
 */

/** Every field type. */
export const FIELD_TYPES = [
  'text',
  'number',
  'bool',
  'email',
  'url',
  'editor',
  'date',
  'autodate',
  'select',
  'file',
  'relation',
  'json',
  'password',
  'geoPoint',
] as const;

/** A field type name. */
export type FieldType = (typeof FIELD_TYPES)[number];

/** True when `value` names a known field type. */
export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && (FIELD_TYPES as readonly string[]).includes(value);
}

/** Keys shared by every field. */
export interface FieldCommon {
  id: string;
  name: string;
  system: boolean;
  hidden: boolean;
  presentable: boolean;
}

/** A plain text field; the `id` field is a text field with `primaryKey: true`. */
export interface TextField extends FieldCommon {
  type: 'text';
  min: number;
  max: number;
  pattern: string;
  autogeneratePattern: string;
  required: boolean;
  primaryKey: boolean;
  help: string;
}

/** A float64 number; `min`/`max` null when unbounded. */
export interface NumberField extends FieldCommon {
  type: 'number';
  min: number | null;
  max: number | null;
  onlyInt: boolean;
  required: boolean;
  help: string;
}

/** A boolean; `required` means it must be true. */
export interface BoolField extends FieldCommon {
  type: 'bool';
  required: boolean;
  help: string;
}

/** Options of email and URL fields: restrictions by domain. */
export interface DomainOptions {
  exceptDomains: string[];
  onlyDomains: string[];
  required: boolean;
  help: string;
}

/** An email address. */
export interface EmailField extends FieldCommon, DomainOptions {
  type: 'email';
}

/** A URL. */
export interface UrlField extends FieldCommon, DomainOptions {
  type: 'url';
}

/** Rich text (HTML). */
export interface EditorField extends FieldCommon {
  type: 'editor';
  maxSize: number;
  convertURLs: boolean;
  required: boolean;
  help: string;
}

/** A datetime with optional bounds (date strings, `""` when unbounded). */
export interface DateField extends FieldCommon {
  type: 'date';
  min: string;
  max: string;
  required: boolean;
  help: string;
}

/** A datetime set automatically on create and/or update. */
export interface AutodateField extends FieldCommon {
  type: 'autodate';
  onCreate: boolean;
  onUpdate: boolean;
}

/** One or several values from a fixed list. */
export interface SelectField extends FieldCommon {
  type: 'select';
  values: string[];
  maxSelect: number;
  required: boolean;
  help: string;
}

/** One or several uploaded files. */
export interface FileField extends FieldCommon {
  type: 'file';
  maxSize: number;
  maxSelect: number;
  mimeTypes: string[];
  thumbs: string[];
  protected: boolean;
  required: boolean;
  help: string;
}

/** References to records of another (or the same) collection. */
export interface RelationField extends FieldCommon {
  type: 'relation';
  collectionId: string;
  cascadeDelete: boolean;
  minSelect: number;
  maxSelect: number;
  required: boolean;
  help: string;
}

/** Any JSON value. */
export interface JsonField extends FieldCommon {
  type: 'json';
  maxSize: number;
  required: boolean;
  help: string;
}

/** A hashed password; never output. */
export interface PasswordField extends FieldCommon {
  type: 'password';
  min: number;
  max: number;
  pattern: string;
  cost: number;
  required: boolean;
  help: string;
}

/** A longitude/latitude pair. */
export interface GeoPointField extends FieldCommon {
  type: 'geoPoint';
  required: boolean;
  help: string;
}

/** Any field. */
export type Field =
  | TextField
  | NumberField
  | BoolField
  | EmailField
  | UrlField
  | EditorField
  | DateField
  | AutodateField
  | SelectField
  | FileField
  | RelationField
  | JsonField
  | PasswordField
  | GeoPointField;

/** True for select, file and relation fields that hold several values (`maxSelect > 1`). */
export function isMultiValue(field: Field): boolean {
  return (
    (field.type === 'select' || field.type === 'file' || field.type === 'relation') &&
    field.maxSelect > 1
  );
}

/** The field interface of one type. */
export type FieldOf<T extends FieldType> = Extract<Field, { type: T }>;

/**
 * Whether non-superusers' filters and sorts must not read the field (API.md §1.1): hidden
 * fields, and every password field whatever its `hidden` option, whose stored hash a comparison
 * such as `pw >= '$a'` would otherwise reveal character by character (issue 15 S1).
 */
export function isFilterHidden(field: Field): boolean {
  return field.hidden || field.type === 'password';
}
