import type { Clock } from '../lib/clock.js';

/**
 * A clock that stands still until it is moved: jobs' `runAt` and backoff and cron ticks read
 * it, so a test decides when "later" is (`advance`), then runs what is due
 * (`drainJobs`, `runCron`).
 */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: Date | number = Date.now()) {
    this.current = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.current;
  }

  /** Sets the time. */
  set(to: Date | number): void {
    this.current = typeof to === 'number' ? to : to.getTime();
  }

  /** Moves the time forward by `ms` milliseconds (never back). */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) {
      throw new RangeError(
        `FakeClock.advance takes a finite, non-negative number, not ${String(ms)}.`,
      );
    }
    this.current += ms;
  }
}
