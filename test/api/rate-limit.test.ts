import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src/core/settings/settings-model.js';
import { insertAuthRecord } from '../helpers/users.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

type Rule = Settings['rateLimits']['rules'][number];

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

async function limit(rules: Rule[], excludedIPs: string[] = []): Promise<void> {
  await t.app.settings.update({ rateLimits: { enabled: true, rules, excludedIPs } });
}

function rule(label: string, maxRequests: number, audience = '', duration = 60): Rule {
  return { label, audience, duration, maxRequests };
}

/** The status codes of `count` identical requests, sent one after another. */
async function statuses(count: number, options: InjectOptions): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await t.server.inject(options)).statusCode);
  return out;
}

const listUsers: InjectOptions = { method: 'GET', url: '/api/collections/users/records' };
const viewUser: InjectOptions = { method: 'GET', url: '/api/collections/users/records/nope' };
const health: InjectOptions = { method: 'GET', url: '/api/health' };

function login(collection = 'users', remoteAddress = '127.0.0.1'): InjectOptions {
  return {
    method: 'POST',
    url: `/api/collections/${collection}/auth-with-password`,
    payload: { identity: 'nobody@example.com', password: 'wrong-password-1' },
    remoteAddress,
  };
}

describe('rate limiting', () => {
  it('is off by default: nothing is ever counted', async () => {
    expect(t.app.settings.get().rateLimits.enabled).toBe(false);
    expect(new Set(await statuses(5, login()))).toEqual(new Set([400]));
  });

  it('answers 429 in the API error shape once a rule is used up', async () => {
    await limit([rule('/api/health', 2)]);
    expect(await statuses(3, health)).toEqual([200, 200, 429]);
    const res = await t.server.inject({ ...health, headers: { origin: 'https://app.example' } });
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({ data: {}, message: 'Too Many Requests.', status: 429 });
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('matches exact paths with and without a method, and path prefixes', async () => {
    await limit([rule('POST /api/health', 1), rule('/api/collections/', 2)]);
    // GET /api/health matches neither the POST-only rule nor the prefix.
    expect(await statuses(3, health)).toEqual([200, 200, 200]);
    expect(await statuses(3, listUsers)).toEqual([200, 200, 429]);
  });

  it('limits unknown paths too', async () => {
    await limit([rule('/api/', 1)]);
    expect(await statuses(2, { method: 'GET', url: '/api/nope' })).toEqual([404, 429]);
  });

  it('counts per client IP', async () => {
    await limit([rule('/api/health', 1)]);
    const from = (ip: string): InjectOptions => ({ ...health, remoteAddress: ip });
    expect(await statuses(2, from('10.0.0.1'))).toEqual([200, 429]);
    expect(await statuses(2, from('10.0.0.2'))).toEqual([200, 429]);
  });

  it('matches collection tags, the named collection before the wildcard', async () => {
    await limit([rule('*:list', 1), rule('users:list', 3), rule('*:view', 1)]);
    expect(await statuses(4, listUsers)).toEqual([200, 200, 200, 429]);
    expect(await statuses(2, viewUser)).toEqual([404, 429]);
    // The superusers collection has no rule of its own, so `*:list` applies.
    const superusers: InjectOptions = {
      method: 'GET',
      url: '/api/collections/_superusers/records',
    };
    expect(await statuses(2, superusers)).toEqual([403, 429]);
  });

  it('resolves the most specific rule: tags, method + path, path, longest prefix', async () => {
    const labels = [
      'users:list',
      '*:list',
      'GET /api/collections/users/records',
      'GET /api/',
      '/api/collections/users/records',
      '/api/collections/',
      '/api/',
    ];
    // labels[i] allows labels.length - i requests; the list order of the settings is reversed.
    const rules = labels.map((label, i) => rule(label, labels.length - i)).reverse();
    for (let drop = 0; drop < labels.length; drop++) {
      await limit(rules.slice(0, labels.length - drop));
      const allowed = labels.length - drop;
      expect((await statuses(allowed + 1, listUsers)).indexOf(429)).toBe(allowed);
    }
    // A prefix also matches the path without its trailing slash.
    await limit([rule('/api/health/', 1)]);
    expect(await statuses(2, health)).toEqual([200, 429]);
  });

  it('applies a rule only to its audience', async () => {
    await insertAuthRecord(t.app, 'users', 'user@example.com', 'user-password-1');
    const res = await t.server.inject({
      method: 'POST',
      url: '/api/collections/users/auth-with-password',
      payload: { identity: 'user@example.com', password: 'user-password-1' },
    });
    const token = res.json<{ token: string }>().token;
    const asUser: InjectOptions = { ...health, headers: { authorization: token } };
    await limit([rule('/api/health', 1, '@guest'), rule('/api/health', 2, '@auth')]);
    expect(await statuses(2, health)).toEqual([200, 429]);
    expect(await statuses(3, asUser)).toEqual([200, 200, 429]);
    await limit([rule('/api/health', 1, '@auth')]);
    expect(await statuses(3, health)).toEqual([200, 200, 200]);
  });

  it('opens a new window once the duration has passed', async () => {
    await limit([rule('/api/health', 1, '', 1)]);
    expect(await statuses(2, health)).toEqual([200, 429]);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect(await statuses(2, health)).toEqual([200, 429]);
  });

  it('exempts excluded IPs (and ranges) and superusers', async () => {
    const token = await superuserToken(t);
    await limit([rule('/api/', 1)], ['10.1.2.3', '192.168.0.0/16']);
    expect(await statuses(3, { ...health, remoteAddress: '10.1.2.3' })).toEqual([200, 200, 200]);
    expect(await statuses(3, { ...health, remoteAddress: '192.168.7.7' })).toEqual([200, 200, 200]);
    expect(await statuses(3, { ...health, headers: { authorization: token } })).toEqual([
      200, 200, 200,
    ]);
    expect(await statuses(2, { ...health, remoteAddress: '10.1.2.4' })).toEqual([200, 429]);
  });

  it('applies the default rules to auth endpoints once enabled', async () => {
    await t.app.settings.update({ rateLimits: { enabled: true } });
    expect(t.app.settings.get().rateLimits.rules).toEqual(defaultSettings().rateLimits.rules);
    // `*:auth`: 2 requests per 3 s per IP, counted per collection.
    expect(await statuses(3, login('users', '10.9.9.9'))).toEqual([400, 400, 429]);
    expect(await statuses(1, login('_superusers', '10.9.9.9'))).toEqual([400]);
    expect(await statuses(1, login('users', '10.9.9.8'))).toEqual([400]);
  });

  it('answers 404 for an unknown auth collection first, whether rate limiting is on or off', async () => {
    const unknown: InjectOptions = {
      method: 'POST',
      url: '/api/collections/missing/auth-with-password',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    };
    const expected = { data: {}, message: 'Missing or invalid collection context.', status: 404 };
    expect((await t.server.inject(unknown)).json()).toEqual(expected);
    const refresh = await t.server.inject({
      method: 'POST',
      url: '/api/collections/missing/auth-refresh',
    });
    expect(refresh.json()).toEqual(expected);
    await t.app.settings.update({ rateLimits: { enabled: true } });
    expect((await t.server.inject(unknown)).json()).toEqual(expected);
    // Records routes keep their own answer for an unknown collection (API.md §1).
    const view = await t.server.inject({
      method: 'GET',
      url: '/api/collections/missing/records/x',
    });
    expect(view.json()).toMatchObject({ status: 404, message: 'Missing collection context.' });
  });
});
