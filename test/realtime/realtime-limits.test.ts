import { afterEach, describe, expect, it } from 'vitest';
import { SseClient } from '../helpers/sse-client.js';
import { realtimeFixture, sleep, type RealtimeFixture } from './realtime-fixture.js';

let f: RealtimeFixture | undefined;

afterEach(async () => {
  await f?.close();
  f = undefined;
});

describe('realtime limits (API.md §5.1, the per-client queue)', () => {
  it('closes a client that was sent nothing for the idle timeout; messages reset it', async () => {
    f = await realtimeFixture({ realtime: { idleTimeoutMs: 400, maxLifetimeMs: 60_000 } });
    const idle = await SseClient.connect(f.url);
    const busy = await SseClient.connect(f.url);
    await busy.subscribe(['tick']);
    const started = Date.now();
    while (Date.now() - started < 900) {
      f.live.app.realtime.sendTo(busy.clientId, 'tick', {});
      await sleep(100);
    }
    expect(idle.ended).toBe(true);
    expect(busy.ended).toBe(false);
    expect(f.live.app.realtime.client(idle.clientId)).toBeUndefined();
    const waited = await busy.waitEnd(2000);
    expect(waited).toBeLessThan(1000);
    expect(f.live.app.realtime.size).toBe(0);
  });

  it('closes every client after its maximum lifetime, busy or not', async () => {
    f = await realtimeFixture({ realtime: { idleTimeoutMs: 60_000, maxLifetimeMs: 500 } });
    const c = await SseClient.connect(f.url);
    await c.subscribe(['tick']);
    const started = Date.now();
    const timer = setInterval(() => f?.live.app.realtime.send('tick', {}), 50);
    try {
      await c.waitEnd(3000);
    } finally {
      clearInterval(timer);
    }
    const lived = Date.now() - started;
    expect(lived).toBeGreaterThan(350);
    expect(lived).toBeLessThan(1500);
    expect(c.messages.length).toBeGreaterThan(3);
  });

  it('disconnects a client that stops reading, without slowing the others', async () => {
    f = await realtimeFixture({ realtime: { maxQueueBytes: 256 * 1024 } });
    const slow = await SseClient.connect(f.url);
    const fast = await SseClient.connect(f.url);
    await slow.subscribe(['big']);
    await fast.subscribe(['big']);
    slow.pause();
    const payload = { text: 'x'.repeat(32 * 1024) };
    const count = 600;
    let received = 0;
    fast.messages.length = 0;
    for (let i = 0; i < count; i++) {
      f.live.app.realtime.send('big', { i, ...payload });
      await sleep(1);
      received += fast.messages.splice(0).length;
    }
    const deadline = Date.now() + 5000;
    while (received < count && Date.now() < deadline) {
      await sleep(10);
      received += fast.messages.splice(0).length;
    }
    expect(received).toBe(count);
    expect(f.live.app.realtime.client(slow.clientId)).toBeUndefined();
    expect(f.live.app.realtime.client(fast.clientId)).toBeDefined();
    slow.close();
    fast.close();
  });
});
