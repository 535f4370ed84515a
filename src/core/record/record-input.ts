import { isJsonObject } from '../../lib/json-merge.js';
import type { Collection } from '../collection/collection-model.js';
import type { Field } from '../field/field-model.js';
import type { ValueModifier } from '../field/field-type-def.js';
import {
  castFieldValue,
  InvalidCast,
  modifyFieldValue,
  type FieldValue,
} from '../field/field-value-cast.js';

/** How a body key modifies its field (API.md §1.3). */
type Modifier = 'set' | ValueModifier;

interface KeyEntry {
  readonly key: string;
  readonly field: Field;
  readonly modifier: Modifier;
  readonly raw: unknown;
}

const KEY_RE = /^(\+)?([A-Za-z_][A-Za-z0-9_]*)(\+|-|:autogenerate)?$/;

function modifierOf(prefix: string | undefined, suffix: string | undefined): Modifier | undefined {
  if (prefix && suffix) return undefined;
  if (prefix) return 'prepend';
  if (suffix === '+') return 'append';
  if (suffix === '-') return 'remove';
  if (suffix === ':autogenerate') return 'autogenerate';
  return 'set';
}

/** The submitted data of a record create or update, after modifiers and casting. */
export interface RecordInput {
  /** Typed values of the submitted fields, by field name. */
  readonly values: Map<string, FieldValue>;
  /** `@request.body`: cast values for fields, raw values for other keys. */
  readonly requestBody: Record<string, unknown>;
  /** Non-field keys of the body (auth forms read `passwordConfirm` and `oldPassword` here). */
  readonly extras: Record<string, unknown>;
  /** Stored names of the files uploaded with this body (valid file values besides the old). */
  readonly newFiles: ReadonlySet<string>;
}

/** Whether a requester may write a field: hidden fields are superuser-only, except auth passwords. */
function writable(collection: Collection, field: Field, superuser: boolean): boolean {
  if (field.type === 'autodate') return false;
  if (!field.hidden || superuser) return true;
  return collection.type === 'auth' && field.name === 'password';
}

function classify(collection: Collection, body: Record<string, unknown>, superuser: boolean) {
  const entries: KeyEntry[] = [];
  const extras: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body)) {
    const m = KEY_RE.exec(key);
    const field = m ? collection.fields.find((f) => f.name === m[2]) : undefined;
    const modifier = m ? modifierOf(m[1], m[3]) : undefined;
    if (!field || !modifier) {
      if (!collection.fields.some((f) => f.name === key)) extras[key] = raw;
      continue;
    }
    if (writable(collection, field, superuser)) entries.push({ key, field, modifier, raw });
  }
  // Plain keys first, then modifiers, shorter keys first (API.md §1.3).
  entries.sort(
    (a, b) =>
      Number(a.modifier !== 'set') - Number(b.modifier !== 'set') || a.key.length - b.key.length,
  );
  return { entries, extras };
}

function applyModifier(entry: KeyEntry, current: FieldValue): FieldValue {
  const { field, modifier, raw } = entry;
  if (modifier === 'set') return castFieldValue(field, raw);
  return modifyFieldValue(field, modifier, raw, current);
}

/**
 * Reads a record body: keeps the writable fields, applies plain keys then modifiers over the
 * current values (`current` holds the stored typed values on update), and casts each value to
 * its field type. Unknown keys are kept as extras and in `@request.body`.
 */
export function readRecordInput(
  collection: Collection,
  body: unknown,
  current: ReadonlyMap<string, FieldValue>,
  superuser: boolean,
  newFiles: ReadonlySet<string> = new Set(),
): RecordInput {
  const input = isJsonObject(body) ? body : {};
  const { entries, extras } = classify(collection, input, superuser);
  const values = new Map<string, FieldValue>();
  for (const entry of entries) {
    const base = values.has(entry.field.name)
      ? values.get(entry.field.name)
      : current.get(entry.field.name);
    values.set(entry.field.name, applyModifier(entry, base));
  }
  const requestBody: Record<string, unknown> = { ...extras };
  for (const [name, value] of values)
    requestBody[name] = value instanceof InvalidCast ? undefined : value;
  return { values, requestBody, extras, newFiles };
}
