import { describe, expect, it } from 'vitest';
import { StatementCache } from './statement-cache.js';

function countingCache(capacity: number): { cache: StatementCache<string>; prepared: string[] } {
  const prepared: string[] = [];
  const cache = new StatementCache((sql) => {
    prepared.push(sql);
    return `prepared ${sql}`;
  }, capacity);
  return { cache, prepared };
}

describe('StatementCache', () => {
  it('prepares each text once and answers the same statement after', () => {
    const { cache, prepared } = countingCache(4);
    expect(cache.get('a')).toBe('prepared a');
    expect(cache.get('a')).toBe('prepared a');
    expect(cache.get('b')).toBe('prepared b');
    expect(prepared).toEqual(['a', 'b']);
  });

  it('evicts the least recently used statement once full', () => {
    const { cache, prepared } = countingCache(4);
    for (const sql of ['a', 'b', 'c']) cache.get(sql);
    cache.get('a'); // more than half full: a moves behind b and c
    cache.get('d');
    cache.get('e'); // full: b, the least recently used, goes
    cache.get('a');
    cache.get('c');
    expect(prepared).toEqual(['a', 'b', 'c', 'd', 'e']);
    cache.get('b');
    expect(prepared).toEqual(['a', 'b', 'c', 'd', 'e', 'b']);
  });

  it('keeps a statement used while the cache fills, though its early hits did not move it', () => {
    const { cache, prepared } = countingCache(4);
    cache.get('hot');
    cache.get('x');
    cache.get('hot'); // half full: not moved
    cache.get('y');
    cache.get('hot'); // more than half full: moved to the back
    cache.get('z');
    cache.get('w'); // evicts x, the oldest
    cache.get('hot');
    expect(prepared).toEqual(['hot', 'x', 'y', 'z', 'w']);
  });

  it('never holds more than its capacity', () => {
    const { cache, prepared } = countingCache(3);
    for (let i = 0; i < 10; i++) cache.get(`q${String(i)}`);
    for (let i = 7; i < 10; i++) cache.get(`q${String(i)}`);
    expect(prepared).toHaveLength(10);
    cache.get('q0');
    expect(prepared).toHaveLength(11);
  });
});
