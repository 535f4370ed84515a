import { describe, expect, it } from 'vitest';
import { applyFieldsProjection, applyToListResult, isListResult } from './fields-apply.js';
import { parseFieldsParam } from './fields-parse.js';

const record = {
  id: 'r1',
  title: 'Hello',
  description: '<p>Some <b>long</b> text here</p>',
  tags: ['a', 'b'],
  expand: {
    author: { id: 'u1', name: 'Ann', email: 'ann@example.com' },
    comments_via_post: [
      { id: 'c1', text: 'first', expand: { user: { id: 'u2', name: 'Bob' } } },
      { id: 'c2', text: 'second' },
    ],
  },
};

function project(value: unknown, fields: string): unknown {
  return applyFieldsProjection(value, parseFieldsParam(fields));
}

describe('applyFieldsProjection', () => {
  it.each<[string, unknown]>([
    ['id', { id: 'r1' }],
    ['title,id', { id: 'r1', title: 'Hello' }],
    ['missing', {}],
    ['id,missing.deep', { id: 'r1' }],
    ['tags', { tags: ['a', 'b'] }],
    ['tags.x', { tags: ['a', 'b'] }],
    ['title.x', { title: 'Hello' }],
    ['expand.author.name', { expand: { author: { name: 'Ann' } } }],
    ['expand.author.name,expand.author', { expand: { author: record.expand.author } }],
    [
      'expand.comments_via_post.id',
      { expand: { comments_via_post: [{ id: 'c1' }, { id: 'c2' }] } },
    ],
    [
      'expand.comments_via_post.expand.user.name',
      { expand: { comments_via_post: [{ expand: { user: { name: 'Bob' } } }, {}] } },
    ],
    ['expand.*', { expand: record.expand }],
    ['*', record],
    ['*,expand.author.name', { ...record, expand: { author: { name: 'Ann' } } }],
    [
      'id,expand.author.*,expand.author.email:excerpt(3,true)',
      { id: 'r1', expand: { author: { id: 'u1', name: 'Ann', email: 'ann...' } } },
    ],
    ['description:excerpt(9,true)', { description: 'Some long...' }],
    ['description:excerpt(100)', { description: 'Some long text here' }],
    ['id:excerpt(1),tags:excerpt(1)', { id: 'r', tags: ['a', 'b'] }],
    ['expand:excerpt(2)', { expand: record.expand }],
    ['*:excerpt(2)', { ...record, id: 'r1', title: 'He', description: 'So' }],
    ['*:excerpt(2),title', { ...record, title: 'Hello', description: 'So' }],
  ])('projects %j', (fields, expected) => {
    expect(project(record, fields)).toEqual(expected);
  });

  it.each<[unknown, string, unknown]>([
    [
      [
        { a: 1, b: 2 },
        { a: 3, c: 4 },
      ],
      'a',
      [{ a: 1 }, { a: 3 }],
    ],
    [
      [{ a: 1, b: 2 }, 7, null, 'x', [{ a: 1, b: 2 }]],
      'a',
      [{ a: 1 }, 7, null, 'x', [{ a: 1, b: 2 }]],
    ],
    [[], 'a', []],
    ['text', 'a', 'text'],
    [42, 'a', 42],
    [null, 'a', null],
    [true, '*', true],
    [
      { token: 't', record: { id: '1', email: 'e' } },
      'token,record.id',
      { token: 't', record: { id: '1' } },
    ],
  ])('projects %j with %j', (value, fields, expected) => {
    expect(project(value, fields)).toEqual(expected);
  });

  it('keeps the input key order and does not modify the input', () => {
    const input = { c: 1, a: { y: 1, x: 2 }, b: 3 };
    const frozen = structuredClone(input);
    const out = project(input, 'b,a.x,c');
    expect(JSON.stringify(out)).toBe('{"c":1,"a":{"x":2},"b":3}');
    expect(input).toEqual(frozen);
    expect(out).not.toBe(input);
  });

  it('returns the value itself when there is no projection', () => {
    expect(project(record, '  ')).toBe(record);
  });

  it('keeps a __proto__ key as a plain own key', () => {
    const input: unknown = JSON.parse('{"__proto__":{"polluted":true},"a":1}');
    const out = project(input, '__proto__,a');
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('sees what JSON.stringify would: toJSON is honoured', () => {
    const model = { toJSON: () => ({ id: 'm', secret: 's' }) };
    const when = new Date('2024-01-02T03:04:05.000Z');
    expect(project({ model, when }, 'model.id,when')).toEqual({ model: { id: 'm' }, when });
    expect(project(model, 'id')).toEqual({ id: 'm' });
  });

  it('does not recurse into arrays nested in arrays, so deep input cannot overflow the stack', () => {
    let deep: unknown = { a: 1 };
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(project({ x: deep }, 'x.a')).toEqual({ x: deep });
  });
});

describe('applyToListResult', () => {
  const list = {
    page: 1,
    perPage: 30,
    totalItems: 2,
    totalPages: 1,
    items: [
      { id: 'a', title: 'A', body: '<p>one</p>' },
      { id: 'b', title: 'B', body: '<p>two &amp; three</p>' },
    ],
  };

  it('projects each item and keeps the list keys', () => {
    expect(applyToListResult(list, parseFieldsParam('id,body:excerpt(3,true)'))).toEqual({
      page: 1,
      perPage: 30,
      totalItems: 2,
      totalPages: 1,
      items: [
        { id: 'a', body: 'one' },
        { id: 'b', body: 'two...' },
      ],
    });
  });

  it('keeps the list keys even when the projection does not name them', () => {
    const out = applyToListResult(list, parseFieldsParam('page'));
    expect(out.page).toBe(1);
    expect(out.items).toEqual([{}, {}]);
  });

  it('copies the items when there is no projection', () => {
    const out = applyToListResult(list, parseFieldsParam(''));
    expect(out).toEqual(list);
    expect(out.items).not.toBe(list.items);
  });

  it.each<[unknown, boolean]>([
    [list, true],
    [{ items: [] }, true],
    [{ items: {} }, false],
    [[1], false],
    [null, false],
  ])('isListResult(%j) is %j', (value, expected) => {
    expect(isListResult(value)).toBe(expected);
  });
});
