import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDateTime, normalizeDateTime, parseDateTime } from './datetime.js';

describe('PocketBase datetimes', () => {
  it('formats UTC with a space and milliseconds', () => {
    expect(formatDateTime(new Date(Date.UTC(2026, 0, 2, 15, 4, 5, 123)))).toBe(
      '2026-01-02 15:04:05.123Z',
    );
  });

  it('formats every instant as toISOString does, with a space for the T', () => {
    // Whole range of Date: years 0-9999 take the fast path, the rest toISOString's.
    const instant = fc.oneof(
      fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
    );
    fc.assert(
      fc.property(instant, (ms) => {
        const date = new Date(ms);
        expect(formatDateTime(date)).toBe(date.toISOString().replace('T', ' '));
      }),
      { numRuns: 2000 },
    );
    for (const ms of [0, -62167219200000, -62167219200001, 253402300799999, 253402300800000]) {
      const date = new Date(ms);
      expect(formatDateTime(date)).toBe(date.toISOString().replace('T', ' '));
    }
    expect(formatDateTime(new Date(Date.UTC(999, 0, 1, 0, 0, 0, 7)))).toBe(
      '0999-01-01 00:00:00.007Z',
    );
    expect(() => formatDateTime(new Date(Number.NaN))).toThrow(RangeError);
  });

  it.each([
    ['2026-01-02 15:04:05.123Z', '2026-01-02 15:04:05.123Z'],
    ['2026-01-02T15:04:05Z', '2026-01-02 15:04:05.000Z'],
    ['2026-01-02T15:04:05.5+02:00', '2026-01-02 13:04:05.500Z'],
    ['2026-01-02 15:04', '2026-01-02 15:04:00.000Z'],
    ['2026-01-02', '2026-01-02 00:00:00.000Z'],
    ['2026-01-02 15:04:05.123456789Z', '2026-01-02 15:04:05.123Z'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeDateTime(input)).toBe(expected);
  });

  it.each(['', 'yesterday', '2026-02-30', '2026-13-01', '2026-01-02 25:00:00Z', '2026-1-2'])(
    'rejects %j',
    (input) => {
      expect(parseDateTime(input)).toBeUndefined();
    },
  );
});
