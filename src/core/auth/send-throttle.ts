/** How long a repeated account mail request for the same record sends nothing (API.md §4). */
export const RESEND_WINDOW_MS = 120_000;

/** Keys at which expired entries are swept, so that the map stays small. */
const SWEEP_AT = 1_000;

/**
 * Remembers when an account mail was last sent per key (type, collection and record), in
 * memory: a repeat inside the window is skipped. One per App, never shared between apps.
 */
export class SendThrottle {
  private readonly sentAt = new Map<string, number>();

  /** True, and the key marked as sent now, unless it was sent within the window. */
  tryMark(key: string, now: number = Date.now()): boolean {
    const last = this.sentAt.get(key);
    if (last !== undefined && now - last < RESEND_WINDOW_MS) return false;
    if (this.sentAt.size >= SWEEP_AT) {
      for (const [k, at] of this.sentAt) if (now - at >= RESEND_WINDOW_MS) this.sentAt.delete(k);
    }
    this.sentAt.set(key, now);
    return true;
  }
}
