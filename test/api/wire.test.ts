import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await createTestApp();
  token = await superuserToken(t);
});
afterAll(async () => {
  await t.close();
});

describe('global wire conventions (API.md §0)', () => {
  it.each([
    ['GET', '/api/nope'],
    ['GET', '/nope'],
    ['PUT', '/api/collections/users'],
    ['POST', '/api/health'],
  ] as const)('answers %s %s with a 404 in the error shape', async (method, url) => {
    const res = await t.server.inject({ method, url, headers: { authorization: token } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe(
      '{"data":{},"message":"The requested resource wasn\'t found.","status":404}',
    );
  });

  it('answers /api/health', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ code: 200, message: 'API is healthy.', data: {} });
  });

  it('allows any origin (CORS) and answers preflights', async () => {
    const res = await t.server.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://app.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const pre = await t.server.inject({
      method: 'OPTIONS',
      url: '/api/collections',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-methods']).toContain('PATCH');
    expect(pre.headers['access-control-allow-headers']).toBe('authorization, content-type');
    expect(pre.headers['x-content-type-options']).toBe('nosniff');
    // A preflight of a path with no route is answered the same way.
    const unknown = await t.server.inject({
      method: 'OPTIONS',
      url: '/api/nope/deeper',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(unknown.statusCode).toBe(204);
    expect(unknown.headers['access-control-allow-origin']).toBe('*');
  });

  it('limits the body size with 413', async () => {
    const payload = JSON.stringify({ name: 'big', pad: 'x'.repeat(33 * 1024 * 1024) });
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/collections',
      headers: { authorization: token, 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ data: {}, message: 'Request entity too large.', status: 413 });
  });

  it('accepts an empty body with any content type', async () => {
    const res = await t.server.inject({
      method: 'DELETE',
      url: '/api/collections/nothing_here',
      headers: { authorization: token, 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(404);
  });

  it('parses urlencoded bodies with type inference', async () => {
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/collections',
      headers: { authorization: token, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=form_made&listRule=',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'form_made', listRule: '' });
  });
});
