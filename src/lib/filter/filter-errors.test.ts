import { describe, expect, it } from 'vitest';
import { FilterSyntaxError } from './filter-error.js';
import { parseFilterUncached as parse } from './filter-parse.js';

function failure(source: string, options?: Parameters<typeof parse>[1]): FilterSyntaxError {
  try {
    parse(source, options);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

describe('parseFilter errors', () => {
  it.each([
    // empty
    ['', 'Empty filter at position 0.', 0],
    ['   \n\t', 'Empty filter at position 0.', 0],
    ['// just a comment\n  // and another', 'Empty filter at position 0.', 0],
    // missing operand / operator
    ['a =', 'Missing operand at position 3.', 3],
    ['a = && b = 1', 'Unexpected token "&&" at position 4.', 4],
    ['= 1', 'Unexpected token "=" at position 0.', 0],
    ['a', 'Missing operator at position 1.', 1],
    ['a 1', 'Unexpected token "1" at position 2.', 2],
    ['a = 1 b = 2', 'Unexpected token "b" at position 6.', 6],
    ['a = b = c', 'Unexpected token "=" at position 6.', 6],
    ['a = 1,', 'Unexpected token "," at position 5.', 5],
    ['a = (1)', 'Unexpected token "(" at position 4.', 4],
    // dangling joins
    ['a = 1 &&', 'Dangling "&&" at position 6.', 6],
    ['a = 1 || // nothing', 'Dangling "||" at position 6.', 6],
    ['(a = 1 ||)', 'Dangling "||" at position 7.', 7],
    ['&& a = 1', 'Unexpected token "&&" at position 0.', 0],
    ['a = 1 && || b = 1', 'Unexpected token "||" at position 9.', 9],
    // parentheses
    ['(a = 1', 'Unbalanced parentheses: "(" at position 0 is not closed.', 0],
    ['a = 1 && ((b = 1)', 'Unbalanced parentheses: "(" at position 9 is not closed.', 9],
    ['a = 1)', 'Unbalanced parentheses: unexpected ")" at position 5.', 5],
    [')', 'Unexpected token ")" at position 0.', 0],
    ['()', 'Empty parentheses at position 0.', 0],
    ['a = 1 && ()', 'Empty parentheses at position 9.', 9],
    ['(a = 1 b)', 'Unexpected token "b" at position 7.', 7],
    // functions
    ['f(1 = 2', 'Unexpected token "=" at position 4.', 4],
    ['f(1, = 2', 'Unexpected token "=" at position 5.', 5],
    ['f(1,) = 2', 'Unexpected token ")" at position 4.', 4],
    ['f(1', 'Unclosed function call "f(" at position 0.', 0],
    ['x = f(1,', 'Missing operand at position 8.', 8],
    ['f(a && b) = 1', 'Unexpected token "&&" at position 4.', 4],
    ['a(b(c(d(1)))) = 1', 'Function calls nest deeper than 3 levels at position 6.', 6],
    [
      'f(1,2,3,4,5,6,7,8,9,10,11) = 1',
      'Function "f" takes at most 10 arguments at position 23.',
      23,
    ],
    // lexical errors surface through the parser, first error wins
    ['a = 1 && b = $', 'Unexpected character "$" at position 13.', 13],
    ['a = = $', 'Unexpected token "=" at position 4.', 4],
    ['a = "x', 'Unterminated quoted text starting at position 4.', 4],
    ['a. = 1', 'Invalid identifier "a." at position 0.', 0],
    ['x = @request.body.a:', 'Invalid identifier "@request.body.a:" at position 4.', 4],
  ])('%j -> %s', (source, message, position) => {
    const error = failure(source);
    expect(error).toBeInstanceOf(FilterSyntaxError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FilterSyntaxError');
    expect(error.message).toBe(message);
    expect(error.position).toBe(position);
  });

  it('shortens long tokens in messages', () => {
    const long = 'x'.repeat(100);
    expect(failure(`a = 1 ${long}`).message).toBe(
      `Unexpected token "${'x'.repeat(40)}..." at position 6.`,
    );
  });
});

describe('parseFilter limits', () => {
  const chain = (count: number) => Array.from({ length: count }, (_, i) => `f${i} = ${i}`);

  it('allows 200 comparisons by default and rejects the 201st', () => {
    expect(parse(chain(200).join(' && ')).items).toHaveLength(200);
    const source = chain(201).join(' && ');
    const error = failure(source);
    expect(error.message).toBe(
      `Too many expressions (max 200) at position ${source.lastIndexOf('f200')}.`,
    );
    expect(error.position).toBe(source.lastIndexOf('f200'));
  });

  it('counts comparisons inside nested groups', () => {
    const nested = `(${chain(100).join(' || ')}) && (${chain(100).join(' || ')})`;
    expect(() => parse(nested)).not.toThrow();
    expect(failure(`${nested} && x = 1`).message).toMatch(/^Too many expressions \(max 200\)/);
  });

  it('honours a custom maxExpressions', () => {
    expect(parse('a = 1 && b = 2', { maxExpressions: 2 }).items).toHaveLength(2);
    expect(failure('a = 1 && b = 2 && c = 3', { maxExpressions: 2 }).position).toBe(18);
  });

  it('checks maxLength in UTF-8 bytes when given', () => {
    const fits = `a = '${'x'.repeat(3490)}'`;
    expect(new TextEncoder().encode(fits).length).toBe(3496);
    expect(() => parse(fits, { maxLength: 3500 })).not.toThrow();
    const over = `a = '${'é'.repeat(1746)}'`;
    expect(new TextEncoder().encode(over).length).toBe(3498);
    expect(() => parse(over, { maxLength: 3500 })).not.toThrow();
    const tooLong = `a = '${'é'.repeat(1748)}'`;
    const error = failure(tooLong, { maxLength: 3500 });
    expect(error.message).toBe('Filter is longer than 3500 bytes at position 1752.');
    expect(error.position).toBe(1752);
  });

  it('applies no length limit unless asked (rules)', () => {
    const rule = chain(150).join(' && ') + ` && x = '${'y'.repeat(10_000)}'`;
    expect(() => parse(rule)).not.toThrow();
  });

  it('allows function calls exactly 3 deep', () => {
    expect(() => parse('a(b(c(1))) = 1')).not.toThrow();
    expect(() => parse('f(1,2,3,4,5,6,7,8,9,10) = 1')).not.toThrow();
  });

  it('caps parenthesis nesting instead of overflowing the stack', () => {
    expect(() => parse(`${'('.repeat(128)}a = 1${')'.repeat(128)}`)).not.toThrow();
    const deep = `${'('.repeat(129)}a = 1${')'.repeat(129)}`;
    expect(failure(deep).message).toBe('Parentheses nest deeper than 128 levels at position 128.');
    expect(failure('('.repeat(100_000)).position).toBe(128);
  });
});
