import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue.js';

describe('KeyedQueue', () => {
  it('runs tasks of one key one at a time, in order, past failures', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const step =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const a = queue.run('k', step('a'));
    const b = queue.run('k', step('b', true));
    const c = queue.run('k', step('c'));
    const other = queue.run('other', step('x'));
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b');
    await expect(c).resolves.toBe('c');
    await other;
    const keyed = log.filter((line) => !line.endsWith(' x'));
    expect(keyed).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    // The other key ran alongside the first task, not after the queue of 'k'.
    expect(log.indexOf('start x')).toBeLessThan(log.indexOf('end a'));
  });
});
