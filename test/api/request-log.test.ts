import { Writable } from 'node:stream';
import { pino, type Level } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

/** A pino logger at `level` whose JSON lines are collected in `lines`. */
function collectingLogger(level: Level): {
  logger: pino.Logger;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

/** Lets pino's stream flush what was written synchronously before the assertions. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('request log', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('writes one line per request at info, with the token in the URL masked', async () => {
    const { logger, lines } = collectingLogger('info');
    t = await createTestApp({ logger });
    const token = await superuserToken(t);
    lines.length = 0;
    const res = await t.server.inject({
      method: 'GET',
      url: '/api/collections/users/records?token=secret-file-token&page=1',
      headers: { authorization: token },
    });
    expect(res.statusCode).toBe(200);
    await settle();
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'GET',
      url: '/api/collections/users/records?token=[redacted]&page=1',
      status: 200,
      auth: '_superusers',
    });
    expect(typeof requests[0]?.ms).toBe('number');
    // Neither the header's token nor the query's token reaches the log.
    const text = JSON.stringify(lines);
    expect(text).not.toContain(token);
    expect(text).not.toContain('secret-file-token');
  });

  it('writes no request lines above info, but still logs unexpected errors', async () => {
    const { logger, lines } = collectingLogger('warn');
    t = await createTestApp({ logger });
    // A route that fails with a plain Error: the API answers 400 without details (API.md §0)
    // and the cause goes to the log even though Fastify itself has no logger at this level.
    t.server.get('/test/boom', () => {
      throw new Error('the disk is on fire');
    });
    const ok = await t.server.inject({ method: 'GET', url: '/api/health' });
    expect(ok.statusCode).toBe(200);
    const failed = await t.server.inject({ method: 'GET', url: '/test/boom' });
    expect(failed.statusCode).toBe(400);
    expect(failed.body).not.toContain('the disk is on fire');
    await settle();
    expect(lines.filter((l) => l.msg === 'request')).toEqual([]);
    const errors = lines.filter((l) => l.msg === 'request failed');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain('the disk is on fire');
  });
});
