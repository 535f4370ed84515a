import type { AuthContext } from '../auth/auth-context.js';
import type { RealtimeClient } from './realtime-client.js';
import type { Subscription } from './realtime-topic.js';

/**
 * The clients that share one subscription text and one auth record: whatever a message to
 * them depends on (rule checks, filter, expand, fields, email visibility) is the same for
 * all, so it is computed once per group, not once per client. 10,000 guests on `posts/*` are
 * one group.
 */
export interface SubscriberGroup {
  readonly key: string;
  readonly subscription: Subscription;
  /** The members' auth (the freshest record, after auth changes); undefined for guests. */
  auth: AuthContext | undefined;
  readonly clients: Set<RealtimeClient>;
}

/** The key of an auth record across collections: `collectionId/id`, '' for guests. */
export function authKeyOf(auth: AuthContext | undefined): string {
  return auth ? `${auth.collection.id}/${String(auth.record.id)}` : '';
}

/** The subscriber groups, indexed by topic (the subscription text without its options). */
export class SubscriberGroups {
  private readonly byTopic = new Map<string, Map<string, SubscriberGroup>>();

  /** The groups subscribed to `topic`, in no particular order. */
  of(topic: string): Iterable<SubscriberGroup> {
    return this.byTopic.get(topic)?.values() ?? [];
  }

  /** Whether any client subscribes to `topic`. */
  has(topic: string): boolean {
    return this.byTopic.has(topic);
  }

  /** Adds every subscription of `client` under its current auth (again: refreshes the auth). */
  add(client: RealtimeClient): void {
    const authKey = authKeyOf(client.auth);
    for (const sub of client.subscriptions.values()) {
      let groups = this.byTopic.get(sub.topic);
      if (!groups) {
        groups = new Map();
        this.byTopic.set(sub.topic, groups);
      }
      const key = `${authKey}\n${sub.raw}`;
      let group = groups.get(key);
      if (!group) {
        group = { key, subscription: sub, auth: client.auth, clients: new Set() };
        groups.set(key, group);
      }
      // Members share the auth record; the latest context (a refreshed record) serves all.
      group.auth = client.auth;
      group.clients.add(client);
    }
  }

  /** Removes every subscription of `client` (as added under its current auth). */
  remove(client: RealtimeClient): void {
    const authKey = authKeyOf(client.auth);
    for (const sub of client.subscriptions.values()) {
      const groups = this.byTopic.get(sub.topic);
      const key = `${authKey}\n${sub.raw}`;
      const group = groups?.get(key);
      if (!groups || !group) continue;
      group.clients.delete(client);
      if (group.clients.size > 0) continue;
      groups.delete(key);
      if (groups.size === 0) this.byTopic.delete(sub.topic);
    }
  }
}
