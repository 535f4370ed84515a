import type { Field } from '../field/field-model.js';
import { readField } from '../field/field-registry.js';
import { fieldError } from '../validation-errors.js';
import {
  checkNewSystemField,
  checkUnchangedSystemField,
  requiredSystemFields,
} from './system-field-check.js';
import type { ValidationRun } from './validate-context.js';

/**
 * Field names that would clash with keys of the record JSON or of auth forms, literals of the
 * filter language (refused by PocketBase too), or columns the engines keep themselves:
 * SQLite's rowid aliases, the hidden `_rowid_` column of PostgreSQL/MySQL tables and
 * PostgreSQL's system columns. `__proto__` is not a property name in JavaScript objects: as
 * a key it would set the record's prototype.
 */
const RESERVED_FIELD_NAMES = [
  'expand',
  'collectionid',
  'collectionname',
  '__proto__',
  'null',
  'true',
  'false',
  'rowid',
  '_rowid_',
  'oid',
  'tableoid',
  'xmin',
  'xmax',
  'cmin',
  'cmax',
  'ctid',
];
const RESERVED_AUTH_FIELD_NAMES = ['passwordconfirm', 'oldpassword'];

/** Whether a field of a collection of this type may not have this name (any case). */
export function isReservedFieldName(name: string, type: ValidationRun['type']): boolean {
  const lower = name.toLowerCase();
  return (
    RESERVED_FIELD_NAMES.includes(lower) ||
    (type === 'auth' && RESERVED_AUTH_FIELD_NAMES.includes(lower))
  );
}

/** Fields as read, at their input positions (undefined where an item was unreadable). */
type ReadFields = (Field | undefined)[];

function readFields(run: ValidationRun, input: unknown): ReadFields {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) {
    run.errors.add(['fields'], fieldError('validation_invalid_type'));
    return [];
  }
  if (input.length > 500) {
    run.errors.add(['fields'], fieldError('validation_too_many_values', { maxSelect: 500 }));
    return [];
  }
  return input.map((item: unknown, i) => readField(item, run.errors, ['fields', String(i)]));
}

/** Adds the system fields a new collection must have and the client left out. */
function addMissingSystemFields(run: ValidationRun, fields: Field[]): Field[] {
  if (run.ctx.old) return fields;
  const missing = requiredSystemFields(run).filter((r) => !fields.some((f) => f.name === r.name));
  const id = missing.filter((f) => f.name === 'id');
  return [...id, ...fields, ...missing.filter((f) => f.name !== 'id')];
}

function checkNames(run: ValidationRun, fields: ReadFields): void {
  const seenNames = new Set<string>();
  const seenIds = new Set<string>();
  fields.forEach((field, i) => {
    if (!field) return;
    const lower = field.name.toLowerCase();
    const path = ['fields', String(i)];
    if (seenNames.has(lower))
      run.errors.add([...path, 'name'], fieldError('validation_duplicated_name'));
    if (seenIds.has(field.id))
      run.errors.add([...path, 'id'], fieldError('validation_duplicated_name'));
    seenNames.add(lower);
    seenIds.add(field.id);
    if (isReservedFieldName(field.name, run.type))
      run.errors.add([...path, 'name'], fieldError('validation_reserved_name'));
  });
}

function checkPrimaryKey(run: ValidationRun, fields: ReadFields): void {
  fields.forEach((field, i) => {
    if (!field) return;
    const isPk = field.type === 'text' && field.primaryKey;
    if (field.name === 'id' && !isPk) {
      run.errors.add(['fields', String(i), 'primaryKey'], fieldError('validation_required'));
    } else if (field.name !== 'id' && isPk) {
      run.errors.add(['fields', String(i), 'primaryKey'], fieldError('validation_invalid_value'));
    }
  });
}

/**
 * Checks each field against its stored version: type, system flag and relation target; a
 * system field must come back unchanged. New system fields must be known ones, unchanged
 * (PocketBase's scaffolds and exports carry them). Returns the fields with the required
 * system fields flagged as such.
 */
function checkAgainstOld(run: ValidationRun, fields: ReadFields): ReadFields {
  const oldFields = run.ctx.old?.fields ?? [];
  const checked = fields.map((field, i) => {
    if (!field) return field;
    const path = ['fields', String(i)];
    const old = oldFields.find((f) => f.id === field.id);
    if (!old) return run.ctx.trusted ? field : checkNewSystemField(run, field, path);
    if (old.type !== field.type)
      run.errors.add([...path, 'type'], fieldError('validation_field_type_change'));
    else if (old.system !== field.system)
      run.errors.add([...path, 'system'], fieldError('validation_system_change'));
    else if (old.system && !run.ctx.trusted) checkUnchangedSystemField(run, field, old, path);
    if (
      old.type === 'relation' &&
      field.type === 'relation' &&
      old.collectionId !== field.collectionId
    ) {
      run.errors.add([...path, 'collectionId'], fieldError('validation_invalid_value'));
    }
    return field;
  });
  const removedSystem = oldFields.some((o) => o.system && !fields.some((f) => f?.id === o.id));
  if (removedSystem) {
    const message = 'System fields cannot be deleted.';
    run.errors.add(['fields'], fieldError('validation_system_change', {}, message));
  }
  return checked;
}

/** Resolves relation targets (by id, or by name for convenience) to collection ids. */
function resolveRelations(run: ValidationRun, fields: ReadFields): ReadFields {
  return fields.map((field, i) => {
    if (field?.type !== 'relation' || field.collectionId === '') return field;
    if (field.collectionId === run.id) return field;
    const wanted = field.collectionId.toLowerCase();
    const target =
      run.ctx.existing.find((c) => c.id === field.collectionId) ??
      run.ctx.existing.find((c) => c.name.toLowerCase() === wanted);
    if (!target) {
      run.errors.add(
        ['fields', String(i), 'collectionId'],
        fieldError('validation_missing_collection'),
      );
      return field;
    }
    // A view has no stored records to keep references to (PocketBase's rule too).
    if (target.type === 'view' && run.type !== 'view') {
      run.errors.add(
        ['fields', String(i), 'collectionId'],
        fieldError('validation_relation_field_non_view_base_collection'),
      );
    }
    return { ...field, collectionId: target.id };
  });
}

/** Reads and checks a collection's fields; returns them with system fields completed. */
export function validateFields(run: ValidationRun, input: unknown): Field[] {
  const fields = resolveRelations(run, readFields(run, input));
  checkNames(run, fields);
  checkPrimaryKey(run, fields);
  const checked = checkAgainstOld(run, fields);
  return addMissingSystemFields(
    run,
    checked.filter((f) => f !== undefined),
  );
}
