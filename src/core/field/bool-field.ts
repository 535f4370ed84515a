import { fieldError } from '../validation-errors.js';
import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { InvalidCast } from './field-value-primitives.js';

function castBool(raw: unknown): boolean | InvalidCast {
  if (raw === null || raw === undefined || raw === '') return false;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw !== 0;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return new InvalidCast('validation_invalid_value');
}

/** A stored boolean: 1/0 (SQLite, MariaDB), true/false (PostgreSQL), or text of either. */
function storedBool(stored: unknown): boolean {
  return stored === true || stored === 1 || stored === '1' || stored === 'true';
}

/** A boolean; `required` means it must be true. */
export interface BoolField extends FieldCommon {
  type: 'bool';
  required: boolean;
  help: string;
}

/**
 * `bool`: true or false, submitted as a boolean, 1/0 or their text; stored as 1/0; `required`
 * means true (API.md §3.2).
 */
export const boolFieldDef: FieldTypeDef<BoolField> = {
  type: 'bool',
  read(common, o) {
    return { ...common, type: 'bool', required: o.bool('required'), help: o.string('help') };
  },
  values: {
    columnKind: () => 'bool',
    cast: (_field, raw) => castBool(raw),
    validate: (field, value) =>
      field.required && value !== true ? fieldError('validation_required') : undefined,
    fromStored: (_field, stored) => storedBool(stored),
    toStored: (_field, value) => (value === true ? 1 : 0),
    toJson: (_field, stored) => storedBool(stored),
    valueToJson: (_field, value) => value,
  },
};
