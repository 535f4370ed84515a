import { beforeEach, describe, expect, it } from 'vitest';
import { clearFilterCache, filterCacheSize, LruCache, parseFilter } from './filter-cache.js';
import { FilterSyntaxError } from './filter-error.js';
import { FILTER_CACHE_CAPACITY } from './filter-limits.js';
import { parseFilterUncached } from './filter-parse.js';

describe('parseFilter cache', () => {
  beforeEach(() => {
    clearFilterCache();
  });

  it('parses the same text once and returns the same object', () => {
    const first = parseFilter("title = 'x' && (n > 1 || f(a, 2) = 3)");
    expect(filterCacheSize()).toBe(1);
    const second = parseFilter("title = 'x' && (n > 1 || f(a, 2) = 3)");
    expect(second).toBe(first);
    expect(filterCacheSize()).toBe(1);
    expect(first).toEqual(parseFilterUncached("title = 'x' && (n > 1 || f(a, 2) = 3)"));
  });

  it('keys the cache by options too', () => {
    const plain = parseFilter('a = 1');
    const limited = parseFilter('a = 1', { maxLength: 3500 });
    expect(limited).not.toBe(plain);
    expect(limited).toEqual(plain);
    expect(filterCacheSize()).toBe(2);
    expect(parseFilter('a = 1', { maxLength: 3500 })).toBe(limited);
  });

  it('does not let a cached parse bypass a stricter limit', () => {
    parseFilter('a = 1 && b = 2');
    expect(() => parseFilter('a = 1 && b = 2', { maxExpressions: 1 })).toThrow(FilterSyntaxError);
  });

  it('freezes every level of a cached AST', () => {
    const ast = parseFilter("(a:each ?= 'x') && f(g(1), b.c) = null");
    const group = ast.items[0]!.node;
    const second = ast.items[1]!.node;
    if (second.kind !== 'comparison') throw new Error('expected a comparison');
    const call = second.left;
    const frozen: unknown[] = [ast, ast.items, ast.items[0], group, call];
    if (group.kind === 'group') frozen.push(group.items[0]!.node, group.items);
    if (call.kind === 'function') frozen.push(call.args, call.args[0], call.args[1]);
    for (const value of frozen) expect(Object.isFrozen(value)).toBe(true);
    expect(() => Object.assign(ast.items, { 0: 'x' })).toThrow(TypeError);
    expect(() => Object.assign(second, { op: '!=' })).toThrow(TypeError);
    expect(() => Object.assign(ast, { pos: 99 })).toThrow(TypeError);
  });

  it('does not cache failures', () => {
    expect(() => parseFilter('a =')).toThrow(FilterSyntaxError);
    expect(filterCacheSize()).toBe(0);
  });

  it('stays bounded', () => {
    for (let i = 0; i < FILTER_CACHE_CAPACITY + 50; i++) parseFilter(`a = ${i}`);
    expect(filterCacheSize()).toBe(FILTER_CACHE_CAPACITY);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replaces an existing key without growing', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    expect(cache.size).toBe(1);
    expect(cache.get('a')).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects capacity %s', (capacity) => {
    expect(() => new LruCache<string, number>(capacity)).toThrow(RangeError);
  });
});
