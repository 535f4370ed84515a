import { describe, expect, it } from 'vitest';
import {
  ifMatchPasses,
  ifNoneMatchMatches,
  parseEntityTagCondition,
  strongEntityTag,
} from './entity-tag.js';

describe('entity-tag conditions (RFC 9110 §13.1.1-2)', () => {
  it('parses `*`, lists with optional whitespace and empty elements, and weak tags', () => {
    expect(parseEntityTagCondition(' * ')).toEqual({ kind: 'any' });
    expect(parseEntityTagCondition('"a" ,\tW/"b", ,"c"')).toEqual({
      kind: 'list',
      tags: [
        { weak: false, opaque: 'a' },
        { weak: true, opaque: 'b' },
        { weak: false, opaque: 'c' },
      ],
    });
    expect(parseEntityTagCondition('""')).toEqual({
      kind: 'list',
      tags: [{ weak: false, opaque: '' }],
    });
  });

  it('calls anything else malformed: bare text, `*` in a list, stray quotes, empty values', () => {
    for (const value of ['', ' ', ',', 'abc', '"a" b', '*, "a"', '"a"b"', 'w/"a"', '"a', '"a b"'])
      expect(parseEntityTagCondition(value), value).toEqual({ kind: 'malformed' });
  });

  it('If-Match: `*` needs a current version, a list a strong equal tag; malformed fails', () => {
    expect(ifMatchPasses('*', 'v1')).toBe(true);
    expect(ifMatchPasses('*', undefined)).toBe(false);
    expect(ifMatchPasses('"v0", "v1"', 'v1')).toBe(true);
    expect(ifMatchPasses(strongEntityTag('v1'), 'v1')).toBe(true);
    expect(ifMatchPasses('"v0"', 'v1')).toBe(false);
    expect(ifMatchPasses('W/"v1"', 'v1')).toBe(false);
    expect(ifMatchPasses('v1', 'v1')).toBe(false);
    expect(ifMatchPasses('"v1"', undefined)).toBe(false);
  });

  it('If-None-Match compares weakly', () => {
    expect(ifNoneMatchMatches('W/"v1"', 'v1')).toBe(true);
    expect(ifNoneMatchMatches('"v0", "v1"', 'v1')).toBe(true);
    expect(ifNoneMatchMatches('*', 'v1')).toBe(true);
    expect(ifNoneMatchMatches('"v0"', 'v1')).toBe(false);
    expect(ifNoneMatchMatches('v1', 'v1')).toBe(false);
  });
});
