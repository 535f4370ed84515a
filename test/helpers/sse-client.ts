import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

/** One SSE message as received: the raw fields of API.md §5.1. */
export interface SseMessage {
  readonly id: string;
  readonly event: string;
  readonly data: string;
  /** The parsed data (undefined when it is not JSON). */
  readonly json: unknown;
}

/**
 * A raw SSE client of `/api/realtime` (no SDK), for asserting the wire format: frames are
 * parsed as they arrive and kept in order; `next` waits for the next one matching.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  status = 0;
  headers: IncomingHttpHeaders = {};
  ended = false;
  clientId = '';
  private buffer = '';
  private res: IncomingMessage | undefined;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly url: string) {}

  /** Connects and waits for PB_CONNECT. */
  static async connect(baseUrl: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient(baseUrl);
    await client.open(headers);
    const first = await client.next((m) => m.event === 'PB_CONNECT');
    client.clientId = first.id;
    return client;
  }

  private open(headers: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(`${this.url}/api/realtime`, { headers }, (res) => {
        this.res = res;
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          this.feed(chunk);
        });
        const end = () => {
          this.ended = true;
          this.wake();
        };
        res.on('end', end);
        res.on('close', end);
        res.on('error', end);
        resolve();
      });
      req.on('error', reject);
      req.end();
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let at: number;
    while ((at = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, at);
      this.buffer = this.buffer.slice(at + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
      }
      const data = fields.data ?? '';
      let json: unknown;
      try {
        json = JSON.parse(data);
      } catch {
        json = undefined;
      }
      this.messages.push({ id: fields.id ?? '', event: fields.event ?? '', data, json });
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Waits for (and consumes up to) the next message that matches, or fails after `ms`. */
  async next(match: (m: SseMessage) => boolean = () => true, ms = 5000): Promise<SseMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const index = this.messages.findIndex(match);
      if (index >= 0) return this.messages.splice(0, index + 1)[index] as SseMessage;
      if (this.ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${String(ms)} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
      this.waiters.clear();
    }
  }

  /** Waits `ms` and returns the messages that arrived meanwhile (for "nothing comes" checks). */
  async drain(ms = 300): Promise<SseMessage[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.messages.splice(0);
  }

  /** Waits for the server to end the stream; resolves with the time it took. */
  async waitEnd(ms = 5000): Promise<number> {
    const started = Date.now();
    while (!this.ended) {
      if (Date.now() - started > ms) throw new Error('the stream did not end');
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now() - started;
  }

  /** Stops reading from the socket (a client that no longer keeps up). */
  pause(): void {
    this.res?.socket.pause();
    this.res?.pause();
  }

  /** Closes the connection. */
  close(): void {
    this.res?.destroy();
  }

  /** `POST /api/realtime` for this client; returns the status and parsed body. */
  async subscribe(
    subscriptions: unknown,
    token?: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    return postJson(
      this.url,
      '/api/realtime',
      { clientId: this.clientId, subscriptions },
      token,
      headers,
    );
  }
}

/** Sends a JSON request with an optional token; returns the status and parsed body. */
export async function apiJson(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: token } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = {};
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed as Record<string, unknown> };
}

/** Sends a JSON POST with an optional token. */
export function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return apiJson(baseUrl, 'POST', path, body, token, headers);
}
