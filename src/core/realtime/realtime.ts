import type { Logger } from 'pino';
import type { Executor } from '../../db/adapter.js';
import type { AfterCommit } from '../../db/transaction.js';
import { randomString } from '../../lib/security/random.js';
import type { App } from '../app.js';
import type { AuthContext } from '../auth/auth-context.js';
import { ApiError } from '../errors.js';
import { changeOf, type RecordChange } from './record-change.js';
import {
  encodeFrame,
  RealtimeClient,
  type CloseReason,
  type RealtimeChannel,
} from './realtime-client.js';
import { authKeyOf, SubscriberGroups } from './realtime-groups.js';
import { recordDeliveries, type Delivery } from './realtime-records.js';
import { readSubscribeForm } from './realtime-subscribe.js';
import { parseSubscription } from './realtime-topic.js';

/** Limits of realtime connections (AppConfig.realtime); defaults as PocketBase's. */
export interface RealtimeOptions {
  /** A client that was sent nothing for this long is disconnected (5 min). */
  readonly idleTimeoutMs?: number;
  /** Every client is disconnected after this long (30 min); the SDK reconnects. */
  readonly maxLifetimeMs?: number;
  /**
   * The bytes that may wait for a slow client (1 MiB). A message that does not fit
   * disconnects it (the SDK reconnects and subscribes again); the others never wait for it.
   */
  readonly maxQueueBytes?: number;
}

const DEFAULTS = {
  idleTimeoutMs: 5 * 60_000,
  maxLifetimeMs: 30 * 60_000,
  maxQueueBytes: 1024 * 1024,
};

/** Length of client ids (API.md §5.1). */
const CLIENT_ID_LENGTH = 40;

/**
 * The realtime broker (API.md §5): SSE clients, their subscriptions grouped by (auth,
 * subscription text), record events turned into messages after commit, custom topics for
 * server-side senders, and the idle / lifetime / queue limits. Record events are listened to
 * only while a client is connected, so writes cost nothing extra without clients.
 */
export class Realtime {
  private readonly clients = new Map<string, RealtimeClient>();
  private readonly groups = new SubscriberGroups();
  private readonly limits: Required<RealtimeOptions>;
  private readonly logger: Logger;
  private stopListening: (() => void) | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  /** Record messages go out one change after another, in commit order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly app: App) {
    this.limits = { ...DEFAULTS, ...app.config.realtime };
    this.logger = app.logger;
  }

  /** The number of connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Registers a new client on `channel` and sends its PB_CONNECT message. */
  connect(channel: RealtimeChannel, ip: string): RealtimeClient {
    let id = randomString(CLIENT_ID_LENGTH);
    while (this.clients.has(id)) id = randomString(CLIENT_ID_LENGTH);
    const client = new RealtimeClient(id, ip, Date.now(), channel, this.limits.maxQueueBytes);
    this.clients.set(id, client);
    if (this.clients.size === 1) this.start();
    client.send(encodeFrame('PB_CONNECT', { clientId: id }), Date.now());
    return client;
  }

  /** Unregisters a client whose connection ended (idempotent; nothing left to close). */
  disconnect(client: RealtimeClient): void {
    client.closed = true;
    if (this.clients.get(client.id) !== client) return;
    this.groups.remove(client);
    this.clients.delete(client.id);
    if (this.clients.size === 0) this.stop();
  }

  /** Finds a connected client by id. */
  client(id: string): RealtimeClient | undefined {
    return this.clients.get(id);
  }

  /**
   * `POST /api/realtime` (API.md §5.2): replaces the client's subscriptions and sets its auth.
   * 404 for an unknown client, 400 from another IP, 403 when the auth would change from one
   * record to another or to none.
   */
  subscribe(body: unknown, auth: AuthContext | undefined, ip: string): void {
    const form = readSubscribeForm(body);
    const client = this.clients.get(form.clientId);
    if (!client) throw new ApiError('realtime_client_not_found');
    if (client.ip !== '' && client.ip !== ip) throw new ApiError('realtime_client_invalid');
    if (client.auth && authKeyOf(client.auth) !== authKeyOf(auth))
      throw new ApiError('realtime_auth_mismatch');
    this.groups.remove(client);
    client.auth = auth;
    client.subscriptions = new Map(form.subscriptions.map((s) => [s, parseSubscription(s)]));
    this.groups.add(client);
  }

  /** Removes the subscriptions to `topic` (any options) of one client. */
  unsubscribe(client: RealtimeClient, topic: string): void {
    this.groups.remove(client);
    for (const [raw, sub] of client.subscriptions)
      if (sub.topic === topic) client.subscriptions.delete(raw);
    this.groups.add(client);
  }

  /**
   * Sends `data` to every client subscribed to the custom topic `topic` (for hooks); the event
   * name is each subscription's own text. Returns the number of messages sent.
   */
  send(topic: string, data: unknown): number {
    let sent = 0;
    for (const group of [...this.groups.of(topic)]) {
      this.deliver(group.clients, encodeFrame(group.subscription.raw, data));
      sent += group.clients.size;
    }
    return sent;
  }

  /** Sends `data` to one client, under each of its subscriptions to `topic`. */
  sendTo(clientId: string, topic: string, data: unknown): boolean {
    const client = this.clients.get(clientId);
    if (!client) return false;
    let sent = false;
    for (const sub of client.subscriptions.values()) {
      if (sub.topic !== topic) continue;
      this.deliver([client], encodeFrame(sub.raw, data));
      sent = true;
    }
    return sent;
  }

  /** Disconnects every client (server shutdown). */
  closeAll(): void {
    for (const client of [...this.clients.values()]) this.drop(client, 'shutdown');
  }

  private deliver(clients: Iterable<RealtimeClient>, frame: Buffer): void {
    const now = Date.now();
    for (const client of [...clients]) if (!client.send(frame, now)) this.drop(client, 'overflow');
  }

  private drop(client: RealtimeClient, reason: CloseReason): void {
    if (reason === 'overflow') this.logger.warn({ clientId: client.id }, 'realtime: queue full');
    this.groups.remove(client);
    this.clients.delete(client.id);
    // A full queue will not drain, and a shutdown must not wait for slow readers.
    client.close(reason === 'overflow' || reason === 'shutdown');
    if (this.clients.size === 0) this.stop();
  }

  private start(): void {
    // Realtime hears of record changes through the record hooks, ahead of every other
    // handler (so that none can stop it): deletes prepare their messages inside the
    // transaction, with the row still stored; everything is sent after the commit.
    const hooks = this.app.hooks;
    const first = { priority: Number.MIN_SAFE_INTEGER, source: 'basalt:realtime' };
    const created = hooks.onRecordAfterCreateSuccess.bind({
      ...first,
      fn: async (e) => {
        this.committed(changeOf('create', e));
        await e.next();
      },
    });
    const updated = hooks.onRecordAfterUpdateSuccess.bind({
      ...first,
      fn: async (e) => {
        this.committed(changeOf('update', e));
        await e.next();
      },
    });
    const deleting = hooks.onRecordDelete.bind({
      ...first,
      fn: async (e) => {
        const send = await this.beforeDelete(changeOf('delete', e), e.app.db.db);
        await e.next();
        e.afterCommit(send);
      },
    });
    this.stopListening = () => {
      hooks.onRecordAfterCreateSuccess.unbind(created);
      hooks.onRecordAfterUpdateSuccess.unbind(updated);
      hooks.onRecordDelete.unbind(deleting);
    };
    const period = Math.min(this.limits.idleTimeoutMs, this.limits.maxLifetimeMs) / 20;
    this.sweepTimer = setInterval(
      () => {
        this.sweep();
      },
      Math.min(Math.max(period, 10), 5000),
    );
    this.sweepTimer.unref();
  }

  private stop(): void {
    this.stopListening?.();
    this.stopListening = undefined;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** Closes idle clients and clients past their lifetime. */
  private sweep(): void {
    const now = Date.now();
    for (const client of [...this.clients.values()]) {
      if (now - client.connectedAt >= this.limits.maxLifetimeMs) this.drop(client, 'lifetime');
      else if (now - client.lastSentAt >= this.limits.idleTimeoutMs) this.drop(client, 'idle');
    }
  }

  private enqueue(work: () => Promise<void> | void): void {
    this.queue = this.queue.then(work).catch((error: unknown) => {
      this.logger.error({ err: error }, 'realtime: broadcasting a record change failed');
    });
  }

  /**
   * After commit, in commit order: an updated auth record first becomes its clients' auth,
   * then every group allowed to see the change gets its message.
   */
  private committed(change: RecordChange): void {
    this.enqueue(async () => {
      if (change.action === 'update') this.refreshAuth(change);
      this.deliverAll(await recordDeliveries(this.app, this.app.db.db, this.groups, change));
    });
  }

  /** The messages of a delete, computed while the row is still stored, sent after commit. */
  private async beforeDelete(change: RecordChange, exec: Executor): Promise<AfterCommit> {
    const deliveries = await recordDeliveries(this.app, exec, this.groups, change);
    return () => {
      this.enqueue(() => {
        this.deliverAll(deliveries);
        this.unsetAuth(change);
      });
    };
  }

  private deliverAll(deliveries: readonly Delivery[]): void {
    for (const { group, frame } of deliveries) this.deliver(group.clients, frame);
  }

  /** Clients signed in as the updated record get it as their auth (API.md §5.6). */
  private refreshAuth(change: RecordChange): void {
    const { collection, row } = change;
    if (collection.type !== 'auth') return;
    const key = `${collection.id}/${String(row.id)}`;
    for (const client of this.clients.values()) {
      if (!client.auth || authKeyOf(client.auth) !== key) continue;
      // Same auth key, so the same groups: they take the fresh record in place.
      client.auth = { ...client.auth, collection, record: row };
      this.groups.add(client);
    }
  }

  /** Clients signed in as the deleted record become guests (API.md §5.6). */
  private unsetAuth(change: RecordChange): void {
    if (change.collection.type !== 'auth') return;
    const key = `${change.collection.id}/${String(change.row.id)}`;
    for (const client of this.clients.values()) {
      if (!client.auth || authKeyOf(client.auth) !== key) continue;
      this.groups.remove(client);
      client.auth = undefined;
      this.groups.add(client);
    }
  }
}
