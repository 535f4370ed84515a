import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';
import type { RealtimeChannel } from '../core/realtime/realtime-client.js';

/** How long an ended stream may take to flush before its socket is destroyed. */
const END_GRACE_MS = 10_000;

/**
 * An SSE response as a realtime channel (API.md §5.1). After the headers, messages go
 * straight to the socket, one write each, without chunked encoding: the stream is the
 * connection's last response (`Connection: close`), so its body simply ends with the
 * connection: much less work per message in a fan-out to thousands of clients. Writes
 * never wait: what the socket cannot take yet stays in its buffer, whose size the client bounds.
 */
class SseChannel implements RealtimeChannel {
  constructor(
    private readonly res: ServerResponse,
    private readonly socket: Socket,
  ) {}

  get queuedBytes(): number {
    return this.socket.writableLength;
  }

  write(prefix: Buffer, frame: Buffer): void {
    this.socket.write(Buffer.concat([prefix, frame], prefix.length + frame.length));
  }

  close(abort: boolean): void {
    if (this.res.destroyed) return;
    if (abort) {
      this.res.destroy();
      return;
    }
    this.res.end();
    // A client that no longer reads never lets the end finish: let it go after a grace period.
    const timer = setTimeout(() => this.res.destroy(), END_GRACE_MS);
    timer.unref();
    this.res.once('close', () => {
      clearTimeout(timer);
    });
  }
}

/**
 * Takes the response of `reply` over from Fastify and starts an event stream on it: the
 * headers Fastify's hooks set (CORS, security headers) plus the SSE ones of API.md §5.1.
 * Returns undefined when the connection is already gone.
 */
export function openEventStream(reply: FastifyReply): RealtimeChannel | undefined {
  reply.hijack();
  const res = reply.raw;
  const socket = res.socket;
  if (!socket || socket.destroyed) {
    res.destroy();
    return undefined;
  }
  const headers: OutgoingHttpHeaders = {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'close',
  };
  // No chunked encoding: the body is delimited by the end of the connection.
  res.useChunkedEncodingByDefault = false;
  res.writeHead(200, headers);
  res.flushHeaders();
  socket.setNoDelay(true);
  socket.setTimeout(0);
  return new SseChannel(res, socket);
}
