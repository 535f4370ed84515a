import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExpressionGroup, FilterNode, GroupItem, Operand } from './filter-ast.js';
import { FilterSyntaxError } from './filter-error.js';
import { formatFilter, formatOperand } from './filter-format.js';
import { parseFilterUncached as parse } from './filter-parse.js';
import { OPERATORS } from './filter-token.js';
import type { Join } from './filter-token.js';
import { parseExpand } from './expand-parse.js';
import { parseSort } from './sort-parse.js';

/** A deep copy without the `pos` offsets, to compare AST shapes. */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([key]) => key !== 'pos');
  return Object.fromEntries(entries.map(([key, child]) => [key, withoutPositions(child)]));
}

describe('formatFilter', () => {
  it.each([
    ['a=1', 'a = 1'],
    ['a=1&&b!=2||c?~"x"', "a = 1 && b != 2 || c ?~ 'x'"],
    ['((a=1))', '((a = 1))'],
    ['a = 1 && (b = 2 || (c = 3))', 'a = 1 && (b = 2 || (c = 3))'],
    ['tags:each ?= "a" // comment', "tags:each ?= 'a'"],
    [
      '@collection.users:u.name = @request.auth.name:lower',
      '@collection.users:u.name = @request.auth.name:lower',
    ],
    ['"it\'s" = \'say "hi"\'', "'it\\'s' = 'say \"hi\"'"],
    ["'a\\b' = x", "'a\\b' = x"],
    ['f( a ,1.50,  g(h(-2)) ) > 007', 'f(a, 1.5, g(h(-2))) > 7'],
    ['x = f()', 'x = f()'],
    ['x = -0', 'x = -0'],
  ])('prints %j as %j', (source, expected) => {
    expect(formatFilter(parse(source))).toBe(expected);
  });

  it.each([
    [1e21, '1000000000000000000000'],
    [-1.5e22, '-15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-7, '-0.000000125'],
    [123.456, '123.456'],
    [5e-324, `0.${'0'.repeat(323)}5`],
  ])('prints number %s in plain decimal', (value, expected) => {
    const printed = formatOperand({ kind: 'number', pos: 0, value });
    expect(printed).toBe(expected);
    expect(Number(printed)).toBe(value);
  });

  it('refuses values the language cannot spell', () => {
    const trailing: Operand = { kind: 'text', pos: 7, value: 'a\\' };
    expect(() => formatOperand(trailing)).toThrow(FilterSyntaxError);
    const infinite: Operand = { kind: 'number', pos: 3, value: Infinity };
    expect(() => formatOperand(infinite)).toThrow(FilterSyntaxError);
  });
});

// ---- property tests -----------------------------------------------------------------------

const word = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
const part = fc.stringMatching(/^[A-Za-z0-9_]{1,6}$/);

const identifier: fc.Arbitrary<Operand> = fc
  .record({
    prefix: fc.constantFrom('', '@', '#'),
    first: word,
    rest: fc.array(fc.tuple(part, fc.option(part, { nil: undefined })), { maxLength: 3 }),
    modifier: fc.option(fc.array(part, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map(({ prefix, first, rest, modifier }) => {
    // Only inner segments carry an alias: a colon in the last segment is the modifier.
    const path = [prefix + first, ...rest.map(([s, alias]) => (alias ? `${s}:${alias}` : s))];
    const last = rest.at(-1);
    if (last !== undefined) path[path.length - 1] = last[0];
    const base = { kind: 'identifier' as const, pos: 0, name: path.join('.'), path };
    return modifier === undefined ? base : { ...base, modifier: modifier.join(':') };
  });

const number: fc.Arbitrary<Operand> = fc
  .oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
  .map((value) => ({ kind: 'number', pos: 0, value }));

const textUnit = fc.oneof(
  fc.constantFrom("'", '"', '\\', ' ', '//', '\n', '&&', '(', ')'),
  fc.string({ unit: 'binary', maxLength: 3 }),
);
const text: fc.Arbitrary<Operand> = fc
  .string({ unit: textUnit, maxLength: 12 })
  // A quoted text cannot end in a backslash nor hold NUL (both are syntax errors).
  .filter((value) => !value.endsWith('\\') && !value.includes('\u0000'))
  .map((value) => ({ kind: 'text', pos: 0, value }));

const leaf = fc.oneof(identifier, number, text);

function operandAt(depth: number): fc.Arbitrary<Operand> {
  if (depth === 3) return leaf;
  const call = fc
    .record({ name: word, args: fc.array(operandAt(depth + 1), { maxLength: 10 }) })
    .map(({ name, args }): Operand => ({ kind: 'function', pos: 0, name, args }));
  return fc.oneof({ weight: 4, arbitrary: leaf }, { weight: 1, arbitrary: call });
}

const comparison: fc.Arbitrary<FilterNode> = fc
  .record({ left: operandAt(0), op: fc.constantFrom(...OPERATORS), right: operandAt(0) })
  .map(({ left, op, right }) => ({ kind: 'comparison', pos: 0, left, op, right }));

function groupAt(depth: number): fc.Arbitrary<ExpressionGroup> {
  const node: fc.Arbitrary<FilterNode> =
    depth >= 3 ? comparison : fc.oneof({ weight: 3, arbitrary: comparison }, groupAt(depth + 1));
  const joins = fc.constantFrom<Join>('and', 'or');
  return fc
    .array(fc.tuple(joins, node), { minLength: 1, maxLength: 4 })
    .map((pairs): ExpressionGroup => {
      const items: GroupItem[] = pairs.map(([join, n], i) => ({
        join: i === 0 ? 'and' : join,
        node: n,
      }));
      return { kind: 'group', pos: 0, items };
    });
}

/** Filter-ish fragments, so random strings often get deep into the parser. */
const fragment = fc.constantFrom(
  ...OPERATORS,
  '&&',
  '||',
  '(',
  ')',
  ',',
  ' ',
  '\n',
  '//',
  "'",
  '"',
  '\\',
  '-',
  '.',
  ':',
  '@',
  '#',
  '_',
  'a',
  'b.c',
  'tags:each',
  '1',
  '-2',
  '3.5',
  'f(',
  'null',
  '$',
  '&',
  '|',
  '?',
  '!',
);
const filterish = fc.oneof(
  fc.string({ unit: fragment, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Valid filter text with one random edit: mostly-valid, adversarial input. */
const mutated = fc
  .record({
    source: groupAt(1).map(formatFilter),
    at: fc.nat(),
    remove: fc.nat({ max: 3 }),
    insert: fc.string({ unit: fragment, maxLength: 2 }),
  })
  .map(({ source, at, remove, insert }) => {
    const i = at % (source.length + 1);
    return source.slice(0, i) + insert + source.slice(i + remove);
  });

function parseOrError(source: string): ExpressionGroup | FilterSyntaxError {
  try {
    return parse(source);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error;
    throw error;
  }
}

describe('filter properties', () => {
  it('format then parse gives back the same AST (modulo offsets)', () => {
    fc.assert(
      fc.property(groupAt(0), (ast) => {
        const again = parse(formatFilter(ast));
        expect(withoutPositions(again)).toEqual(withoutPositions(ast));
      }),
      { numRuns: 500 },
    );
  });

  it('random input either parses and round-trips or fails with FilterSyntaxError', () => {
    fc.assert(
      fc.property(fc.oneof(filterish, mutated), (source) => {
        const result = parseOrError(source);
        if (result instanceof FilterSyntaxError) {
          expect(result.position).toBeGreaterThanOrEqual(0);
          expect(result.position).toBeLessThanOrEqual(source.length);
          expect(result.message).toContain(`position ${result.position}`);
          return;
        }
        const printed = formatFilter(result);
        expect(withoutPositions(parse(printed))).toEqual(withoutPositions(result));
        expect(formatFilter(parse(printed))).toBe(printed);
      }),
      { numRuns: 3000 },
    );
  });

  it('sort and expand only ever throw FilterSyntaxError', () => {
    fc.assert(
      fc.property(filterish, (source) => {
        for (const run of [() => parseSort(source), () => parseExpand(source)]) {
          try {
            run();
          } catch (error) {
            expect(error).toBeInstanceOf(FilterSyntaxError);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
