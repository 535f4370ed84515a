import { describe, expect, it } from 'vitest';
import { formatDateTime, normalizeDateTime, parseDateTime } from './datetime.js';

describe('PocketBase datetimes', () => {
  it('formats UTC with a space and milliseconds', () => {
    expect(formatDateTime(new Date(Date.UTC(2026, 0, 2, 15, 4, 5, 123)))).toBe(
      '2026-01-02 15:04:05.123Z',
    );
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
