import { describe, expect, it } from 'vitest';
import { escapeLike, hasUnescapedPercent, likePattern } from './rule-like.js';

describe('LIKE patterns of ~', () => {
  it.each([
    ['abc', '%abc%'],
    ['', '%%'],
    ['a_b', '%a\\_b%'],
    ['a\\b', '%a\\\\b%'],
    ['a\\_b', '%a\\_b%'],
    ['100\\%', '%100\\%%'],
    ['trailing\\', '%trailing\\\\%'],
    ['ünï_cödé', '%ünï\\_cödé%'],
  ])('wraps and escapes %j', (text, pattern) => {
    expect(likePattern(text)).toBe(pattern);
  });

  it.each(['Lorem%', '%ipsum', 'a%b_c', '\\\\%'])('uses %j verbatim (unescaped %)', (text) => {
    expect(likePattern(text)).toBe(text);
  });

  it('tells escaped from unescaped %', () => {
    expect(hasUnescapedPercent('a\\%b')).toBe(false);
    expect(hasUnescapedPercent('a\\\\%b')).toBe(true);
    expect(hasUnescapedPercent('%')).toBe(true);
    expect(hasUnescapedPercent('')).toBe(false);
  });

  it('escapes only what is not yet escaped', () => {
    expect(escapeLike('%_\\')).toBe('\\%\\_\\\\');
    expect(escapeLike('\\%\\_\\\\')).toBe('\\%\\_\\\\');
    expect(escapeLike('\\x')).toBe('\\\\x');
  });
});
