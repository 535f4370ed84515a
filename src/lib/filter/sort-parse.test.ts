import { describe, expect, it } from 'vitest';
import { FilterSyntaxError } from './filter-error.js';
import { parseSort } from './sort-parse.js';

describe('parseSort', () => {
  it.each([
    ['', []],
    [' , ,', []],
    ['created', [['created', 'asc']]],
    ['+created', [['created', 'asc']]],
    ['-created', [['created', 'desc']]],
    [
      '-created,title',
      [
        ['created', 'desc'],
        ['title', 'asc'],
      ],
    ],
    [
      ' -created , +title ,, ',
      [
        ['created', 'desc'],
        ['title', 'asc'],
      ],
    ],
    ['@random', [['@random', 'asc']]],
    ['-@rowid', [['@rowid', 'desc']]],
    ['title:lower', [['title:lower', 'asc']]],
    ['-author.name', [['author.name', 'desc']]],
    ['@collection.users:u.name', [['@collection.users:u.name', 'asc']]],
  ])('parses %j', (text, expected) => {
    const fields = expected.map(([field, direction]) => ({ field, direction }));
    expect(parseSort(text)).toEqual(fields);
  });

  it('allows 8 expressions and rejects a 9th', () => {
    const eight = Array.from({ length: 8 }, (_, i) => `f${i}`);
    expect(parseSort(eight.join(','))).toHaveLength(8);
    expect(parseSort(`${eight.join(',')},,`)).toHaveLength(8);
    const nine = `${eight.join(',')},f8`;
    expect(() => parseSort(nine)).toThrow(
      new FilterSyntaxError('Too many sort expressions (max 8) at position 24.', 24),
    );
  });

  it('allows expressions of up to 255 characters', () => {
    const name = `a${'b'.repeat(253)}`;
    expect(parseSort(`-${name}`)).toEqual([{ field: name, direction: 'desc' }]);
    expect(() => parseSort(`x,-${name}b`)).toThrow(
      'Sort expression longer than 255 characters at position 2.',
    );
  });

  it.each([
    ['-', 'Missing sort field at position 1.', 1],
    ['a, +', 'Missing sort field at position 4.', 4],
    ['title.', 'Invalid identifier "title." at position 0.', 0],
    ['a,  b:', 'Invalid identifier "b:" at position 4.', 4],
    ['--a', 'Invalid identifier "-a" at position 1.', 1],
    ['1abc', 'Invalid identifier "1abc" at position 0.', 0],
    ['a b', 'Unexpected character " " in identifier at position 1.', 1],
    ['a,b;drop', 'Unexpected character ";" in identifier at position 3.', 3],
    ['RANDOM()', 'Unexpected character "(" in identifier at position 6.', 6],
  ])('rejects %j', (text, message, position) => {
    expect(() => parseSort(text)).toThrow(message);
    expect(() => parseSort(text)).toThrow(expect.objectContaining({ position }));
  });
});
