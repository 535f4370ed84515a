import { Agent, request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { superuserToken } from '../helpers/test-app.js';

// Request body limits (API.md §0, issue 15 S3): a guest streams a 200 MB body to a real server
// on 127.0.0.1. The answer (413, or the 403/404/400 that needs no body) must arrive while the
// body is still being sent, the server's memory must stay flat, and nothing is written.

const MiB = 1024 * 1024;
/** What each streamed request would send in all if the server let it. */
const PARTS = 40;
const PART_SIZE = 5 * MiB;
const TOTAL = PARTS * PART_SIZE;
/** The most the server's memory may grow while 200 MB stream at it (buffers kept + garbage). */
const MAX_GROWTH = 96 * MiB;
const BOUNDARY = 'basaltBodyLimitBoundary';
const CHUNK = Buffer.alloc(MiB, 0x61);

let live: LiveServer;
let superuser: string;
let docId: string;

/** What one streamed upload saw. */
interface Upload {
  readonly status: number;
  readonly body: { status?: number; message?: string; data?: unknown };
  /** Bytes written to the socket when the answer arrived. */
  readonly sentAtAnswer: number;
  /** The largest growth of RSS and of Buffer memory over the request, in bytes. */
  readonly rssGrowth: number;
  readonly bufferGrowth: number;
}

interface UploadOptions {
  readonly method?: string;
  readonly path: string;
  /** The multipart key every part goes under; undefined: a JSON body instead. */
  readonly field?: string;
  /** Send Content-Length (the whole body's) instead of chunked transfer encoding. */
  readonly contentLength?: boolean;
  readonly headers?: Record<string, string>;
  /** A client that asks to close the connection after this request (default: keep-alive). */
  readonly close?: boolean;
}

function partHead(field: string, i: number): Buffer {
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="f${String(i)}.png"\r\n` +
      `Content-Type: image/png\r\n\r\n`,
  );
}

/**
 * Streams a TOTAL-byte body (multipart parts of PART_SIZE, or one JSON string) and stops
 * writing as soon as the answer arrives. Memory is sampled in this process, which is the
 * server's, while the body streams.
 */
async function streamUpload(options: UploadOptions): Promise<Upload> {
  const multipart = options.field !== undefined;
  const head = multipart ? partHead(options.field ?? '', 0) : Buffer.from('{"title":"');
  const tail = Buffer.from(multipart ? `\r\n--${BOUNDARY}--\r\n` : '"}');
  const between = Buffer.from('\r\n');
  const length = multipart
    ? PARTS * (head.length + PART_SIZE) + (PARTS - 1) * between.length + tail.length
    : head.length + TOTAL + tail.length;
  const headers: Record<string, string> = {
    'content-type': multipart ? `multipart/form-data; boundary=${BOUNDARY}` : 'application/json',
    ...options.headers,
  };
  if (options.close) headers.connection = 'close';
  if (options.contentLength) headers['content-length'] = String(length);
  else headers['transfer-encoding'] = 'chunked';

  const url = new URL(options.path, live.url);
  const baseRss = process.memoryUsage.rss();
  const baseBuffers = process.memoryUsage().arrayBuffers;
  let peakRss = baseRss;
  let peakBuffers = baseBuffers;
  const sample = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers);
  }, 10);

  let sent = 0;
  const state = { answered: false };
  const stopped = (): boolean => state.answered || req.destroyed;
  // A keep-alive client, as browsers and the SDK's fetch are: the server answers and drops
  // the rest of the body without resetting the connection under the client's feet.
  // One that asks to close must still get its answer before the connection goes.
  const agent = new Agent({ keepAlive: options.close !== true });
  const req = httpRequest(url, { method: options.method ?? 'POST', headers, agent });
  const answer = new Promise<{ status: number; text: string; sentAtAnswer: number }>(
    (resolve, reject) => {
      req.on('response', (res) => {
        state.answered = true;
        const sentAtAnswer = sent;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString(),
            sentAtAnswer,
          });
        });
        res.on('error', reject);
      });
      // Once answered, the server may close while the client still writes: expected.
      req.on('error', (error) => {
        if (!state.answered) reject(error);
      });
    },
  );
  const write = async (data: Buffer): Promise<void> => {
    if (stopped()) return;
    sent += data.length;
    if (req.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        req.off('drain', done);
        req.off('response', done);
        req.off('close', done);
        resolve();
      };
      req.on('drain', done);
      req.on('response', done);
      req.on('close', done);
    });
  };
  const deadline = setTimeout(() => req.destroy(new Error('no answer within 60 s')), 60_000);
  try {
    for (let p = 0; p < PARTS && !stopped(); p++) {
      if (p > 0 && multipart) await write(between);
      await write(multipart ? partHead(options.field ?? '', p) : p === 0 ? head : Buffer.alloc(0));
      for (let c = 0; c < PART_SIZE / MiB && !stopped(); c++) await write(CHUNK);
    }
    if (!stopped()) {
      await write(tail);
      req.end();
    }
    const { status, text, sentAtAnswer } = await answer;
    req.destroy();
    agent.destroy();
    return {
      status,
      body: JSON.parse(text) as Upload['body'],
      sentAtAnswer,
      rssGrowth: peakRss - baseRss,
      bufferGrowth: peakBuffers - baseBuffers,
    };
  } finally {
    clearTimeout(deadline);
    clearInterval(sample);
  }
}

/** Asserts an early answer with flat memory, and logs the figures for the report. */
function expectEarly(name: string, upload: Upload, status: number): void {
  console.info(
    `[body-limits] ${name}: ${String(upload.status)} ${String(upload.body.message)} after ${(upload.sentAtAnswer / MiB).toFixed(1)} MiB sent, ` +
      `RSS +${(upload.rssGrowth / MiB).toFixed(1)} MiB, buffers +${(upload.bufferGrowth / MiB).toFixed(1)} MiB`,
  );
  expect(upload.status).toBe(status);
  expect(upload.body.status).toBe(status);
  expect(upload.body).toHaveProperty('data');
  expect(upload.sentAtAnswer).toBeLessThan(TOTAL / 2);
  expect(upload.rssGrowth).toBeLessThan(MAX_GROWTH);
  expect(upload.bufferGrowth).toBeLessThan(MAX_GROWTH);
}

async function count(collection: string): Promise<number> {
  const res = await live.server.inject({
    method: 'GET',
    url: `/api/collections/${collection}/records?perPage=1`,
    headers: { authorization: superuser },
  });
  return res.json<{ totalItems: number }>().totalItems;
}

beforeAll(async () => {
  live = await startLiveServer();
  superuser = await superuserToken(live);
  const open = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };
  await createCollection(live.app, {
    name: 'docs',
    ...open,
    fields: [
      { name: 'title', type: 'text' },
      { name: 'attachment', type: 'file', maxSelect: 1, maxSize: 1024 },
    ],
  });
  await createCollection(live.app, {
    name: 'locked',
    ...open,
    createRule: null,
    updateRule: "@request.auth.id != ''",
    fields: [{ name: 'attachment', type: 'file', maxSelect: 99, maxSize: 100 * MiB }],
  });
  await createCollection(live.app, {
    name: 'members_only',
    ...open,
    createRule: "@request.auth.id != ''",
    fields: [{ name: 'attachment', type: 'file', maxSelect: 99, maxSize: 100 * MiB }],
  });
  const doc = await live.server.inject({
    method: 'POST',
    url: '/api/collections/docs/records',
    payload: { title: 'first' },
  });
  docId = doc.json<{ id: string }>().id;
  await createCollection(live.app, {
    name: 'gated',
    ...open,
    createRule: "@request.body.title = 'ok' && @request.query.key = 'k'",
    updateRule: "@request.query.key = 'k'",
    fields: [
      { name: 'title', type: 'text' },
      { name: 'data', type: 'json', maxSize: 40 * MiB },
    ],
  });
  await live.app.settings.update({ batch: { enabled: true, maxBodySize: 8 * MiB } });
}, 60_000);
afterAll(async () => {
  await live.close();
});

describe('request bodies are limited while they stream (API.md §0)', () => {
  it('answers 404 for an unknown collection before reading the body', async () => {
    const upload = await streamUpload({ path: '/api/collections/nope/records', field: 'file' });
    expectEarly('unknown collection', upload, 404);
    expect(upload.body.message).toBe('Missing or invalid collection context.');
  });

  it('answers 413 to a guest streaming files to users/records, writing nothing', async () => {
    const before = await count('users');
    for (const contentLength of [false, true]) {
      const upload = await streamUpload({
        path: '/api/collections/users/records',
        field: 'avatar',
        contentLength,
      });
      expectEarly(`users create (content-length ${String(contentLength)})`, upload, 413);
      expect(upload.body.message).toBe('Request entity too large.');
    }
    // Parts under a key that is no file field are counted too.
    const junk = await streamUpload({ path: '/api/collections/users/records', field: 'junk' });
    expectEarly('users create, junk parts', junk, 413);
    expect(await count('users')).toBe(before);
  });

  it('caps each file at its own field’s maxSize, not at the largest of any collection', async () => {
    const before = await count('docs');
    const upload = await streamUpload({
      path: '/api/collections/docs/records',
      field: 'attachment',
    });
    expectEarly('docs create (1 KiB files)', upload, 413);
    const closing = await streamUpload({
      path: '/api/collections/docs/records',
      field: 'attachment',
      close: true,
    });
    expectEarly('docs create (1 KiB files), Connection: close', closing, 413);
    // One file over its 1 KiB limit is refused as PocketBase does: 400 with the field error.
    const form = new FormData();
    form.append('attachment', new Blob([Buffer.alloc(3 * MiB)]), 'big.bin');
    const res = await fetch(`${live.url}/api/collections/docs/records`, {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      data: { attachment: { code: 'validation_file_size_limit', params: { maxSize: 1024 } } },
    });
    expect(await count('docs')).toBe(before);
  });

  it('checks rules that need no body before reading it', async () => {
    const locked = await streamUpload({
      path: '/api/collections/locked/records',
      field: 'attachment',
    });
    expectEarly('create, null createRule', locked, 403);
    const closing = await streamUpload({
      path: '/api/collections/locked/records',
      field: 'attachment',
      close: true,
    });
    expectEarly('create, null createRule, Connection: close', closing, 403);
    expect(locked.body.message).toBe('Only superusers can perform this action.');
    const membersOnly = await streamUpload({
      path: '/api/collections/members_only/records',
      field: 'attachment',
    });
    expectEarly("create, createRule @request.auth.id != ''", membersOnly, 400);
    expect(membersOnly.body.message).toBe('Failed to create record.');
    const update = await streamUpload({
      method: 'PATCH',
      path: '/api/collections/locked/records/abcdefghijklmno',
      field: 'attachment',
    });
    expectEarly("update, updateRule @request.auth.id != ''", update, 404);
    expect(await count('locked')).toBe(0);
    expect(await count('members_only')).toBe(0);
  });

  it('limits an update by its collection’s files', async () => {
    const upload = await streamUpload({
      method: 'PATCH',
      path: `/api/collections/docs/records/${docId}`,
      field: 'attachment',
    });
    expectEarly('docs update', upload, 413);
    const res = await live.server.inject({
      method: 'GET',
      url: `/api/collections/docs/records/${docId}`,
    });
    expect(res.json()).toMatchObject({ title: 'first', attachment: '' });
  });

  it('limits a multipart batch to batch.maxBodySize, and refuses a disabled batch unread', async () => {
    const before = await count('docs');
    const upload = await streamUpload({ path: '/api/batch', field: 'requests.0.attachment' });
    expectEarly('batch (maxBodySize 8 MiB)', upload, 413);
    await live.app.settings.update({ batch: { enabled: false } });
    try {
      const disabled = await streamUpload({ path: '/api/batch', field: 'requests.0.attachment' });
      expectEarly('batch disabled', disabled, 403);
    } finally {
      await live.app.settings.update({ batch: { enabled: true } });
    }
    expect(await count('docs')).toBe(before);
  });

  it('limits JSON bodies on every route, chunked or not', async () => {
    const routes = [
      '/api/collections/docs/records',
      `/api/collections/docs/records/${docId}`,
      '/api/collections/users/auth-with-password',
      '/api/batch',
      '/api/realtime',
      '/api/nowhere',
    ];
    for (const path of routes) {
      for (const contentLength of [false, true]) {
        const upload = await streamUpload({
          method: path.endsWith(docId) ? 'PATCH' : 'POST',
          path,
          contentLength,
        });
        expectEarly(`JSON ${path} (content-length ${String(contentLength)})`, upload, 413);
      }
    }
  });

  it('refuses early only what the body could not change, and lets a big collection take more', async () => {
    const create = (query: string, payload: unknown, authorization?: string) =>
      live.server.inject({
        method: 'POST',
        url: `/api/collections/gated/records${query}`,
        payload: payload as Record<string, unknown>,
        headers: authorization ? { authorization } : {},
      });
    // The rule reads the body: decided after it, both ways.
    expect((await create('?key=k', { title: 'ok' })).statusCode).toBe(200);
    expect((await create('?key=k', { title: 'no' })).statusCode).toBe(400);
    // Without the query the rule is false whatever the body: refused before it.
    expect((await create('', { title: 'ok' })).json()).toMatchObject({
      status: 400,
      message: 'Failed to create record.',
    });
    // Superusers are never refused by a rule.
    expect((await create('', { title: 'no' }, superuser)).statusCode).toBe(200);
    const id = (await create('?key=k', { title: 'ok' })).json<{ id: string }>().id;
    const update = (query: string) =>
      live.server.inject({
        method: 'PATCH',
        url: `/api/collections/gated/records/${id}${query}`,
        payload: { title: 'changed' },
      });
    expect((await update('')).statusCode).toBe(404);
    expect((await update('?key=k')).statusCode).toBe(200);
    // A json field of 40 MiB raises the collection's limit past 32 MiB (PocketBase's sum): the
    // body is read and judged by the rule (not stored: MariaDB's packet limit is smaller).
    const big = await create('?key=k', { title: 'no', data: 'x'.repeat(34 * MiB) });
    expect(big.json()).toMatchObject({ status: 400, message: 'Failed to create record.' });
    const tooBig = await create('?key=k', { title: 'ok', data: 'x'.repeat(74 * MiB) });
    expect(tooBig.statusCode).toBe(413);
  });
});
