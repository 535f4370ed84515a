import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { recordBodyLimit, DEFAULT_BODY_LIMIT } from '../body-limits.js';
import type { Collection } from '../collection/collection-model.js';
import { emptyStoredValue } from '../record/record-defaults.js';
import { fieldToJson } from '../record/record-json.js';
import { ErrorCollector } from '../validation-errors.js';
import type { Field, FieldOf, FieldType } from './field-model.js';
import {
  columnKindOf,
  FIELD_DEFS,
  FIELD_TYPES,
  fieldBodySize,
  isFieldType,
  isFilterHidden,
  readField,
  valueBehaviourOf,
} from './field-registry.js';
import type { FieldValueBehaviour } from './field-type-def.js';
import { castFieldValue, InvalidCast, modifyFieldValue } from './field-value-cast.js';
import { fromStoredValue, toStoredValue, valueToJson } from './field-value-store.js';
import { validateFieldValue } from './field-value-validate.js';
import type { GeoPointField } from './geo-point-field.js';
import type { TextField } from './text-field.js';

function field(input: Record<string, unknown>): Field {
  const errors = new ErrorCollector();
  const read = readField(input, errors, ['f']);
  if (!read || errors.hasErrors) throw new Error(`unreadable field ${JSON.stringify(input)}`);
  return read;
}

/** `geoPoint` -> `geo-point`: the file name of a type's definition is `<this>-field.ts`. */
function kebab(type: FieldType): string {
  return type.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `geoPoint` -> `GeoPointField`: the name of a type's interface. */
function interfaceName(type: FieldType): string {
  return `${type.charAt(0).toUpperCase()}${type.slice(1)}Field`;
}

const FIELD_DIR = import.meta.dirname;

const BEHAVIOUR_METHODS: readonly (keyof FieldValueBehaviour<Field>)[] = [
  'columnKind',
  'cast',
  'validate',
  'fromStored',
  'toStored',
  'toJson',
  'valueToJson',
];

// Each field type defines its options and value behaviour in its own file, `<type>-field.ts`,
// registered by one line in FIELD_DEFS; the dispatchers only ask the field's type.
describe('every field type defines its behaviour in one place', () => {
  it.each(FIELD_TYPES)('%s has a definition with all of its value behaviour', (type) => {
    const def = FIELD_DEFS[type];
    expect(def.type).toBe(type);
    expect(typeof def.read).toBe('function');
    for (const method of BEHAVIOUR_METHODS) expect(typeof def.values[method]).toBe('function');
    expect(['undefined', 'function']).toContain(typeof def.bodySize);
  });

  it.each(FIELD_TYPES)('%s is defined in its own file, <type>-field.ts', async (type) => {
    const file = join(FIELD_DIR, `${kebab(type)}-field.ts`);
    const module = (await import(file)) as Record<string, unknown>;
    expect(Object.values(module)).toContain(FIELD_DEFS[type]);
    // ...and no other type is defined there.
    const others = FIELD_TYPES.filter((t) => t !== type).map((t) => FIELD_DEFS[t]);
    expect(Object.values(module).filter((v) => others.includes(v as never))).toEqual([]);
  });

  it.each(FIELD_TYPES)('%s exports its interface from its own file', (type) => {
    const text = readFileSync(join(FIELD_DIR, `${kebab(type)}-field.ts`), 'utf8');
    const name = interfaceName(type);
    const declared = new RegExp(`export interface ${name} extends [^{]*FieldCommon[^{]*\\{`);
    expect(text).toMatch(declared);
    const body = text.slice(text.search(declared)).split('\n}')[0];
    expect(body).toContain(`type: '${type}';`);
    expect(text).toContain(`FieldTypeDef<${name}>`);
  });

  // Adding a type is its file plus its line in FIELD_DEFS: the file without the line, or the
  // line without the file, fails here; nothing else lists the types.
  it('every <type>-field.ts is registered, in the order of FIELD_TYPES', () => {
    const files = readdirSync(FIELD_DIR).filter((f) => f.endsWith('-field.ts'));
    expect(files.sort()).toEqual(FIELD_TYPES.map((t) => `${kebab(t)}-field.ts`).sort());
    expect(FIELD_TYPES).toEqual(Object.keys(FIELD_DEFS));
    expect(FIELD_TYPES.every(isFieldType)).toBe(true);
    expect(isFieldType('constructor')).toBe(false);
    expect(isFieldType('Text')).toBe(false);
  });

  it('field-model.ts names no field type and imports only types', () => {
    const text = readFileSync(join(FIELD_DIR, 'field-model.ts'), 'utf8');
    const names = FIELD_TYPES.flatMap((t) => [`'${t}'`, `"${t}"`, interfaceName(t)]);
    expect(names.filter((name) => text.includes(name))).toEqual([]);
    // No runtime import: every module, the type files among them, may import it without
    // evaluating the registry (an import cycle).
    const imports = [...text.matchAll(/^(?:import|export) (?!type )[^;'"]*\bfrom '|^import '/gm)];
    expect(imports.map((m) => m[0])).toEqual([]);
  });

  it('Field, FieldType and FieldOf derive from the registry', () => {
    expectTypeOf<FieldType>().toEqualTypeOf<keyof typeof FIELD_DEFS>();
    expectTypeOf<FieldOf<'text'>>().toEqualTypeOf<TextField>();
    expectTypeOf<FieldOf<'geoPoint'>>().toEqualTypeOf<GeoPointField>();
    expectTypeOf<Field['type']>().toEqualTypeOf<FieldType>();
    const fields = FIELD_TYPES.map((type) =>
      field({ name: 'f', type, collectionId: 'x', values: ['a'] }),
    );
    expect(fields.map((f) => f.type)).toEqual(FIELD_TYPES);
  });

  it('a password field is filter-hidden whatever its hidden option; others when hidden', () => {
    expect(isFilterHidden(field({ name: 'pw', type: 'password' }))).toBe(true);
    expect(isFilterHidden(field({ name: 't', type: 'text' }))).toBe(false);
    expect(isFilterHidden(field({ name: 't', type: 'text', hidden: true }))).toBe(true);
    const defs = FIELD_TYPES.filter((t) => FIELD_DEFS[t].filterHidden === true);
    expect(defs).toEqual(['password']);
  });

  it('the registry hands each field its own type behaviour, refusing another type', () => {
    const text = field({ name: 't', type: 'text' });
    expect(valueBehaviourOf(text).columnKind(text)).toBe('text');
    const number = field({ name: 'n', type: 'number' });
    // A behaviour looked up for one type refuses a field of another.
    expect(() => valueBehaviourOf(text).cast(number, 1)).toThrow(TypeError);
  });

  // The dispatchers and the other modules that once switched over field types: none names a
  // type any more, so that a new type needs no line in them.
  const DISPATCHERS = [
    'src/core/field/field-registry.ts',
    'src/core/field/field-value-cast.ts',
    'src/core/field/field-value-validate.ts',
    'src/core/field/field-value-store.ts',
    'src/core/record/record-json.ts',
    'src/core/record/record-defaults.ts',
    'src/core/record/record-input.ts',
    'src/core/body-limits.ts',
  ];
  const ROOT = join(import.meta.dirname, '..', '..', '..');
  const named = new RegExp(`(case |type [!=]== )'(${FIELD_TYPES.join('|')})'`, 'g');

  it.each(DISPATCHERS)('%s has no switch over field types', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    // Autodate fields are the server's to set (record-defaults) and no client's to write
    // (record-input): rules of the record write, not of the type's values.
    const found = [...text.matchAll(named)].map((m) => m[0]).filter((m) => !m.includes('autodate'));
    expect(found).toEqual([]);
  });
});

// What each type does, through the dispatchers, as it did before its move into its own file.
describe('field type values through the dispatchers', () => {
  const bool = field({ name: 'flag', type: 'bool', required: true });
  const point = field({ name: 'where', type: 'geoPoint' });

  it('bool: cast, validate, store and render', () => {
    expect(columnKindOf(bool)).toBe('bool');
    expect(castFieldValue(bool, 'true')).toBe(true);
    expect(castFieldValue(bool, 0)).toBe(false);
    expect(castFieldValue(bool, 'yes')).toBeInstanceOf(InvalidCast);
    expect(validateFieldValue(bool, false)).toMatchObject({ code: 'validation_required' });
    expect(validateFieldValue(bool, true)).toBeUndefined();
    expect(toStoredValue(bool, true)).toBe(1);
    expect(fromStoredValue(bool, 1)).toBe(true);
    expect(fromStoredValue(bool, true)).toBe(true);
    expect(fieldToJson(bool, 0)).toBe(false);
  });

  it('geoPoint: cast, validate, store and render', () => {
    expect(columnKindOf(point)).toBe('geoPoint');
    expect(castFieldValue(point, '{"lon": 10.5, "lat": "-3"}')).toEqual({ lon: 10.5, lat: -3 });
    expect(castFieldValue(point, [1, 2])).toBeInstanceOf(InvalidCast);
    expect(validateFieldValue(point, { lon: 200, lat: 0 })).toMatchObject({
      code: 'validation_invalid_value',
    });
    expect(validateFieldValue(point, { lon: 0, lat: 0 })).toBeUndefined();
    expect(toStoredValue(point, { lon: 1, lat: 2 })).toBe('{"lon":1,"lat":2}');
    expect(fromStoredValue(point, null)).toEqual({ lon: 0, lat: 0 });
    expect(fieldToJson(point, '{"lon":1,"lat":2}')).toEqual({ lon: 1, lat: 2 });
  });

  it('text: primary key column, code point bounds, default max 5000, pattern', () => {
    const id = field({ name: 'id', type: 'text', primaryKey: true, required: true });
    const t = field({ name: 't', type: 'text', min: 2, pattern: '^[a-z😀]+$' });
    expect(columnKindOf(id)).toBe('primaryKey');
    expect(columnKindOf(t)).toBe('text');
    expect(castFieldValue(t, 12)).toBe('12');
    expect(castFieldValue(t, 'a\u0000')).toBeInstanceOf(InvalidCast);
    expect(castFieldValue(t, { a: 1 })).toMatchObject({ code: 'validation_is_string' });
    expect(validateFieldValue(t, '')).toBeUndefined();
    expect(validateFieldValue(id, '')).toMatchObject({ code: 'validation_required' });
    expect(validateFieldValue(t, '😀')).toMatchObject({ code: 'validation_min_text_constraint' });
    expect(validateFieldValue(t, 'AB')).toMatchObject({ code: 'validation_invalid_format' });
    expect(validateFieldValue(t, 'a'.repeat(5001))).toMatchObject({
      code: 'validation_max_text_constraint',
    });
    expect(toStoredValue(t, 'ab')).toBe('ab');
    expect(toStoredValue(t, undefined)).toBe('');
    expect(fromStoredValue(t, 5)).toBe('5');
    expect(fromStoredValue(t, null)).toBe('');
    expect(fieldToJson(t, null)).toBe('');
  });

  it('number: float cast, zero is empty, onlyInt and bounds', () => {
    const n = field({ name: 'n', type: 'number', onlyInt: true, min: -5, max: 10 });
    expect(columnKindOf(n)).toBe('number');
    expect(castFieldValue(n, ' 2.5 ')).toBe(2.5);
    expect(castFieldValue(n, true)).toBe(1);
    expect(castFieldValue(n, 'x')).toMatchObject({ code: 'validation_not_a_number' });
    expect(validateFieldValue(n, 0)).toBeUndefined();
    expect(validateFieldValue(n, 2.5)).toMatchObject({ code: 'validation_only_int_constraint' });
    expect(validateFieldValue(n, -6)).toMatchObject({ code: 'validation_min_number_constraint' });
    expect(validateFieldValue(n, 11)).toMatchObject({ code: 'validation_max_number_constraint' });
    expect(toStoredValue(n, 'x')).toBe(0);
    expect(fromStoredValue(n, '3')).toBe(3);
    expect(fromStoredValue(n, 'x')).toBe(0);
    expect(fieldToJson(n, null)).toBe(0);
  });

  it('email and url: format and domain lists', () => {
    const email = field({ name: 'e', type: 'email', onlyDomains: ['example.com'] });
    const url = field({ name: 'u', type: 'url', exceptDomains: ['bad.org'] });
    expect(columnKindOf(email)).toBe('text');
    expect(columnKindOf(url)).toBe('text');
    expect(validateFieldValue(email, 'a@example.com')).toBeUndefined();
    expect(validateFieldValue(email, 'a@EXAMPLE.com')).toBeUndefined();
    expect(validateFieldValue(email, 'nope')).toMatchObject({ code: 'validation_is_email' });
    expect(validateFieldValue(email, 'a@other.com')).toMatchObject({
      code: 'validation_email_domain_not_allowed',
    });
    expect(validateFieldValue(url, 'https://ok.org/x')).toBeUndefined();
    expect(validateFieldValue(url, 'not a url')).toMatchObject({ code: 'validation_invalid_url' });
    expect(validateFieldValue(url, 'https://bad.org')).toMatchObject({
      code: 'validation_url_domain_not_allowed',
    });
  });

  it('editor: byte size, default 5 MiB', () => {
    const editor = field({ name: 'ed', type: 'editor', maxSize: 3, required: true });
    expect(columnKindOf(editor)).toBe('text');
    expect(validateFieldValue(editor, '')).toMatchObject({ code: 'validation_required' });
    expect(validateFieldValue(editor, 'ééé')).toMatchObject({
      code: 'validation_max_text_constraint',
      params: { max: 3 },
    });
    expect(validateFieldValue(editor, 'abc')).toBeUndefined();
  });

  it('date and autodate: normalised, bounds; autodate any value', () => {
    const date = field({ name: 'd', type: 'date', min: '2020-01-01 00:00:00.000Z' });
    const auto = field({ name: 'created', type: 'autodate', onCreate: true });
    expect(columnKindOf(date)).toBe('text');
    expect(columnKindOf(auto)).toBe('text');
    expect(castFieldValue(date, '2024-05-06T07:08:09Z')).toBe('2024-05-06 07:08:09.000Z');
    expect(castFieldValue(date, '  ')).toBe('');
    expect(castFieldValue(date, 'soon')).toMatchObject({ code: 'validation_invalid_date' });
    expect(castFieldValue(auto, '2024-05-06T07:08:09Z')).toBe('2024-05-06 07:08:09.000Z');
    expect(validateFieldValue(date, '2019-01-01 00:00:00.000Z')).toMatchObject({
      code: 'validation_min_date_constraint',
    });
    expect(validateFieldValue(auto, 'anything')).toBeUndefined();
    expect(fieldToJson(date, null)).toBe('');
  });

  it('select, relation and file: lists, single as text, multiple as JSON arrays', () => {
    const one = field({ name: 's', type: 'select', values: ['a', 'b', 'c'] });
    const many = field({ name: 'm', type: 'select', values: ['a', 'b', 'c'], maxSelect: 2 });
    const rel = field({
      name: 'r',
      type: 'relation',
      collectionId: 'x',
      minSelect: 2,
      maxSelect: 3,
    });
    const file = field({ name: 'f', type: 'file', maxSelect: 2 });
    expect(columnKindOf(one)).toBe('text');
    expect(columnKindOf(many)).toBe('jsonArray');
    expect(castFieldValue(one, ['a', 'b'])).toEqual(['b']);
    expect(castFieldValue(many, ['a', 'a', '', 1])).toEqual(['a', '1']);
    expect(castFieldValue(many, [{}])).toBeInstanceOf(InvalidCast);
    expect(validateFieldValue(one, ['z'])).toMatchObject({ code: 'validation_invalid_value' });
    expect(validateFieldValue(many, ['a', 'b', 'c'])).toMatchObject({
      code: 'validation_too_many_values',
    });
    expect(validateFieldValue(rel, [])).toMatchObject({ code: 'validation_required' });
    expect(validateFieldValue(rel, ['x'])).toMatchObject({ code: 'validation_not_enough_values' });
    expect(validateFieldValue(file, ['a', 'b', 'c'])).toMatchObject({
      code: 'validation_too_many_values',
      params: { maxSelect: 2 },
    });
    expect(toStoredValue(one, ['a'])).toBe('a');
    expect(toStoredValue(one, [])).toBe('');
    expect(toStoredValue(many, ['a', 'b'])).toBe('["a","b"]');
    expect(toStoredValue(many, 'a')).toBe('[]');
    expect(fromStoredValue(one, 'a')).toEqual(['a']);
    expect(fromStoredValue(one, '')).toEqual([]);
    expect(fromStoredValue(many, '["a",2]')).toEqual(['a', '2']);
    expect(fromStoredValue(many, 'junk')).toEqual([]);
    expect(fieldToJson(one, 'a')).toBe('a');
    expect(fieldToJson(many, null)).toEqual([]);
    expect(fieldToJson(many, '["a"]')).toEqual(['a']);
    expect(valueToJson(one, ['a'])).toBe('a');
    expect(valueToJson(one, [])).toBe('');
    expect(valueToJson(many, ['a'])).toEqual(['a']);
  });

  it('json: parsed text, empty values, size limit, stored as JSON text or null', () => {
    const json = field({ name: 'j', type: 'json', maxSize: 10, required: true });
    expect(columnKindOf(json)).toBe('json');
    expect(castFieldValue(json, '{"a":1}')).toEqual({ a: 1 });
    expect(castFieldValue(json, 'plain')).toBe('plain');
    expect(castFieldValue(json, undefined)).toBeNull();
    expect(validateFieldValue(json, {})).toMatchObject({ code: 'validation_required' });
    expect(validateFieldValue(json, 'x'.repeat(20))).toMatchObject({
      code: 'validation_json_size_limit',
    });
    expect(toStoredValue(json, null)).toBeNull();
    expect(toStoredValue(json, [1])).toBe('[1]');
    expect(fromStoredValue(json, '[1]')).toEqual([1]);
    expect(fromStoredValue(json, 'not json')).toBe('not json');
    expect(fieldToJson(json, undefined)).toBeNull();
  });

  it('password: byte limit, pattern, never output', () => {
    const pw = field({ name: 'pw', type: 'password', min: 3, max: 5, pattern: '^[a-z]+$' });
    expect(columnKindOf(pw)).toBe('text');
    expect(validateFieldValue(pw, 'ab')).toMatchObject({ code: 'validation_min_text_constraint' });
    expect(validateFieldValue(pw, 'ééé')).toMatchObject({
      code: 'validation_max_text_constraint',
    });
    expect(validateFieldValue(pw, 'ABC')).toMatchObject({ code: 'validation_invalid_format' });
    expect(validateFieldValue(pw, 'abc')).toBeUndefined();
    expect(fieldToJson(pw, '$2a$hash')).toBe('');
  });

  it('an unset field stores its type empty value', () => {
    const expected: [Record<string, unknown>, unknown][] = [
      [{ name: 'id', type: 'text', primaryKey: true }, ''],
      [{ name: 't', type: 'email' }, ''],
      [{ name: 'n', type: 'number' }, 0],
      [{ name: 'b', type: 'bool' }, 0],
      [{ name: 'j', type: 'json' }, null],
      [{ name: 's', type: 'select', values: ['a', 'b'], maxSelect: 2 }, '[]'],
      [{ name: 'r', type: 'relation', collectionId: 'x' }, ''],
      [{ name: 'g', type: 'geoPoint' }, '{"lon":0,"lat":0}'],
    ];
    for (const [input, stored] of expected) expect(emptyStoredValue(field(input))).toEqual(stored);
  });

  it('file, editor and json fields add to the record body limit; the others do not', () => {
    const fields = [
      field({ name: 'f', type: 'file', maxSize: 100, maxSelect: 3 }),
      field({ name: 'ed', type: 'editor' }),
      field({ name: 'j', type: 'json', maxSize: 7 }),
      field({ name: 't', type: 'text' }),
    ];
    expect(fields.map(fieldBodySize)).toEqual([300, 5 * 1024 * 1024, 7, 0]);
    const collection = { fields } as unknown as Collection;
    expect(recordBodyLimit(collection)).toBe(DEFAULT_BODY_LIMIT + 300 + 5 * 1024 * 1024 + 7);
  });

  it('modifiers: numbers add and subtract, lists append, prepend and remove, text autogenerates', () => {
    const n = field({ name: 'n', type: 'number' });
    expect(modifyFieldValue(n, 'append', '2', 3)).toBe(5);
    expect(modifyFieldValue(n, 'remove', 2, undefined)).toBe(-2);
    expect(modifyFieldValue(n, 'prepend', 2, 3)).toBe(3);
    expect(modifyFieldValue(n, 'append', 'x', 3)).toMatchObject({
      code: 'validation_not_a_number',
    });
    expect(modifyFieldValue(n, 'append', 1e308, 1e308)).toMatchObject({
      code: 'validation_not_a_number',
    });
    const many = field({ name: 'm', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 });
    const one = field({ name: 'r', type: 'relation', collectionId: 'x' });
    expect(modifyFieldValue(many, 'append', ['c', 'a'], ['a', 'b'])).toEqual(['a', 'b', 'c']);
    expect(modifyFieldValue(many, 'prepend', 'c', ['a'])).toEqual(['c', 'a']);
    expect(modifyFieldValue(many, 'remove', ['a'], ['a', 'b'])).toEqual(['b']);
    expect(modifyFieldValue(many, 'append', [{}], ['a'])).toBeInstanceOf(InvalidCast);
    expect(modifyFieldValue(many, 'autogenerate', 'c', ['a'])).toEqual(['a']);
    expect(modifyFieldValue(one, 'append', 'y', ['x'])).toEqual(['y']);
    const t = field({ name: 't', type: 'text', autogeneratePattern: '[0-9]{3}' });
    expect(modifyFieldValue(t, 'autogenerate', 'id-', 'old')).toMatch(/^id-[0-9]{3}$/);
    expect(modifyFieldValue(t, 'append', 'x', 'old')).toBe('old');
    const plain = field({ name: 'p', type: 'text' });
    expect(modifyFieldValue(plain, 'autogenerate', 'x', 'old')).toBe('old');
    const flag = field({ name: 'b', type: 'bool' });
    expect(modifyFieldValue(flag, 'append', true, false)).toBe(false);
  });
});
