import { describe, expect, it } from 'vitest';
import { parseShutdownGrace } from './serve.js';

describe('--shutdown-grace', () => {
  it('takes seconds, fractions included, as milliseconds', () => {
    expect(parseShutdownGrace('10')).toBe(10_000);
    expect(parseShutdownGrace('0')).toBe(0);
    expect(parseShutdownGrace('2.5')).toBe(2500);
    expect(parseShutdownGrace('3600')).toBe(3_600_000);
  });

  it('refuses what is not a number of seconds from 0 to 3600', () => {
    for (const bad of ['', ' ', 'ten', '-1', '3601', 'Infinity', 'NaN', '1e9']) {
      expect(() => parseShutdownGrace(bad), bad).toThrow(/Invalid --shutdown-grace/);
    }
  });
});
