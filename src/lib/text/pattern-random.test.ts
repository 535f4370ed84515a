import { describe, expect, it } from 'vitest';
import { randomFromPattern, UnsupportedPatternError } from './pattern-random.js';

describe('randomFromPattern', () => {
  it.each([
    ['[a-z0-9]{15}', /^[a-z0-9]{15}$/],
    ['[a-zA-Z0-9]{50}', /^[a-zA-Z0-9]{50}$/],
    ['^ord_\\d{6}$', /^ord_\d{6}$/],
    ['[A-F]{2,4}-x', /^[A-F]{2,4}-x$/],
  ])('generates text matching %s', (pattern, re) => {
    for (let i = 0; i < 20; i++) expect(randomFromPattern(pattern)).toMatch(re);
  });

  it.each(['a+', '(ab){2}', 'x|y', '.{5}', '[abc'])('refuses %s', (pattern) => {
    expect(() => randomFromPattern(pattern)).toThrow(UnsupportedPatternError);
  });
});
