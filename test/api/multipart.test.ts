import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Multipart bodies (API.md §0) at the wire: what a well-formed form becomes, and how malformed
// or oversized ones are refused (4xx in the error shape, nothing written).

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await createCollection(t.app, {
    name: 'notes',
    listRule: '',
    viewRule: '',
    createRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'files', type: 'file', maxSelect: 5, maxSize: 1024 },
    ],
  });
});
afterAll(async () => {
  await t.close();
});

const URL = '/api/collections/notes/records';
const BOUNDARY = 'formBoundary7MA4YWxkTrZu0gW';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function field(name: string, value: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

function file(name: string, filename: string, content: string): string {
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
    `Content-Type: text/plain\r\n\r\n${content}\r\n`
  );
}

const END = `--${BOUNDARY}--\r\n`;

async function post(payload: string | Buffer, contentType = CONTENT_TYPE, url = URL) {
  return t.server.inject({
    method: 'POST',
    url,
    headers: { 'content-type': contentType },
    payload,
  });
}

async function count(): Promise<number> {
  const res = await t.server.inject({ method: 'GET', url: `${URL}?perPage=1` });
  return res.json<{ totalItems: number }>().totalItems;
}

describe('multipart bodies', () => {
  it('keeps files in order, with the query merged into the form', async () => {
    const res = await post(
      file('files', 'one.txt', 'first') +
        field('title', 'ordered') +
        file('files', 'two.txt', 'second') +
        END,
      CONTENT_TYPE,
      `${URL}?views=3`,
    );
    expect(res.statusCode).toBe(200);
    const record = res.json<{ id: string; title: string; views: number; files: string[] }>();
    expect(record).toMatchObject({ title: 'ordered', views: 3 });
    expect(record.files).toHaveLength(2);
    expect(record.files[0]).toMatch(/^one_[a-z0-9]{10}\.txt$/);
    expect(record.files[1]).toMatch(/^two_[a-z0-9]{10}\.txt$/);
  });

  it('reads an empty multipart body as an empty form', async () => {
    const before = await count();
    const res = await post('');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: '', views: 0, files: [] });
    expect(await count()).toBe(before + 1);
  });

  it('does not let a __proto__ part reach the prototype', async () => {
    const res = await post(field('__proto__', 'x') + field('title', 'proto') + END);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ title: 'proto' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  const refused: [string, () => string | Buffer, string, number][] = [
    ['no boundary', () => field('title', 'x') + END, 'multipart/form-data', 400],
    ['data cut off before the closing boundary', () => field('title', 'x'), CONTENT_TYPE, 400],
    ['garbage instead of parts', () => 'not multipart at all', CONTENT_TYPE, 400],
    [
      'a @jsonPayload that is not an object',
      () => field('@jsonPayload', '[1,2]') + END,
      CONTENT_TYPE,
      400,
    ],
    ['more than 3000 parts', () => field('title', 'x').repeat(3001) + END, CONTENT_TYPE, 413],
    [
      'text parts over 32 MiB together',
      () => field('title', 'x'.repeat(17 * 1024 * 1024)).repeat(2) + END,
      CONTENT_TYPE,
      413,
    ],
    [
      'a body over the collection’s limit (32 MiB + 5 x 1 KiB of files)',
      () => file('files', 'big.bin', 'x'.repeat(33 * 1024 * 1024)) + END,
      CONTENT_TYPE,
      413,
    ],
  ];

  it.each(refused)('refuses %s and writes nothing', async (_name, body, type, status) => {
    const before = await count();
    const res = await post(body(), type);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ data: {}, status });
    expect(await count()).toBe(before);
    // The server goes on answering.
    const ok = await post(field('title', 'after') + END);
    expect(ok.statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it('refuses a file over its own field’s maxSize with the field error, keeping none of it', async () => {
    const before = await count();
    const res = await post(file('files', 'big.bin', 'x'.repeat(6 * 1024 * 1024)) + END);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      data: { files: { code: 'validation_file_size_limit', params: { maxSize: 1024 } } },
    });
    expect(await count()).toBe(before);
  });
});
