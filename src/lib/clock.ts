/**
 * Where Basalt's scheduled work reads the time: jobs (`runAt`, leases, backoff) and cron
 * ticks. The system clock in production; `basalt/testing` passes a fake one it can move.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The system's clock. */
export const systemClock: Clock = { now: () => Date.now() };
