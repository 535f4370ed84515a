import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter } from './rate-limit-window.js';

describe('FixedWindowLimiter', () => {
  it('allows maxRequests per window and opens a new window after the duration', () => {
    let now = 1_000_000;
    const limiter = new FixedWindowLimiter(100, () => now);
    expect([1, 2, 3].map(() => limiter.consume('k', 2, 3))).toEqual([true, true, false]);
    now += 2999;
    expect(limiter.consume('k', 2, 3)).toBe(false);
    now += 1;
    expect(limiter.consume('k', 2, 3)).toBe(true);
  });

  it('gives one request back on refund and forgets a key on reset', () => {
    let now = 0;
    const limiter = new FixedWindowLimiter(100, () => now);
    expect([1, 2, 3].map(() => limiter.consume('k', 2, 3))).toEqual([true, true, false]);
    limiter.refund('k');
    expect([1, 2].map(() => limiter.consume('k', 2, 3))).toEqual([true, false]);
    limiter.reset('k');
    expect([1, 2, 3].map(() => limiter.consume('k', 2, 3))).toEqual([true, true, false]);
    // A refund after the window ended changes nothing (the next request opens a new one).
    now += 3000;
    limiter.refund('k');
    expect([1, 2, 3].map(() => limiter.consume('k', 2, 3))).toEqual([true, true, false]);
  });

  it('stays within maxKeys under a flood of distinct keys, dropping the oldest first', () => {
    let now = 0;
    const limiter = new FixedWindowLimiter(1000, () => now);
    limiter.consume('old', 1, 3600);
    for (let i = 0; i < 50_000; i++) {
      now += 1;
      limiter.consume(`ip-${i}`, 1, 3600);
      expect(limiter.size).toBeLessThanOrEqual(1000);
    }
    // The oldest window was evicted, so its key starts afresh.
    expect(limiter.consume('old', 1, 3600)).toBe(true);
  });

  it('drops expired windows once a minute', () => {
    let now = 0;
    const limiter = new FixedWindowLimiter(1000, () => now);
    for (let i = 0; i < 100; i++) limiter.consume(`ip-${i}`, 1, 1);
    now += 60_000;
    limiter.consume('next', 1, 1);
    expect(limiter.size).toBe(1);
  });
});
