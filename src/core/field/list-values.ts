import type { FieldError } from '../errors.js';
import { isMultiValue } from './field-model.js';
import type { FieldValueBehaviour, ValueModifier } from './field-type-def.js';
import type { FileField } from './file-field.js';
import {
  listOf,
  storedJson,
  storedText,
  textToStore,
  toList,
  type FieldValue,
} from './field-value-primitives.js';
import type { RelationField } from './relation-field.js';
import type { SelectField } from './select-field.js';

/** The field types whose values are lists of strings: one, or several (`maxSelect > 1`). */
export type ListField = SelectField | FileField | RelationField;

/** A stored list column: a multiple field's JSON array, a single field's text. */
function listFromStored(field: ListField, stored: unknown): string[] {
  if (isMultiValue(field)) {
    const parsed = storedJson(stored, () => null);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  }
  return typeof stored === 'string' && stored !== '' ? [stored] : [];
}

function listToStored(field: ListField, value: FieldValue): unknown {
  return isMultiValue(field)
    ? JSON.stringify(Array.isArray(value) ? value : [])
    : textToStore(value);
}

/**
 * `f+` appends the submitted items, `+f` prepends them and `f-` removes them; the result is
 * cast again (de-duplicated; a single field keeps the last).
 */
function modifyList(
  field: ListField,
  modifier: ValueModifier,
  raw: unknown,
  current: FieldValue,
): FieldValue {
  if (modifier === 'autogenerate') return current;
  const items = toList(raw, true);
  if (!Array.isArray(items)) return items;
  const base = Array.isArray(current) ? current.map(String) : [];
  if (modifier === 'remove') return base.filter((v) => !items.includes(v));
  const merged = modifier === 'append' ? [...base, ...items] : [...items, ...base];
  return toList([...new Set(merged)], isMultiValue(field));
}

/**
 * The value behaviour select, file and relation fields share, around their own `validate` of
 * the value as a string list: cast to de-duplicated strings (a single field keeps the last),
 * stored as a JSON array when multiple and as text when single, output in the API as a list
 * when multiple and as a string ('' when empty) when single; modified by `f+`, `+f` and `f-`.
 */
export function listValues<F extends ListField>(
  validate: (field: F, list: string[]) => FieldError | undefined,
): FieldValueBehaviour<F> {
  return {
    columnKind: (field) => (isMultiValue(field) ? 'jsonArray' : 'text'),
    cast: (field, raw) => toList(raw, isMultiValue(field)),
    validate: (field, value) => validate(field, listOf(value)),
    fromStored: listFromStored,
    toStored: listToStored,
    toJson: (field, stored) =>
      isMultiValue(field) ? storedJson(stored, () => []) : storedText(stored),
    valueToJson(field, value) {
      if (isMultiValue(field)) return value;
      return Array.isArray(value) && value.length > 0 ? String(value[0]) : '';
    },
    modify: modifyList,
  };
}
