import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseClient, apiJson, postJson } from '../helpers/sse-client.js';
import { realtimeFixture, sleep, type RealtimeFixture } from './realtime-fixture.js';

let f: RealtimeFixture;

beforeAll(async () => {
  f = await realtimeFixture();
});
afterAll(async () => {
  await f.close();
});

describe('realtime SSE wire format (API.md §5.1)', () => {
  it('answers an event stream that starts with PB_CONNECT', async () => {
    const c = await SseClient.connect(f.url);
    expect(c.status).toBe(200);
    expect(c.headers['content-type']).toBe('text/event-stream');
    expect(c.headers['cache-control']).toBe('no-store');
    expect(c.headers['x-accel-buffering']).toBe('no');
    expect(c.headers['access-control-allow-origin']).toBe('*');
    expect(c.clientId).toMatch(/^[A-Za-z0-9]{40}$/);
    c.close();
  });

  it('frames every message as id/event/data and a blank line', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      void fetch(`${f.url}/api/realtime`).then(async (res) => {
        const reader = res.body?.getReader();
        const chunk = await reader?.read();
        await reader?.cancel();
        resolve(Buffer.from(chunk?.value ?? new Uint8Array()).toString('utf8'));
      }, reject);
    });
    expect(raw).toMatch(
      /^id:([A-Za-z0-9]{40})\nevent:PB_CONNECT\ndata:\{"clientId":"([A-Za-z0-9]{40})"\}\n\n$/,
    );
    const [, id, dataId] = /^id:(\w+)\n.*"clientId":"(\w+)"/s.exec(raw) ?? [];
    expect(id).toBe(dataId);
  });

  it('unregisters a client when its connection ends', async () => {
    const c = await SseClient.connect(f.url);
    expect(f.live.app.realtime.client(c.clientId)).toBeDefined();
    c.close();
    for (let i = 0; i < 100 && f.live.app.realtime.client(c.clientId); i++) await sleep(10);
    expect(f.live.app.realtime.client(c.clientId)).toBeUndefined();
    const res = await c.subscribe(['x']);
    expect(res.status).toBe(404);
  });

  it('ids are unique per connection', async () => {
    const a = await SseClient.connect(f.url);
    const b = await SseClient.connect(f.url);
    expect(a.clientId).not.toBe(b.clientId);
    a.close();
    b.close();
  });
});

describe('POST /api/realtime (API.md §5.2)', () => {
  it('validates the form', async () => {
    const none = await postJson(f.url, '/api/realtime', {});
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({
      status: 400,
      message: 'Something went wrong while processing your request.',
      data: { clientId: { code: 'validation_required', message: 'Cannot be blank.' } },
    });
    const long = await postJson(f.url, '/api/realtime', { clientId: 'x'.repeat(256) });
    expect(long.body.data).toMatchObject({
      clientId: { code: 'validation_length_out_of_range' },
    });
    const many = await postJson(f.url, '/api/realtime', {
      clientId: 'abc',
      subscriptions: Array.from({ length: 1001 }, (_, i) => `t${String(i)}`),
    });
    expect(many.status).toBe(400);
    expect(many.body.data).toMatchObject({
      subscriptions: { code: 'validation_length_too_long' },
    });
    const longTopic = await postJson(f.url, '/api/realtime', {
      clientId: 'abc',
      subscriptions: ['ok', 'y'.repeat(2501)],
    });
    expect(longTopic.status).toBe(400);
    expect(longTopic.body.data).toMatchObject({
      subscriptions: { '1': { code: 'validation_length_too_long' } },
    });
    const notJson = await fetch(`${f.url}/api/realtime`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"clientId":',
    });
    expect(notJson.status).toBe(400);
  });

  it('answers 404 for an unknown client and 204 when it replaces the subscriptions', async () => {
    const unknown = await postJson(f.url, '/api/realtime', { clientId: 'nope', subscriptions: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('Missing or invalid client id.');
    const c = await SseClient.connect(f.url);
    expect((await c.subscribe(['a', 'b', ''])).status).toBe(204);
    f.live.app.realtime.send('a', { n: 1 });
    f.live.app.realtime.send('b', { n: 2 });
    expect((await c.next((m) => m.event === 'a')).json).toEqual({ n: 1 });
    expect((await c.next((m) => m.event === 'b')).json).toEqual({ n: 2 });
    expect((await c.subscribe(['b'])).status).toBe(204);
    f.live.app.realtime.send('a', { n: 3 });
    f.live.app.realtime.send('b', { n: 4 });
    const got = await c.drain(200);
    expect(got.map((m) => m.event)).toEqual(['b']);
    expect(got[0]?.id).toBe(c.clientId);
    expect((await c.subscribe([])).status).toBe(204);
    expect(f.live.app.realtime.send('b', {})).toBe(0);
    c.close();
  });

  it('accepts a multipart form', async () => {
    const c = await SseClient.connect(f.url);
    const form = new FormData();
    form.append('clientId', c.clientId);
    form.append('subscriptions', 'multi');
    const res = await fetch(`${f.url}/api/realtime`, { method: 'POST', body: form });
    expect(res.status).toBe(204);
    f.live.app.realtime.send('multi', { ok: true });
    expect((await c.next((m) => m.event === 'multi')).json).toEqual({ ok: true });
    c.close();
  });

  it('allows guest -> auth upgrades and the same auth again, refuses other changes (403)', async () => {
    const a = await f.user('wire-a@example.com');
    const b = await f.user('wire-b@example.com');
    const c = await SseClient.connect(f.url);
    expect((await c.subscribe(['x'])).status).toBe(204);
    expect((await c.subscribe(['x'], a.token)).status).toBe(204);
    expect((await c.subscribe(['x', 'y'], a.token)).status).toBe(204);
    const other = await c.subscribe(['x'], b.token);
    expect(other.status).toBe(403);
    expect(other.body.message).toBe(
      "The current and the previous request authorization don't match.",
    );
    const guest = await c.subscribe(['x']);
    expect(guest.status).toBe(403);
    const superuser = await c.subscribe(['x'], f.su);
    expect(superuser.status).toBe(403);
    c.close();
  });

  it('refuses a subscription POST from another IP than the stream (400)', async () => {
    await f.call('PATCH', '/api/settings', { trustedProxy: { headers: ['X-Real-IP'] } }, f.su);
    try {
      const c = await SseClient.connect(f.url, { 'x-real-ip': '10.1.1.1' });
      const wrong = await c.subscribe(['x'], undefined, { 'x-real-ip': '10.2.2.2' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.message).toBe('Invalid realtime client.');
      const right = await c.subscribe(['x'], undefined, { 'x-real-ip': '10.1.1.1' });
      expect(right.status).toBe(204);
      c.close();
    } finally {
      await f.call('PATCH', '/api/settings', { trustedProxy: { headers: [] } }, f.su);
    }
  });

  it('ignores topics with line breaks, which would forge events', async () => {
    const c = await SseClient.connect(f.url);
    expect((await c.subscribe(['evil\nevent:PB_CONNECT', 'fine'])).status).toBe(204);
    expect(f.live.app.realtime.send('evil\nevent:PB_CONNECT', {})).toBe(0);
    c.close();
  });
});

describe('custom topics (app.realtime.send)', () => {
  it('sends to every subscriber under its own subscription text', async () => {
    const a = await SseClient.connect(f.url);
    const b = await SseClient.connect(f.url);
    const withOptions = `news?options=${encodeURIComponent(JSON.stringify({ query: { a: '1' } }))}`;
    await a.subscribe(['news']);
    await b.subscribe([withOptions]);
    expect(f.live.app.realtime.send('news', { title: '<b>hi</b>' })).toBe(2);
    expect((await a.next()).event).toBe('news');
    const got = await b.next();
    expect(got.event).toBe(withOptions);
    expect(got.json).toEqual({ title: '<b>hi</b>' });
    expect(f.live.app.realtime.sendTo(a.clientId, 'news', { only: 'a' })).toBe(true);
    expect((await a.next()).json).toEqual({ only: 'a' });
    expect(await b.drain(100)).toEqual([]);
    a.close();
    b.close();
  });
});

describe('GET|POST /api/oauth2-redirect (API.md §4)', () => {
  it('hands state and code to the subscribed client once, then unsubscribes it', async () => {
    const c = await SseClient.connect(f.url);
    await c.subscribe(['@oauth2', 'other']);
    const res = await fetch(`${f.url}/api/oauth2-redirect?state=${c.clientId}&code=abc123`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Authentication completed');
    const msg = await c.next((m) => m.event === '@oauth2');
    expect(msg.json).toEqual({ state: c.clientId, code: 'abc123' });
    const again = await fetch(`${f.url}/api/oauth2-redirect?state=${c.clientId}&code=zzz`);
    expect(await again.text()).toContain('Authentication failed');
    expect(await c.drain(100)).toEqual([]);
    // The other subscriptions stay.
    expect(f.live.app.realtime.send('other', {})).toBe(1);
    c.close();
  });

  it('takes a POST form and passes the provider error on', async () => {
    const c = await SseClient.connect(f.url);
    await c.subscribe(['@oauth2']);
    const res = await fetch(`${f.url}/api/oauth2-redirect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `state=${c.clientId}&code=&error=access_denied`,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Authentication failed');
    const msg = await c.next((m) => m.event === '@oauth2');
    expect(msg.json).toEqual({ state: c.clientId, code: '', error: 'access_denied' });
    c.close();
  });

  it('sends nothing to unknown, unsubscribed or other-IP clients', async () => {
    const unknown = await fetch(`${f.url}/api/oauth2-redirect?state=nope&code=x`);
    expect(await unknown.text()).toContain('Authentication failed');
    const c = await SseClient.connect(f.url);
    await c.subscribe(['something']);
    const notSubscribed = await fetch(`${f.url}/api/oauth2-redirect?state=${c.clientId}&code=x`);
    expect(await notSubscribed.text()).toContain('Authentication failed');
    await f.call('PATCH', '/api/settings', { trustedProxy: { headers: ['X-Real-IP'] } }, f.su);
    try {
      const d = await SseClient.connect(f.url, { 'x-real-ip': '10.1.1.1' });
      await d.subscribe(['@oauth2'], undefined, { 'x-real-ip': '10.1.1.1' });
      const res = await apiJson(
        f.url,
        'GET',
        `/api/oauth2-redirect?state=${d.clientId}&code=x`,
        undefined,
        undefined,
        { 'x-real-ip': '10.9.9.9' },
      );
      expect(res.status).toBe(200);
      expect(await d.drain(100)).toEqual([]);
      d.close();
    } finally {
      await f.call('PATCH', '/api/settings', { trustedProxy: { headers: [] } }, f.su);
    }
    expect(await c.drain(100)).toEqual([]);
    c.close();
  });
});
