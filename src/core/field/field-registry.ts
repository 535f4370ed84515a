import type { ColumnKind } from '../../db/adapter.js';
import { crc32Decimal } from '../../lib/security/crc32.js';
import { nameError } from '../collection/name-rules.js';
import type { ErrorCollector } from '../validation-errors.js';
import { fieldError } from '../validation-errors.js';
import { autodateFieldDef, dateFieldDef } from './date-fields.js';
import {
  isFieldType,
  isMultiValue,
  type Field,
  type FieldCommon,
  type FieldType,
} from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { fileFieldDef, relationFieldDef, selectFieldDef } from './multi-fields.js';
import { OptionReader } from './option-reader.js';
import {
  editorFieldDef,
  emailFieldDef,
  passwordFieldDef,
  textFieldDef,
  urlFieldDef,
} from './text-fields.js';
import { boolFieldDef, geoPointFieldDef, jsonFieldDef, numberFieldDef } from './value-fields.js';

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
  switch (field.type) {
    case 'text':
      return field.primaryKey ? 'primaryKey' : 'text';
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'json':
      return 'json';
    case 'geoPoint':
      return 'geoPoint';
    case 'select':
    case 'file':
    case 'relation':
      return isMultiValue(field) ? 'jsonArray' : 'text';
    default:
      return 'text';
  }
}
