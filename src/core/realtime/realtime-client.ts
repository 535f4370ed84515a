import type { AuthContext } from '../auth/auth-context.js';
import type { Subscription } from './realtime-topic.js';

/**
 * The connection a realtime client reads from, as the HTTP layer provides it (an SSE
 * response). Writes never block: what the socket cannot take yet waits in its buffer, whose
 * size `queuedBytes` reports, so that the client can bound it.
 */
export interface RealtimeChannel {
  /** Bytes written but not yet handed to the operating system. */
  readonly queuedBytes: number;
  /** Writes one message: the client's own `id:` line, then the shared rest of the frame. */
  write(prefix: Buffer, frame: Buffer): void;
  /** Ends the stream; `abort` drops what is still queued (a client that stopped reading). */
  close(abort: boolean): void;
}

/** Why a client was let go. */
export type CloseReason = 'idle' | 'lifetime' | 'overflow' | 'shutdown';

/**
 * One SSE connection (API.md §5.1): its 40-character id, the IP it connected from, the auth
 * set by its last subscription POST and its subscriptions by their submitted text.
 */
export class RealtimeClient {
  /** `id:<clientId>\n`, the first line of every message to this client, encoded once. */
  readonly prefix: Buffer;
  auth: AuthContext | undefined = undefined;
  subscriptions = new Map<string, Subscription>();
  /** When the last message was sent (the idle timeout runs from here). */
  lastSentAt: number;
  closed = false;

  constructor(
    readonly id: string,
    readonly ip: string,
    readonly connectedAt: number,
    private readonly channel: RealtimeChannel,
    private readonly maxQueueBytes: number,
  ) {
    this.prefix = Buffer.from(`id:${id}\n`);
    this.lastSentAt = connectedAt;
  }

  /**
   * Sends one encoded frame (everything after the `id:` line). Returns false when the client's
   * queue would overflow: the caller then disconnects it. A message larger than the whole
   * queue still goes out when the queue is empty.
   */
  send(frame: Buffer, now: number): boolean {
    if (this.closed) return true;
    const queued = this.channel.queuedBytes;
    if (queued > 0 && queued + frame.length + this.prefix.length > this.maxQueueBytes) return false;
    this.channel.write(this.prefix, frame);
    this.lastSentAt = now;
    return true;
  }

  /** Closes the connection once; `abort` for a client that stopped reading. */
  close(abort: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.channel.close(abort);
  }
}

/** `event:<name>\ndata:<json>\n\n` (API.md §5.1), shared by every client that gets it. */
export function encodeFrame(event: string, data: unknown): Buffer {
  return Buffer.from(`event:${event}\ndata:${JSON.stringify(data)}\n\n`);
}
