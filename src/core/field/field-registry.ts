import type { ColumnKind } from '../../db/adapter.js';
import { crc32Decimal } from '../../lib/security/crc32.js';
import { nameError } from '../collection/name-rules.js';
import type { ErrorCollector } from '../validation-errors.js';
import { fieldError } from '../validation-errors.js';
import { autodateFieldDef, dateFieldDef } from './date-fields.js';
import {
  FIELD_TYPES,
  isFieldType,
  isMultiValue,
  type Field,
  type FieldCommon,
  type FieldOf,
  type FieldType,
} from './field-model.js';
import type { FieldTypeDef, FieldValueBehaviour } from './field-type-def.js';
import { fileFieldDef, relationFieldDef, selectFieldDef } from './multi-fields.js';
import { OptionReader } from './option-reader.js';
import {
  editorFieldDef,
  emailFieldDef,
  passwordFieldDef,
  textFieldDef,
  urlFieldDef,
} from './text-fields.js';
import { boolFieldDef } from './bool-field.js';
import { geoPointFieldDef } from './geo-point-field.js';
import { jsonFieldDef, numberFieldDef } from './value-fields.js';

/** Every field type's definition, by type name. */
export const FIELD_DEFS: { readonly [T in FieldType]: FieldTypeDef<T> } = {
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
};

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
  return {
    columnKind: (field) => own.columnKind(of(field)),
    cast: (field, raw) => own.cast(of(field), raw),
    validate: (field, value) => own.validate(of(field), value),
    fromStored: (field, stored) => own.fromStored(of(field), stored),
    toStored: (field, value) => own.toStored(of(field), value),
    toJson: (field, stored) => own.toJson(of(field), stored),
  };
}

// T ties `type` to its definition: FIELD_DEFS[type] is then FieldTypeDef<T>, not a union.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
function behaviourEntry<T extends FieldType>(type: T): [FieldType, FieldValueBehaviour<Field>][] {
  const def: FieldTypeDef<T> = FIELD_DEFS[type];
  return def.values ? [[type, forAnyField(type, def.values)]] : [];
}

const VALUE_BEHAVIOURS: ReadonlyMap<FieldType, FieldValueBehaviour<Field>> = new Map(
  FIELD_TYPES.flatMap((type) => behaviourEntry(type)),
);

/**
 * The value behaviour a field's type defines in its own file (field-type-def.ts), or
 * undefined for the types whose values the dispatchers' switches still handle.
 */
export function valueBehaviourOf(field: Field): FieldValueBehaviour<Field> | undefined {
  return VALUE_BEHAVIOURS.get(field.type);
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
  return FIELD_DEFS[type].read(common, reader);
}

/** How a field's column stores its values. */
export function columnKindOf(field: Field): ColumnKind {
  const own = valueBehaviourOf(field);
  if (own) return own.columnKind(field);
  switch (field.type) {
    case 'text':
      return field.primaryKey ? 'primaryKey' : 'text';
    case 'number':
      return 'number';
    case 'json':
      return 'json';
    case 'select':
    case 'file':
    case 'relation':
      return isMultiValue(field) ? 'jsonArray' : 'text';
    default:
      return 'text';
  }
}
