/** One key's window: when it started and how many requests it counted. */
interface Window {
  start: number;
  count: number;
  /** The window's length in milliseconds. */
  length: number;
}

/** The most keys (rule x client IP) kept; a flood of distinct IPs cannot grow memory past it. */
export const MAX_RATE_LIMIT_KEYS = 100_000;

/** How often expired windows are dropped, in milliseconds. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Fixed-window counters per key, in memory. A window opens at a key's first request and
 * allows `maxRequests` until `duration` has passed; the next request then opens a new one.
 * Expired windows are dropped once a minute; when `maxKeys` is reached, expired windows are
 * dropped at once and, if that is not enough, the oldest windows go first (a Map iterates
 * in insertion order, and a new window is inserted anew).
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();
  private lastSweep: number;

  constructor(
    private readonly maxKeys = MAX_RATE_LIMIT_KEYS,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  /** Counts one request for `key`; false when its window has no request left. */
  consume(key: string, maxRequests: number, durationSeconds: number): boolean {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) this.sweep(now);
    const window = this.windows.get(key);
    if (window && now - window.start < window.length) {
      if (window.count >= maxRequests) return false;
      window.count++;
      return true;
    }
    if (window) this.windows.delete(key);
    else if (this.windows.size >= this.maxKeys) this.makeRoom(now);
    this.windows.set(key, { start: now, count: 1, length: durationSeconds * 1000 });
    return maxRequests >= 1;
  }

  /** Gives back one request counted in `key`'s current window (one that turned out not to count). */
  refund(key: string): void {
    const window = this.windows.get(key);
    if (window && window.count > 0 && this.now() - window.start < window.length) window.count--;
  }

  /** Forgets `key`'s window: its next request opens a new one. */
  reset(key: string): void {
    this.windows.delete(key);
  }

  /** The number of keys held (tests, diagnostics). */
  get size(): number {
    return this.windows.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      if (now - window.start >= window.length) this.windows.delete(key);
    }
  }

  private makeRoom(now: number): void {
    this.sweep(now);
    const target = Math.floor(this.maxKeys * 0.9);
    for (const key of this.windows.keys()) {
      if (this.windows.size <= target) break;
      this.windows.delete(key);
    }
  }
}
