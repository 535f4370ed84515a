import { perCollection } from '../collection/collection-memo.js';
import type { Collection } from '../collection/collection-model.js';
import type { Field } from '../field/field-model.js';
import { columnKindOf } from '../field/field-registry.js';
import { storedText } from '../field/field-value-store.js';
import type { RecordJson, RecordRow } from './record-model.js';

/** What the requester may see of a record. */
export interface Visibility {
  /** Superusers see hidden fields. */
  readonly showHidden: boolean;
  /** Auth records: show `email` even when `emailVisibility` is false. */
  readonly showEmail: boolean;
}

function parseJsonColumn(value: unknown, fallback: unknown): unknown {
  if (typeof value !== 'string') return value ?? fallback;
  try {
    return JSON.parse(value);
  } catch {
    // A value written outside Basalt that is not JSON is shown as the text it is.
    return value;
  }
}

/** Converts one stored column value to its JSON value (API.md §1.2 encodings). */
export function fieldToJson(field: Field, value: unknown): unknown {
  switch (columnKindOf(field)) {
    case 'number':
      return typeof value === 'number' ? value : Number(value ?? 0) || 0;
    case 'bool':
      return value === true || value === 1 || value === '1' || value === 'true';
    case 'json':
      return parseJsonColumn(value, null);
    case 'jsonArray':
      return parseJsonColumn(value, []);
    case 'geoPoint':
      return parseJsonColumn(value, { lon: 0, lat: 0 });
    default:
      return field.type === 'password' ? '' : storedText(value);
  }
}

function isHiddenFromOutput(
  collection: Collection,
  field: Field,
  row: RecordRow,
  vis: Visibility,
): boolean {
  if (collection.type === 'auth' && (field.name === 'password' || field.name === 'tokenKey'))
    return true;
  if (field.hidden && !vis.showHidden) return true;
  if (collection.type === 'auth' && field.name === 'email') {
    const visible = row.emailVisibility === 1 || row.emailVisibility === true;
    return !visible && !vis.showEmail;
  }
  return false;
}

/** One output key of a collection's records, in output order. */
type OutputKey = { readonly key: string; readonly field: Field | undefined };

// Per collection version: the output keys in PocketBase's (alphabetical) order, computed once.
const outputPlan = perCollection((collection): readonly OutputKey[] => {
  const keys: OutputKey[] = [
    { key: 'collectionId', field: undefined },
    { key: 'collectionName', field: undefined },
    ...collection.fields.map((field) => ({ key: field.name, field })),
  ];
  return keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
});

/**
 * The API JSON of a stored record: `collectionId`, `collectionName` and every visible field,
 * with keys in alphabetical order as PocketBase outputs them.
 */
export function recordToJson(collection: Collection, row: RecordRow, vis: Visibility): RecordJson {
  const out: RecordJson = {};
  for (const { key, field } of outputPlan(collection)) {
    if (!field) out[key] = key === 'collectionId' ? collection.id : collection.name;
    else if (!isHiddenFromOutput(collection, field, row, vis))
      out[key] = fieldToJson(field, row[key]);
  }
  return out;
}
