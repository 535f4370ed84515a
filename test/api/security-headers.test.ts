import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const cases: [string, InjectOptions, number][] = [
  ['200', { method: 'GET', url: '/api/health' }, 200],
  [
    '400',
    {
      method: 'POST',
      url: '/api/collections/users/records',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    },
    400,
  ],
  ['401', { method: 'GET', url: '/api/settings' }, 401],
  ['404 unknown path', { method: 'GET', url: '/api/nope' }, 404],
  ['404 unsupported method', { method: 'PUT', url: '/api/collections/users/records/x' }, 404],
  ['404 record', { method: 'GET', url: '/api/collections/users/records/x' }, 404],
];

describe('security headers', () => {
  it.each(cases)(
    'are on every response (%s), next to the CORS headers',
    async (_name, options, status) => {
      const res = await t.server.inject({
        ...options,
        headers: { origin: 'https://app.example', ...options.headers },
      });
      expect(res.statusCode).toBe(status);
      expect(res.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'referrer-policy': 'strict-origin-when-cross-origin',
        'x-xss-protection': '0',
        'access-control-allow-origin': '*',
      });
    },
  );
});
