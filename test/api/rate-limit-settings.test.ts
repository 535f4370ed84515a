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

const good = { label: '/api/', audience: '', duration: 10, maxRequests: 300 };

const bad: [string, Record<string, unknown>, string][] = [
  [
    'a negative duration',
    { rateLimits: { rules: [{ ...good, duration: -1 }] } },
    'rateLimits.rules.0.duration',
  ],
  [
    'an unknown audience',
    { rateLimits: { rules: [{ ...good, audience: '@admin' }] } },
    'rateLimits.rules.0.audience',
  ],
  [
    'a malformed label',
    { rateLimits: { rules: [good, { ...good, label: 'api/x y' }] } },
    'rateLimits.rules.1.label',
  ],
  [
    'an unknown tag',
    { rateLimits: { rules: [{ ...good, label: 'users:explode' }] } },
    'rateLimits.rules.0.label',
  ],
  [
    'a huge maxRequests',
    { rateLimits: { rules: [{ ...good, maxRequests: 1e12 }] } },
    'rateLimits.rules.0.maxRequests',
  ],
  [
    'an excluded IP that is not one',
    { rateLimits: { excludedIPs: ['localhost'] } },
    'rateLimits.excludedIPs',
  ],
  ['a bad superuser IP range', { superuserIPs: ['10.0.0.0/40'] }, 'superuserIPs'],
  [
    'a bad proxy header name',
    { trustedProxy: { headers: ['X Forwarded'] } },
    'trustedProxy.headers',
  ],
];

function at(data: unknown, path: string): unknown {
  let node = data;
  for (const key of path.split('.')) {
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[key]
        : undefined;
  }
  return node;
}

describe('rate limit settings', () => {
  it('accept every label form of API.md §7', async () => {
    const rules = [
      '/api/health',
      'POST /api/collections/users/records',
      '/api/',
      'GET /api/collections/',
      'users:authWithPassword',
      '*:auth',
      '*:confirmEmailChange',
    ].map((label) => ({ ...good, label }));
    const res = await t.server.inject({
      method: 'PATCH',
      url: '/api/settings',
      headers: { authorization: token },
      payload: { rateLimits: { rules, excludedIPs: ['10.0.0.1', '::1', '10.0.0.0/8'] } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ rateLimits: { rules: unknown[] } }>().rateLimits.rules).toEqual(rules);
  });

  it.each(bad)(
    'refuse %s with 400 and leave the settings unchanged',
    async (_name, patch, path) => {
      const before = await t.server.inject({
        method: 'GET',
        url: '/api/settings',
        headers: { authorization: token },
      });
      const res = await t.server.inject({
        method: 'PATCH',
        url: '/api/settings',
        headers: { authorization: token },
        payload: patch,
      });
      expect(res.statusCode).toBe(400);
      const body = res.json<{ data: unknown; message: string; status: number }>();
      expect(body.status).toBe(400);
      expect(body.message).toBe('An error occurred while validating the submitted data.');
      expect(at(body.data, path)).toMatchObject({
        code: expect.stringMatching(/^validation_/) as string,
      });
      const after = await t.server.inject({
        method: 'GET',
        url: '/api/settings',
        headers: { authorization: token },
      });
      expect(after.json()).toEqual(before.json());
    },
  );
});
