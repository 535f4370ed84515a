import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPublicItems,
  processSuperuserToken,
  startBasaltProcess,
  type BasaltProcess,
} from '../helpers/basalt-process.js';
import { expectUnavailable, send, type Outcome } from '../helpers/http-outcome.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// Issue 15, Data 5: on SIGTERM nothing that was accepted is reset. Requests in flight finish
// with their normal answer; requests that arrive later (on kept-alive connections, or on
// connections accepted before the signal) get the API's 503; the process exits 0.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An outcome, or the network error that ended the request instead (`ECONNRESET`...). */
type Result = Outcome | { readonly error: string };

/** A POST of one record on the keep-alive `agent`. */
function create(agent: Agent, url: string, title: string): Promise<Result> {
  return new Promise((resolve) => {
    const payload = JSON.stringify({ title });
    const req = request(
      `${url}/api/collections/items/records`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] ?? null,
            connection: res.headers.connection ?? null,
            body: JSON.parse(text) as unknown,
          });
        });
        res.on('error', (error: NodeJS.ErrnoException) => {
          resolve({ error: error.code ?? error.message });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ error: error.code ?? error.message });
    });
    req.end(payload);
  });
}

/** A raw HTTP/1.1 request text creating one record. */
function rawCreate(title: string): { head: string; body: string } {
  const body = JSON.stringify({ title });
  const head =
    'POST /api/collections/items/records HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
    `Content-Type: application/json\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\n\r\n`;
  return { head, body };
}

/** Everything the server sends on `socket` until it closes, or the error that ended it. */
function received(socket: Socket): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    let text = '';
    let error: string | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      resolve(error === undefined ? { text } : { text, error });
    });
  });
}

/** A raw response's status and parsed JSON body. */
function parseRaw(text: string): Outcome {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  const header = (name: string) =>
    new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1]?.trim() ?? null;
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
    retryAfter: header('retry-after'),
    connection: header('connection'),
    body: body === '' ? '' : (JSON.parse(body) as unknown),
  };
}

async function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

describe('shutdown on SIGTERM', () => {
  let database: EngineDatabase;
  let dir: string;
  let basalt: BasaltProcess;

  beforeEach(async () => {
    database = await createEngineDatabase();
    dir = mkdtempSync(join(tmpdir(), 'basalt-shutdown-'));
    basalt = await startBasaltProcess(dir, database.url ?? '');
    await createPublicItems(basalt.url, await processSuperuserToken(basalt.url));
  });

  afterEach(async () => {
    await basalt.stop('SIGKILL');
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes what it accepted, answers the rest 503 in the API shape, resets nothing', async () => {
    const url = basalt.url;
    // Keep-alive clients sending one create after another.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    let stopping = false;
    const loops = Array.from({ length: 4 }, async (_, n) => {
      const results: Result[] = [];
      for (let i = 0; i < 1000; i++) {
        const result = await create(agent, url, `loop ${String(n)}.${String(i)}`);
        results.push(result);
        // After shutdown began: a new connection is refused, and that ends the loop.
        if ('error' in result || (stopping && result.status !== 200)) break;
      }
      return results;
    });
    // Connections accepted before the signal whose request comes just after it.
    const fresh = await Promise.all([openSocket(url), openSocket(url), openSocket(url)]);
    const freshAnswers = fresh.map(received);
    // A slow upload in flight when the signal comes: half the body before, half after.
    const slow = await openSocket(url);
    const slowAnswer = received(slow);
    const upload = rawCreate(`slow ${'x'.repeat(2000)}`);
    slow.write(upload.head + upload.body.slice(0, 1000));

    await sleep(500);
    stopping = true;
    basalt.child.kill('SIGTERM');
    await sleep(150);
    for (const [i, socket] of fresh.entries()) {
      const { head, body } = rawCreate(`fresh ${String(i)}`);
      socket.write(head + body);
    }
    await sleep(350);
    slow.write(upload.body.slice(1000));

    const looped = await Promise.all(loops);
    agent.destroy();
    expect(await basalt.exited).toBe(0);

    const acknowledged: string[] = [];
    const keep = (outcome: Outcome) => {
      if (outcome.status === 200) {
        acknowledged.push((outcome.body as { id: string }).id);
      } else {
        expectUnavailable(outcome);
        expect(outcome.connection).toBe('close');
      }
    };
    let answeredDuringShutdown = 0;
    for (const results of looped) {
      expect(results.length).toBeGreaterThan(1);
      for (const [i, result] of results.entries()) {
        if ('error' in result) {
          // Only the last request may fail, and only by a refused new connection.
          expect(i).toBe(results.length - 1);
          expect(result.error).toBe('ECONNREFUSED');
        } else {
          keep(result);
          if (result.status === 503) answeredDuringShutdown++;
        }
      }
    }
    for (const answer of await Promise.all(freshAnswers)) {
      expect(answer.error).toBeUndefined();
      // Answered whole: normally, or 503 when it arrived after the signal was handled.
      keep(parseRaw(answer.text));
    }
    const slowDone = await slowAnswer;
    expect(slowDone.error).toBeUndefined();
    const slowOutcome = parseRaw(slowDone.text);
    expect(slowOutcome.status).toBe(200);
    keep(slowOutcome);
    expect(answeredDuringShutdown + acknowledged.length).toBeGreaterThan(4);

    // Every acknowledged write is there after a restart.
    basalt = await startBasaltProcess(dir, database.url ?? '');
    for (const id of acknowledged) {
      const found = await send(`${basalt.url}/api/collections/items/records/${id}`);
      expect(found.status, `record ${id}`).toBe(200);
    }
  });
});
