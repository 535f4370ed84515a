import { describe, expect, it } from 'vitest';
import { fieldToJson } from '../record/record-json.js';
import { readField, columnKindOf, valueBehaviourOf } from './field-registry.js';
import type { Field } from './field-model.js';
import { castFieldValue, InvalidCast } from './field-value-cast.js';
import { fromStoredValue, toStoredValue } from './field-value-store.js';
import { validateFieldValue } from './field-value-validate.js';
import { ErrorCollector } from '../validation-errors.js';

function field(input: Record<string, unknown>): Field {
  const read = readField(input, new ErrorCollector(), ['f']);
  if (!read) throw new Error('unreadable field');
  return read;
}

// bool and geoPoint define all of their value behaviour in their own files (bool-field.ts,
// geo-point-field.ts); every dispatcher must go through it.
describe('field types that define their own values', () => {
  const bool = field({ name: 'flag', type: 'bool', required: true });
  const point = field({ name: 'where', type: 'geoPoint' });

  it('are found by the registry, and the others are not (yet)', () => {
    expect(valueBehaviourOf(bool)).toBeDefined();
    expect(valueBehaviourOf(point)).toBeDefined();
    expect(valueBehaviourOf(field({ name: 't', type: 'text' }))).toBeUndefined();
  });

  it('cast, validate, store and render bool through its definition', () => {
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

  it('cast, validate, store and render geoPoint through its definition', () => {
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
});
