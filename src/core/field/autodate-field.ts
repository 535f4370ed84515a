import type { FieldCommon } from './field-model.js';
import type { FieldTypeDef } from './field-type-def.js';
import { storedText, textToStore, toDate } from './field-value-primitives.js';

/** A datetime set automatically on create and/or update. */
export interface AutodateField extends FieldCommon {
  type: 'autodate';
  onCreate: boolean;
  onUpdate: boolean;
}

/**
 * `autodate`: a datetime the server sets on create and/or on update (record-defaults.ts,
 * record-prepare.ts); clients cannot set it (record-input.ts), so any value is valid.
 */
export const autodateFieldDef: FieldTypeDef<AutodateField> = {
  type: 'autodate',
  read(common, o) {
    return {
      ...common,
      type: 'autodate',
      onCreate: o.bool('onCreate'),
      onUpdate: o.bool('onUpdate'),
    };
  },
  values: {
    columnKind: () => 'text',
    cast: (_field, raw) => toDate(raw),
    validate: () => undefined,
    fromStored: (_field, stored) => storedText(stored),
    toStored: (_field, value) => textToStore(value),
    toJson: (_field, stored) => storedText(stored),
    valueToJson: (_field, value) => value,
  },
};
