import type { InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let token: string;

beforeEach(async () => {
  t = await createTestApp();
  token = await superuserToken(t);
});
afterEach(async () => {
  await t.close();
});

interface Health {
  data: { canBackup?: boolean; realIP?: string; possibleProxyHeader?: string };
}

async function healthData(options: Partial<InjectOptions> = {}): Promise<Health['data']> {
  const res = await t.server.inject({
    method: 'GET',
    url: '/api/health',
    ...options,
    headers: { authorization: token, ...options.headers },
  });
  expect(res.statusCode).toBe(200);
  return res.json<Health>().data;
}

describe('client IP', () => {
  it('is the socket address, whatever proxy headers say, when no proxy is configured', async () => {
    const data = await healthData({
      remoteAddress: '203.0.113.7',
      headers: { 'x-forwarded-for': '1.1.1.1', 'x-real-ip': '2.2.2.2' },
    });
    expect(data).toEqual({
      canBackup: false,
      realIP: '203.0.113.7',
      possibleProxyHeader: 'X-Real-IP',
    });
    expect(await healthData({ remoteAddress: '203.0.113.7' })).toMatchObject({
      possibleProxyHeader: '',
    });
  });

  it('comes from the configured proxy headers, rightmost entry unless useLeftmostIP', async () => {
    await t.app.settings.update({ trustedProxy: { headers: ['X-Forwarded-For'] } });
    const forwarded = { 'x-forwarded-for': '198.51.100.1, 10.0.0.5' };
    expect(await healthData({ headers: forwarded })).toEqual({
      canBackup: false,
      realIP: '10.0.0.5',
      possibleProxyHeader: '',
    });
    await t.app.settings.update({ trustedProxy: { useLeftmostIP: true } });
    expect((await healthData({ headers: forwarded })).realIP).toBe('198.51.100.1');
    // A header without an IP falls back to the next header, then to the socket.
    await t.app.settings.update({ trustedProxy: { headers: ['X-Real-IP', 'X-Forwarded-For'] } });
    const data = await healthData({
      remoteAddress: '203.0.113.9',
      headers: { 'x-real-ip': 'garbage', 'x-forwarded-for': '198.51.100.2' },
    });
    expect(data.realIP).toBe('198.51.100.2');
    expect((await healthData({ remoteAddress: '203.0.113.9' })).realIP).toBe('203.0.113.9');
  });

  it('keys the rate limiter, so spoofed headers do not reset it without a trusted proxy', async () => {
    await t.app.settings.update({
      rateLimits: {
        enabled: true,
        rules: [{ label: '/api/health', audience: '', duration: 60, maxRequests: 1 }],
      },
    });
    const spoofed = (ip: string): InjectOptions => ({
      method: 'GET',
      url: '/api/health',
      remoteAddress: '203.0.113.1',
      headers: { 'x-forwarded-for': ip, 'x-real-ip': ip },
    });
    expect((await t.server.inject(spoofed('1.1.1.1'))).statusCode).toBe(200);
    expect((await t.server.inject(spoofed('1.1.1.2'))).statusCode).toBe(429);
    await t.app.settings.update({ trustedProxy: { headers: ['X-Real-IP'] } });
    expect((await t.server.inject(spoofed('1.1.1.3'))).statusCode).toBe(200);
    expect((await t.server.inject(spoofed('1.1.1.4'))).statusCode).toBe(200);
    expect((await t.server.inject(spoofed('1.1.1.4'))).statusCode).toBe(429);
  });
});

describe('superuser IP whitelist', () => {
  it('refuses a superuser token from another IP with 403 on every request', async () => {
    await t.app.settings.update({ superuserIPs: ['10.0.0.1', '192.168.1.0/24'] });
    for (const url of [
      '/api/health',
      '/api/settings',
      '/api/collections/users/records',
      '/api/nope',
    ]) {
      const res = await t.server.inject({
        method: 'GET',
        url,
        remoteAddress: '10.0.0.2',
        headers: { authorization: token },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({
        data: {},
        message: 'You are not allowed to perform this request.',
        status: 403,
      });
    }
    for (const ip of ['10.0.0.1', '192.168.1.77']) {
      const res = await t.server.inject({
        method: 'GET',
        url: '/api/settings',
        remoteAddress: ip,
        headers: { authorization: token },
      });
      expect(res.statusCode).toBe(200);
    }
    // Guests and spoofed proxy headers are not affected / do not help.
    const guest = await t.server.inject({
      method: 'GET',
      url: '/api/health',
      remoteAddress: '10.0.0.2',
    });
    expect(guest.statusCode).toBe(200);
    const spoofed = await t.server.inject({
      method: 'GET',
      url: '/api/health',
      remoteAddress: '10.0.0.2',
      headers: { authorization: token, 'x-forwarded-for': '10.0.0.1' },
    });
    expect(spoofed.statusCode).toBe(403);
  });
});
