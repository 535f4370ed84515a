import { isMultiValue, type FieldOf, type Field, type FieldType } from '../field/field-model.js';
import { quoted } from './type-names.js';

/** One field's TypeScript types, as `basalt typegen` writes them. */
export interface FieldTs {
  /** In the API's JSON (record types, responses); undefined when the API never outputs it. */
  readonly json: string | undefined;
  /** What `e.record.get(name)` returns in a hook. */
  readonly value: string;
  /** What a create or update body takes under the field's name; undefined when clients cannot. */
  readonly input: string | undefined;
  /** An update body's modifier keys (`views+`, `+tags`, `tags-`...) with their types. */
  readonly modifiers: readonly (readonly [key: string, type: string])[];
}

/** The same TypeScript type everywhere, no modifier. */
function plain(type: string): FieldTs {
  return { json: type, value: type, input: type, modifiers: [] };
}

/** What a list field (select, relation, file) holds and takes. */
interface ListTs {
  /** One item in the API's JSON; a single field's '' included. */
  readonly one: string;
  /** One item in a hook's list and in a multiple field's JSON. */
  readonly item: string;
  /** What a create or update takes: for a single field, for a multiple one. */
  readonly input: { readonly one: string; readonly many: string };
  /** What `+f` and `f+` take, and `f-`. */
  readonly added: string;
  readonly removed: string;
}

/**
 * A select, relation or file field: one value (`maxSelect <= 1`: a string in the API's JSON,
 * '' when empty) or several (an array); in a hook always a list (RecordModel's lists);
 * `+f`, `f+` and `f-` in updates (API.md §1.3).
 */
function listTs(field: Field, ts: ListTs): FieldTs {
  const multi = isMultiValue(field);
  const name = field.name;
  return {
    json: multi ? `Array<${ts.item}>` : ts.one,
    value: `Array<${ts.item}>`,
    input: multi ? ts.input.many : ts.input.one,
    modifiers: [
      [`+${name}`, ts.added],
      [`${name}+`, ts.added],
      [`${name}-`, ts.removed],
    ],
  };
}

function selectTs(field: FieldOf<'select'>): FieldTs {
  const union = field.values.length > 0 ? field.values.map(quoted).join(' | ') : 'string';
  const item = union;
  const one = field.required ? item : `${union} | ''`;
  const some = `${item} | Array<${item}>`;
  return listTs(field, { one, item, input: { one, many: some }, added: some, removed: some });
}

function fileTs(field: FieldOf<'file'>): FieldTs {
  return listTs(field, {
    one: 'string',
    item: 'string',
    input: { one: 'Blob | string', many: 'Array<Blob | string>' },
    added: 'Blob | Array<Blob>',
    removed: 'string | Array<string>',
  });
}

function relationTs(field: FieldOf<'relation'>): FieldTs {
  const some = 'RecordIdString | Array<RecordIdString>';
  return listTs(field, {
    one: 'RecordIdString',
    item: 'RecordIdString',
    input: { one: 'RecordIdString', many: some },
    added: some,
    removed: some,
  });
}

/** Every field type's TypeScript types (a new field type fails to compile until it is here). */
const FIELD_TS: { readonly [T in FieldType]: (field: FieldOf<T>) => FieldTs } = {
  text: (field) => ({
    ...plain(field.primaryKey ? 'RecordIdString' : 'string'),
    modifiers: field.autogeneratePattern !== '' ? [[`${field.name}:autogenerate`, 'string']] : [],
  }),
  number: (field) => ({
    ...plain('number'),
    modifiers: [
      [`${field.name}+`, 'number'],
      [`${field.name}-`, 'number'],
    ],
  }),
  bool: () => plain('boolean'),
  email: () => plain('string'),
  url: () => plain('string'),
  editor: () => plain('HTMLString'),
  date: () => ({ ...plain('IsoDateString'), input: 'IsoDateString | Date' }),
  autodate: () => ({ ...plain('IsoDateString'), input: undefined }),
  select: selectTs,
  file: fileTs,
  relation: relationTs,
  json: () => plain('JsonValue'),
  // The hash is never output: the API sends '' (an auth collection's password, not even
  // that). A hook reads the hash, or the new password before the write hashes it.
  password: () => ({ json: "''", value: 'string', input: 'string', modifiers: [] }),
  geoPoint: () => plain('GeoPoint'),
};

/** The TypeScript types of a field. */
export function fieldTs(field: Field): FieldTs {
  const of = FIELD_TS[field.type] as (field: Field) => FieldTs;
  return of(field);
}
