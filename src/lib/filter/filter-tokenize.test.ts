import { describe, expect, it } from 'vitest';
import { OPERATORS, baseOperator, isAnyOperator } from './filter-token.js';
import type { Token } from './filter-token.js';
import { tokenize } from './filter-tokenize.js';

/** A compact, readable form of a token for table assertions. */
function show(token: Token): string {
  switch (token.kind) {
    case 'operator':
      return `op ${token.op}`;
    case 'join':
      return `join ${token.join}`;
    case 'number':
      return `number ${token.value}`;
    case 'text':
      return `text ${JSON.stringify(token.value)}`;
    case 'identifier':
      return `id ${token.name}`;
    case 'function':
      return `fn ${token.name}`;
    default:
      return token.kind;
  }
}

function shapes(text: string): string[] {
  return tokenize(text).map(show);
}

describe('tokenize', () => {
  it.each(OPERATORS.map((op) => [op]))('reads operator %s between operands', (op) => {
    expect(shapes(`a${op}1`)).toEqual(['id a', `op ${op}`, 'number 1', 'end']);
    expect(shapes(`a ${op} 1`)).toEqual(['id a', `op ${op}`, 'number 1', 'end']);
  });

  it.each([
    ['(', ['lparen', 'end']],
    [')', ['rparen', 'end']],
    [',', ['comma', 'end']],
    ['&&', ['join and', 'end']],
    ['||', ['join or', 'end']],
    ['123', ['number 123', 'end']],
    ['10.5', ['number 10.5', 'end']],
    ['-14', ['number -14', 'end']],
    ['-0.25', ['number -0.25', 'end']],
    ['007', ['number 7', 'end']],
    ["'abc'", ['text "abc"', 'end']],
    ['"abc"', ['text "abc"', 'end']],
    ["''", ['text ""', 'end']],
    ['"it\'s"', ['text "it\'s"', 'end']],
    ['\'say "hi"\'', ['text "say \\"hi\\""', 'end']],
    ["'it\\'s'", ['text "it\'s"', 'end']],
    ['"a \\"b\\" c"', ['text "a \\"b\\" c"', 'end']],
    ["'back\\slash'", ['text "back\\\\slash"', 'end']],
    ["'a\\\"b'", ['text "a\\\\\\"b"', 'end']],
    ["'a\\\\'b'", ['text "a\\\\\'b"', 'end']],
    ["'a // not a comment'", ['text "a // not a comment"', 'end']],
    ['title', ['id title', 'end']],
    ['_x1', ['id _x1', 'end']],
    ['@request.auth.id', ['id @request.auth.id', 'end']],
    ['#tag', ['id #tag', 'end']],
    ['tags:each', ['id tags:each', 'end']],
    ['@collection.users:u.name', ['id @collection.users:u.name', 'end']],
    ['json.0.a', ['id json.0.a', 'end']],
    ['strftime(', ['fn strftime', 'end']],
    ['f (', ['id f', 'lparen', 'end']],
    ['', ['end']],
    ['  \t\n\r ', ['end']],
    ['// only a comment', ['end']],
    ['a // comment\n= 1', ['id a', 'op =', 'number 1', 'end']],
    ['a=1// trailing', ['id a', 'op =', 'number 1', 'end']],
    ['a>-1', ['id a', 'op >', 'number -1', 'end']],
    ['a-1', ['id a', 'number -1', 'end']],
    ['a==1', ['id a', 'op =', 'op =', 'number 1', 'end']],
    [
      'geoDistance(a, 1.5, "x")',
      ['fn geoDistance', 'id a', 'comma', 'number 1.5', 'comma', 'text "x"', 'rparen', 'end'],
    ],
  ])('tokenizes %j', (text, expected) => {
    expect(shapes(text)).toEqual(expected);
  });

  it.each(OPERATORS.map((op) => [op]))('ends operator %s at the end of the text', (op) => {
    expect(tokenize(`a${op}`).map((t) => [t.kind, t.start, t.end])).toEqual([
      ['identifier', 0, 1],
      ['operator', 1, 1 + op.length],
      ['end', 1 + op.length, 1 + op.length],
    ]);
  });

  it('records start and end offsets, skipping whitespace and comments', () => {
    const tokens = tokenize("  ab >= 'x' // c\n&& f(1)");
    expect(tokens.map((t) => [t.kind, t.start, t.end])).toEqual([
      ['identifier', 2, 4],
      ['operator', 5, 7],
      ['text', 8, 11],
      ['join', 17, 19],
      ['function', 20, 22],
      ['number', 22, 23],
      ['rparen', 23, 24],
      ['end', 24, 24],
    ]);
  });

  it.each([
    ['$', 'Unexpected character "$" at position 0.', 0],
    ['a & b', 'Unexpected character "&" at position 2.', 2],
    ['a | b', 'Unexpected character "|" at position 2.', 2],
    ['a ! b', 'Unexpected character "!" at position 2.', 2],
    ['a ? b', 'Unexpected character "?" at position 2.', 2],
    ['a / b', 'Unexpected character "/" at position 2.', 2],
    ['a - b', 'Unexpected character "-" at position 2.', 2],
    ['.5', 'Unexpected character "." at position 0.', 0],
    ['a = 😀', 'Unexpected character "😀" at position 4.', 4],
    ["a = 'abc", 'Unterminated quoted text starting at position 4.', 4],
    ['a = "ab\\"', 'Unterminated quoted text starting at position 4.', 4],
    ["'a\\\\'", 'Unterminated quoted text starting at position 0.', 0],
    ["a = 'x\u0000'", 'Unexpected NUL character in quoted text at position 6.', 6],
    ['1.', 'Invalid number "1." at position 0.', 0],
    ['1.2.3', 'Invalid number "1.2.3" at position 0.', 0],
    ['x = 12ab', 'Invalid number "12ab" at position 4.', 4],
    ['9'.repeat(400), `Number "${'9'.repeat(40)}..." is out of range at position 0.`, 0],
    ['a.', 'Invalid identifier "a." at position 0.', 0],
    ['x = abc:', 'Invalid identifier "abc:" at position 4.', 4],
    ['a..b', 'Invalid identifier "a..b" at position 0.', 0],
    ['a.:b', 'Invalid identifier "a.:b" at position 0.', 0],
    ['@.a', 'Invalid identifier "@.a" at position 0.', 0],
    ['a.b(1)', 'Invalid function name "a.b" at position 0.', 0],
    ['@now(1)', 'Invalid function name "@now" at position 0.', 0],
  ])('rejects %j', (text, message, position) => {
    expect(() => tokenize(text)).toThrow(message);
    expect(() => tokenize(text)).toThrow(expect.objectContaining({ position }));
  });
});

describe('operator helpers', () => {
  it.each([
    ['=', '=', false],
    ['!~', '!~', false],
    ['?=', '=', true],
    ['?!=', '!=', true],
    ['?>=', '>=', true],
    ['?!~', '!~', true],
  ] as const)('%s has base %s (any: %s)', (op, base, any) => {
    expect(baseOperator(op)).toBe(base);
    expect(isAnyOperator(op)).toBe(any);
  });

  it('knows all sixteen operators', () => {
    expect(OPERATORS).toHaveLength(16);
  });
});
