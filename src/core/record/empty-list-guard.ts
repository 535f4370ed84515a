import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Blunts timing attacks through list filters (API.md §1.1): when filtered lists of a
 * collection guarded by a listRule keep coming back empty (more than 3 times within 3 s), each
 * further empty answer waits a random 0-500 ms, so response times stop telling a prober which
 * hidden rows exist. One instance per App.
 */
export class EmptyListGuard {
  private readonly recent = new Map<string, number[]>();

  /** Records an empty filtered list of `collectionId` and sleeps when they come too often. */
  async onEmpty(collectionId: string): Promise<void> {
    const now = Date.now();
    const times = (this.recent.get(collectionId) ?? []).filter((t) => now - t < 3000);
    times.push(now);
    this.recent.set(collectionId, times.slice(-10));
    if (times.length > 3) await sleep(randomInt(0, 501));
  }
}
