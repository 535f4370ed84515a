import type { ColumnKind } from '../../db/adapter.js';
import { crc32Decimal } from '../../lib/security/crc32.js';
import { nameError } from '../collection/name-rules.js';
import type { ErrorCollector } from '../validation-errors.js';
import { fieldError } from '../validation-errors.js';
import type { FieldCommon, FieldOf } from './field-model.js';
import type { FieldTypeDef, FieldValueBehaviour } from './field-type-def.js';
import { OptionReader } from './option-reader.js';
import { autodateFieldDef } from './autodate-field.js';
import { boolFieldDef } from './bool-field.js';
import { dateFieldDef } from './date-field.js';
import { editorFieldDef } from './editor-field.js';
import { emailFieldDef } from './email-field.js';
import { fileFieldDef } from './file-field.js';
import { geoPointFieldDef } from './geo-point-field.js';
import { jsonFieldDef } from './json-field.js';
import { numberFieldDef } from './number-field.js';
import { passwordFieldDef } from './password-field.js';
import { relationFieldDef } from './relation-field.js';
import { selectFieldDef } from './select-field.js';
import { textFieldDef } from './text-field.js';
import { urlFieldDef } from './url-field.js';

/**
 * The registry: every field type's definition, by type name. Each type's interface, options,
 * values and body size are defined in its own file, `<type>-field.ts`; adding a type is that
 * file plus its line here. `FieldType`, `Field` and FIELD_TYPES derive from this list (and
 * the order of FIELD_TYPES is its order).
 */
export const FIELD_DEFS = {
  text: textFieldDef,
  number: numberFieldDef,
  bool: boolFieldDef,
  email: emailFieldDef,
  url: urlFieldDef,
  editor: editorFieldDef,
  date: dateFieldDef,
  autodate: autodateFieldDef,
  select: selectFieldDef,
  file: fileFieldDef,
  relation: relationFieldDef,
  json: jsonFieldDef,
  password: passwordFieldDef,
  geoPoint: geoPointFieldDef,
} as const;

type FieldDefs = typeof FIELD_DEFS;

/** A field type name. */
export type FieldType = keyof FieldDefs;

/** Any field: the union of every registered type's interface. */
export type Field = ReturnType<FieldDefs[FieldType]['read']>;

/**
 * The registry by type, each definition over its own interface. Assigning FIELD_DEFS to it
 * checks that every line registers a definition under its own type name.
 */
const DEFS_BY_TYPE: { readonly [T in FieldType]: FieldTypeDef<FieldOf<T>> } = FIELD_DEFS;

/** Every field type, in the registry's order. */
export const FIELD_TYPES: readonly FieldType[] = Object.keys(FIELD_DEFS).filter(
  (key): key is FieldType => key in FIELD_DEFS,
);

/** True when `value` names a known field type. */
export function isFieldType(value: unknown): value is FieldType {
  return typeof value === 'string' && Object.hasOwn(FIELD_DEFS, value);
}

function isFieldOf<T extends FieldType>(field: Field, type: T): field is FieldOf<T> {
  return field.type === type;
}

/** A type's value behaviour over any field, checking at each call that the field is its type. */
function forAnyField<T extends FieldType>(
  type: T,
  own: FieldValueBehaviour<FieldOf<T>>,
): FieldValueBehaviour<Field> {
  const of = (field: Field): FieldOf<T> => {
    if (!isFieldOf(field, type)) throw new TypeError(`A ${field.type} field is not a ${type}.`);
    return field;
  };
  const modify = own.modify?.bind(own);
  return {
    columnKind: (field) => own.columnKind(of(field)),
    cast: (field, raw) => own.cast(of(field), raw),
    validate: (field, value) => own.validate(of(field), value),
    fromStored: (field, stored) => own.fromStored(of(field), stored),
    toStored: (field, value) => own.toStored(of(field), value),
    toJson: (field, stored) => own.toJson(of(field), stored),
    valueToJson: (field, value) => own.valueToJson(of(field), value),
    modify:
      modify && ((field, modifier, raw, current) => modify(of(field), modifier, raw, current)),
  };
}

// T ties `type` to its definition: DEFS_BY_TYPE[type] is then FieldTypeDef<FieldOf<T>>, not a
// union.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
function behaviourEntry<T extends FieldType>(type: T): [FieldType, FieldValueBehaviour<Field>] {
  const def: FieldTypeDef<FieldOf<T>> = DEFS_BY_TYPE[type];
  return [type, forAnyField(type, def.values)];
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
function bodySizeEntry<T extends FieldType>(type: T): [FieldType, (field: Field) => number] {
  const def: FieldTypeDef<FieldOf<T>> = DEFS_BY_TYPE[type];
  const own = def.bodySize;
  if (!own) return [type, () => 0];
  return [type, (field) => (isFieldOf(field, type) ? own(field) : 0)];
}

const VALUE_BEHAVIOURS: ReadonlyMap<FieldType, FieldValueBehaviour<Field>> = new Map(
  FIELD_TYPES.map((type) => behaviourEntry(type)),
);

const BODY_SIZES: ReadonlyMap<FieldType, (field: Field) => number> = new Map(
  FIELD_TYPES.map((type) => bodySizeEntry(type)),
);

/** The value behaviour a field's type defines in its own file (`<type>-field.ts`). */
export function valueBehaviourOf(field: Field): FieldValueBehaviour<Field> {
  const own = VALUE_BEHAVIOURS.get(field.type);
  if (!own) throw new TypeError(`No field type ${field.type}.`);
  return own;
}

// T ties `type` to its definition, as in behaviourEntry.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
function boundToJson<T extends FieldType>(type: T, field: Field): (stored: unknown) => unknown {
  if (!isFieldOf(field, type)) throw new TypeError(`A ${field.type} field is not a ${type}.`);
  const values: FieldValueBehaviour<FieldOf<T>> = DEFS_BY_TYPE[type].values;
  return (stored) => values.toJson(field, stored);
}

/**
 * One field's converter from a stored column value to the API's JSON: its type's `toJson`,
 * bound to the field once (record JSON builders call it for every record).
 */
export function storedToJsonOf(field: Field): (stored: unknown) => unknown {
  return boundToJson(field.type, field);
}

/**
 * Whether non-superusers' filters and sorts must not read the field (API.md §1.1): hidden
 * fields, and every field of a type whose definition says `filterHidden` whatever its `hidden`
 * option: the password field, whose stored hash a comparison such as `pw >= '$a'` would
 * otherwise reveal character by character (issue 15 S1).
 */
export function isFilterHidden(field: Field): boolean {
  return field.hidden || FIELD_DEFS[field.type].filterHidden === true;
}

/** How much a field adds to its collection's record body limit (its type's `bodySize`, or 0). */
export function fieldBodySize(field: Field): number {
  return BODY_SIZES.get(field.type)?.(field) ?? 0;
}

/** The id PocketBase gives a field that has none: its type plus the CRC32 of its name. */
export function defaultFieldId(type: FieldType, name: string): string {
  return type + crc32Decimal(name);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readCommon(
  o: OptionReader,
  type: FieldType,
  errors: ErrorCollector,
  path: string[],
): FieldCommon {
  const name = o.string('name', '', 1000);
  const problem = nameError(name);
  if (problem) errors.add([...path, 'name'], problem);
  const id = o.string('id', '', 100);
  if (id !== '' && !/^[A-Za-z0-9_]+$/.test(id)) o.fail('id', 'validation_invalid_format');
  return {
    id: id === '' ? defaultFieldId(type, name) : id,
    name,
    system: o.bool('system'),
    hidden: o.bool('hidden'),
    presentable: o.bool('presentable'),
  };
}

/**
 * Reads one field definition from untrusted JSON, recording errors under `path`. Returns
 * undefined when the input is not an object or names no known type.
 */
export function readField(
  input: unknown,
  errors: ErrorCollector,
  path: string[],
): Field | undefined {
  if (!isObject(input)) {
    errors.add(path, fieldError('validation_invalid_type'));
    return undefined;
  }
  const type = input.type;
  if (!isFieldType(type)) {
    const code =
      type === undefined || type === '' ? 'validation_required' : 'validation_unknown_field_type';
    errors.add([...path, 'type'], fieldError(code));
    return undefined;
  }
  const reader = new OptionReader(input, errors, path);
  const common = readCommon(reader, type, errors, path);
  return DEFS_BY_TYPE[type].read(common, reader);
}

/** How a field's column stores its values. */
export function columnKindOf(field: Field): ColumnKind {
  return valueBehaviourOf(field).columnKind(field);
}
