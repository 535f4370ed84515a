import { describe, expect, it } from 'vitest';
import { literalKeyword } from './filter-ast.js';
import type { Comparison, ExpressionGroup, FilterNode, Operand } from './filter-ast.js';
import { parseFilterUncached as parse } from './filter-parse.js';
import { OPERATORS } from './filter-token.js';

/** A deep copy without the `pos` offsets, to compare AST shapes. */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([key]) => key !== 'pos');
  return Object.fromEntries(entries.map(([key, child]) => [key, withoutPositions(child)]));
}

const id = (name: string, modifier?: string) => ({
  kind: 'identifier',
  name,
  path: name.split('.'),
  ...(modifier === undefined ? {} : { modifier }),
});
const num = (value: number) => ({ kind: 'number', value });
const text = (value: string) => ({ kind: 'text', value });
const cmp = (left: unknown, op: string, right: unknown) => ({
  kind: 'comparison',
  left,
  op,
  right,
});

function only(ast: ExpressionGroup): FilterNode {
  expect(ast.items).toHaveLength(1);
  return ast.items[0]!.node;
}

function comparison(source: string): Comparison {
  const node = only(parse(source));
  if (node.kind !== 'comparison') throw new Error(`not a comparison: ${source}`);
  return node;
}

function operand(source: string): Operand {
  return comparison(`${source} = 1`).left;
}

describe('parseFilter: comparisons', () => {
  it.each(OPERATORS.map((op) => [op]))('parses operator %s', (op) => {
    expect(withoutPositions(comparison(`title ${op} 'x'`))).toEqual(
      cmp(id('title'), op, text('x')),
    );
  });

  it('accepts literals and fields on either side', () => {
    expect(withoutPositions(comparison('5 < count'))).toEqual(cmp(num(5), '<', id('count')));
    expect(withoutPositions(comparison('@request.auth.id = author'))).toEqual(
      cmp(id('@request.auth.id'), '=', id('author')),
    );
    expect(withoutPositions(comparison('"a" != "b"'))).toEqual(cmp(text('a'), '!=', text('b')));
  });

  it('keeps exact offsets on every node', () => {
    expect(parse("  (a = 1 || b ~ 'x') && f(c, 2) > -3")).toEqual({
      kind: 'group',
      pos: 2,
      items: [
        {
          join: 'and',
          node: {
            kind: 'group',
            pos: 2,
            items: [
              {
                join: 'and',
                node: {
                  kind: 'comparison',
                  pos: 3,
                  left: { kind: 'identifier', pos: 3, name: 'a', path: ['a'] },
                  op: '=',
                  right: { kind: 'number', pos: 7, value: 1 },
                },
              },
              {
                join: 'or',
                node: {
                  kind: 'comparison',
                  pos: 12,
                  left: { kind: 'identifier', pos: 12, name: 'b', path: ['b'] },
                  op: '~',
                  right: { kind: 'text', pos: 16, value: 'x' },
                },
              },
            ],
          },
        },
        {
          join: 'and',
          node: {
            kind: 'comparison',
            pos: 24,
            left: {
              kind: 'function',
              pos: 24,
              name: 'f',
              args: [
                { kind: 'identifier', pos: 26, name: 'c', path: ['c'] },
                { kind: 'number', pos: 29, value: 2 },
              ],
            },
            op: '>',
            right: { kind: 'number', pos: 34, value: -3 },
          },
        },
      ],
    });
  });
});

describe('parseFilter: groups and precedence', () => {
  const a = cmp(id('a'), '=', num(1));
  const b = cmp(id('b'), '=', num(2));
  const c = cmp(id('c'), '=', num(3));

  it.each([
    ['a = 1', [['and', a]]],
    [
      'a = 1 && b = 2',
      [
        ['and', a],
        ['and', b],
      ],
    ],
    [
      'a = 1 || b = 2 && c = 3',
      [
        ['and', a],
        ['or', b],
        ['and', c],
      ],
    ],
    [
      'a = 1 && b = 2 || c = 3',
      [
        ['and', a],
        ['and', b],
        ['or', c],
      ],
    ],
    [
      'a=1||b=2||c=3',
      [
        ['and', a],
        ['or', b],
        ['or', c],
      ],
    ],
  ])('keeps %j as a flat left-to-right list', (source, expected) => {
    const items = expected.map(([join, node]) => ({ join, node }));
    expect(withoutPositions(parse(source))).toEqual({ kind: 'group', items });
  });

  it('nests parenthesised groups', () => {
    expect(withoutPositions(parse('a = 1 || (b = 2 && (c = 3))'))).toEqual({
      kind: 'group',
      items: [
        { join: 'and', node: a },
        {
          join: 'or',
          node: {
            kind: 'group',
            items: [
              { join: 'and', node: b },
              { join: 'and', node: { kind: 'group', items: [{ join: 'and', node: c }] } },
            ],
          },
        },
      ],
    });
  });

  it('keeps redundant parentheses as nested groups', () => {
    const inner = { kind: 'group', items: [{ join: 'and', node: a }] };
    expect(withoutPositions(parse('((a = 1))'))).toEqual({
      kind: 'group',
      items: [{ join: 'and', node: { kind: 'group', items: [{ join: 'and', node: inner }] } }],
    });
  });

  it('ignores comments and line breaks between items', () => {
    const source = '// leading\na = 1 // first\n  && // between\n b = 2\n// trailing';
    expect(withoutPositions(parse(source))).toEqual(withoutPositions(parse('a = 1 && b = 2')));
  });
});

describe('parseFilter: operands', () => {
  it.each([
    ['title', id('title')],
    ['author.name', id('author.name')],
    ['json.items.0.a', id('json.items.0.a')],
    ['tags:each', id('tags', 'each')],
    ['tags:length', id('tags', 'length')],
    ['@request.body.title:changed', id('@request.body.title', 'changed')],
    ['@request.headers.x_token', id('@request.headers.x_token')],
    ['@collection.users:alias.name', id('@collection.users:alias.name')],
    ['@collection.users:u.tags:each', id('@collection.users:u.tags', 'each')],
    ['a:b:c', id('a', 'b:c')],
    ['@now', id('@now')],
    ['#x', id('#x')],
    ['123', num(123)],
    ['10.5', num(10.5)],
    ['-14', num(-14)],
    ["'it\\'s'", text("it's")],
    ['"x\\"y"', text('x"y')],
    ['f()', { kind: 'function', name: 'f', args: [] }],
    [
      'geoDistance(lon, lat, 1.5, -2)',
      {
        kind: 'function',
        name: 'geoDistance',
        args: [id('lon'), id('lat'), num(1.5), num(-2)],
      },
    ],
    [
      "a(b(c(1), 'x'))",
      {
        kind: 'function',
        name: 'a',
        args: [
          {
            kind: 'function',
            name: 'b',
            args: [{ kind: 'function', name: 'c', args: [num(1)] }, text('x')],
          },
        ],
      },
    ],
  ])('parses operand %j', (source, expected) => {
    expect(withoutPositions(operand(source))).toEqual(expected);
  });

  it('splits the path and modifier of an identifier', () => {
    expect(operand('@request.body.title:changed')).toMatchObject({
      path: ['@request', 'body', 'title'],
      modifier: 'changed',
    });
    expect(operand('@collection.users:alias.name')).toMatchObject({
      path: ['@collection', 'users:alias', 'name'],
    });
    expect(operand('@collection.users:alias.name')).not.toHaveProperty('modifier');
  });
});

describe('literalKeyword', () => {
  it.each([
    ['null', 'null'],
    ['NULL', 'null'],
    ['True', 'true'],
    ['false', 'false'],
    ['FALSE', 'false'],
    ['nulls', undefined],
    ['null.x', undefined],
    ['null:lower', undefined],
    ["'null'", undefined],
    ['1', undefined],
  ])('%s -> %s', (source, expected) => {
    expect(literalKeyword(operand(source))).toBe(expected);
  });
});
