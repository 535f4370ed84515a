import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { ApiError } from '../core/errors.js';
import { errorBody, RETRY_AFTER_SECONDS } from './errors.js';
import { RESPONSE_HEADERS } from './response-headers.js';

/**
 * How long after shutdown begins a connection with no request in flight may still send one
 * (a kept-alive connection between requests, or one accepted whose request is on its way):
 * it is answered 503 instead of being reset.
 */
const IDLE_DRAIN_MS = 1000;
/** How often the drain closes the connections that have become idle. */
const POLL_MS = 50;

/** A socket's response in progress (Node's own link, `socket._httpMessage`), if any. */
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

const connections = new WeakMap<Server, Set<HttpSocket>>();

/** Keeps the set of a server's open connections, for drainHttpServer (a cost per connection). */
export function trackConnections(http: Server): void {
  const sockets = new Set<HttpSocket>();
  connections.set(http, sockets);
  http.on('connection', (socket: HttpSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
}

const UNAVAILABLE_BODY = JSON.stringify(errorBody(503, new ApiError('unavailable').message));

/** The answer to a request that arrives once shutdown has begun: the API's 503, then close. */
function answerShuttingDown(request: IncomingMessage, response: ServerResponse): void {
  const send = () => {
    response.writeHead(503, {
      ...RESPONSE_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(UNAVAILABLE_BODY),
      'retry-after': String(RETRY_AFTER_SECONDS),
      connection: 'close',
    });
    response.end(UNAVAILABLE_BODY);
  };
  // The body is read to its end first: closing a socket with unread data resets it.
  request.once('error', () => response.destroy());
  request.resume();
  if (request.complete) send();
  else request.once('end', send);
}

/**
 * Shuts an HTTP server down without resetting what it accepted. New connections are refused;
 * requests already in flight finish with their normal answer, which closes its connection;
 * requests that arrive from now on (on kept-alive connections, or on connections accepted
 * but not yet read) are answered the API's 503 with `Connection: close`; connections with no
 * request in flight are closed after IDLE_DRAIN_MS, and every connection still open when
 * `graceMs` has passed is cut. Resolves when no connection is left.
 */
export async function drainHttpServer(http: Server, graceMs: number): Promise<void> {
  for (const listener of http.listeners('request')) {
    http.removeListener('request', listener as (...args: unknown[]) => void);
  }
  http.on('request', answerShuttingDown);
  // net.Server's close stops accepting and keeps the open connections; http.Server's would
  // also close at once every connection without a request in flight, resetting a request
  // that is on its way.
  const closed = new Promise<void>((resolve) => {
    NetServer.prototype.close.call(http, () => {
      resolve();
    });
  });
  for (const socket of connections.get(http) ?? []) {
    const response = socket._httpMessage;
    if (response && !response.headersSent) response.setHeader('connection', 'close');
  }
  const start = Date.now();
  const idleAfter = Math.min(IDLE_DRAIN_MS, graceMs);
  const poll = setInterval(() => {
    const elapsed = Date.now() - start;
    if (elapsed >= graceMs) http.closeAllConnections();
    else if (elapsed >= idleAfter) http.closeIdleConnections();
  }, POLL_MS);
  try {
    await closed;
  } finally {
    clearInterval(poll);
  }
}
