import { isDeepStrictEqual } from 'node:util';
import type { Field } from '../field/field-model.js';
import { fieldError } from '../validation-errors.js';
import { authSystemFields, idField, timestampFields } from './collection-defaults.js';
import type { ValidationRun } from './validate-context.js';

/** Keys a system field may differ in: its id string and what only the dashboard shows. */
const FREE_KEYS = new Set(['id', 'help', 'presentable']);

/**
 * Keys the `id` field may differ in besides: the shape of record ids. PocketBase's dashboard
 * changes them (its migrations set e.g. `pattern` and `autogeneratePattern` on `id`); the
 * column stays text, so nothing in the table changes.
 */
const ID_KEYS = new Set([...FREE_KEYS, 'pattern', 'autogeneratePattern', 'min', 'max']);

/**
 * The system fields a new collection of this type may carry as PocketBase sends them (its
 * scaffolds, its dashboard, a `pb_schema.json` export): `id`, the auth fields, and the
 * `created`/`updated` autodates of system collections.
 */
function knownSystemFields(run: ValidationRun): Field[] {
  return [...requiredSystemFields(run), ...timestampFields(true)];
}

/** The system fields every collection of this type must have, as Basalt creates them. */
export function requiredSystemFields(run: ValidationRun): Field[] {
  return run.type === 'auth' ? [idField(), ...authSystemFields()] : [idField()];
}

/** The first setting in which `field` differs from `expected`, ignoring the free keys. */
function changedKey(field: Field, expected: Field): string | undefined {
  const given: Record<string, unknown> = { ...field };
  const wanted: Record<string, unknown> = { ...expected };
  const keys = new Set([...Object.keys(given), ...Object.keys(wanted)]);
  const free = expected.name === 'id' ? ID_KEYS : FREE_KEYS;
  for (const key of keys) {
    if (!free.has(key) && !isDeepStrictEqual(given[key], wanted[key])) return key;
  }
  return undefined;
}

/**
 * Checks a system field against the one it must equal (the stored field on update, Basalt's
 * default on create): any difference but the free keys is `validation_system_change`, on
 * the key that differs.
 */
export function checkUnchangedSystemField(
  run: ValidationRun,
  field: Field,
  expected: Field,
  path: string[],
): void {
  const key = changedKey(field, expected);
  if (key !== undefined) run.errors.add([...path, key], fieldError('validation_system_change'));
}

/**
 * A new field of a new collection marked `system` (or named as a required system field): it
 * must be one of the known system fields, unchanged. Returns the field with its system flag
 * set, as PocketBase does for the required ones.
 */
export function checkNewSystemField(run: ValidationRun, field: Field, path: string[]): Field {
  const required = requiredSystemFields(run).some((f) => f.name === field.name);
  if (!field.system && !required) return field;
  const expected = knownSystemFields(run).find((f) => f.name === field.name);
  if (!expected || run.ctx.old) {
    run.errors.add([...path, 'system'], fieldError('validation_system_change'));
    return field;
  }
  const promoted = { ...field, system: true };
  checkUnchangedSystemField(run, promoted, expected, path);
  return promoted;
}
