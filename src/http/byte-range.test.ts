import { describe, expect, it } from 'vitest';
import { parseRange } from './byte-range.js';

describe('parseRange', () => {
  it('reads the three single-range forms, clamped to the object', () => {
    expect(parseRange('bytes=0-0', 10)).toEqual({ kind: 'range', range: { start: 0, end: 0 } });
    expect(parseRange('bytes=2-5', 10)).toEqual({ kind: 'range', range: { start: 2, end: 5 } });
    expect(parseRange('bytes=7-', 10)).toEqual({ kind: 'range', range: { start: 7, end: 9 } });
    expect(parseRange('bytes=-3', 10)).toEqual({ kind: 'range', range: { start: 7, end: 9 } });
    expect(parseRange('bytes=-30', 10)).toEqual({ kind: 'range', range: { start: 0, end: 9 } });
    expect(parseRange('bytes=5-99', 10)).toEqual({ kind: 'range', range: { start: 5, end: 9 } });
  });

  it('answers the whole object for what it does not serve', () => {
    for (const header of [
      undefined,
      '',
      'bytes=-',
      'items=0-1',
      'bytes=0-1,3-4',
      'bytes=5-2',
      'bytes=a-b',
    ]) {
      expect(parseRange(header, 10)).toEqual({ kind: 'whole' });
    }
  });

  it('refuses ranges past the end and empty suffixes', () => {
    expect(parseRange('bytes=10-', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 10)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
