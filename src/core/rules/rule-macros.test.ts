import { describe, expect, it } from 'vitest';
import { macroValue } from './rule-macros.js';

describe('datetime macros (UTC)', () => {
  // A Thursday, in a leap year, late in the UTC day.
  const now = new Date('2024-02-29T23:45:06.789Z');

  it.each([
    ['@now', '2024-02-29 23:45:06.789Z'],
    ['@yesterday', '2024-02-28 23:45:06.789Z'],
    ['@tomorrow', '2024-03-01 23:45:06.789Z'],
    ['@todayStart', '2024-02-29 00:00:00.000Z'],
    ['@todayEnd', '2024-02-29 23:59:59.999Z'],
    ['@monthStart', '2024-02-01 00:00:00.000Z'],
    ['@monthEnd', '2024-02-29 23:59:59.999Z'],
    ['@yearStart', '2024-01-01 00:00:00.000Z'],
    ['@yearEnd', '2024-12-31 23:59:59.999Z'],
    ['@second', 6],
    ['@minute', 45],
    ['@hour', 23],
    ['@day', 29],
    ['@month', 2],
    ['@weekday', 4],
    ['@year', 2024],
  ])('%s', (name, value) => {
    expect(macroValue(name, now)).toBe(value);
  });

  it('knows no other names', () => {
    expect(macroValue('@later', now)).toBeUndefined();
    expect(macroValue('toString', now)).toBeUndefined();
    expect(macroValue('@now ', now)).toBeUndefined();
  });

  it('handles the end of December', () => {
    expect(macroValue('@monthEnd', new Date('2023-12-15T00:00:00Z'))).toBe(
      '2023-12-31 23:59:59.999Z',
    );
  });
});
