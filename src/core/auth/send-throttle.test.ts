import { describe, expect, it } from 'vitest';
import { RESEND_WINDOW_MS, SendThrottle } from './send-throttle.js';

describe('SendThrottle', () => {
  it('lets one send per key through within the window', () => {
    const throttle = new SendThrottle();
    expect(throttle.tryMark('a', 1_000)).toBe(true);
    expect(throttle.tryMark('a', 1_000 + RESEND_WINDOW_MS - 1)).toBe(false);
    expect(throttle.tryMark('b', 1_000)).toBe(true);
    expect(throttle.tryMark('a', 1_000 + RESEND_WINDOW_MS)).toBe(true);
  });

  it('sweeps expired keys so that they can be sent again', () => {
    const throttle = new SendThrottle();
    for (let i = 0; i < 1_500; i++) expect(throttle.tryMark(`k${String(i)}`, 0)).toBe(true);
    expect(throttle.tryMark('k0', RESEND_WINDOW_MS)).toBe(true);
    expect(throttle.tryMark('k0', RESEND_WINDOW_MS + 1)).toBe(false);
  });
});
