/** How long a repeated account mail request for the same record sends nothing (API.md §4). */
export const RESEND_WINDOW_MS = 120_000;

/** Keys at which expired entries are swept, so that the map stays small. */
const SWEEP_AT = 1_000;

/**
 * Remembers when something was last done per key, in memory: a repeat inside the window
 * (`RESEND_WINDOW_MS` unless given) is skipped. Account mails use it per type, collection and
 * record; the OTP sweep per collection. One per App and use, never shared between apps.
 */
export class SendThrottle {
  private readonly sentAt = new Map<string, number>();

  constructor(private readonly windowMs: number = RESEND_WINDOW_MS) {}

  /** True, and the key marked as sent now, unless it was sent within the window. */
  tryMark(key: string, now: number = Date.now()): boolean {
    const last = this.sentAt.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    if (this.sentAt.size >= SWEEP_AT) {
      for (const [k, at] of this.sentAt) if (now - at >= this.windowMs) this.sentAt.delete(k);
    }
    this.sentAt.set(key, now);
    return true;
  }
}
