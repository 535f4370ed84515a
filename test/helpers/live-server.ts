import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './test-app.js';

/** A test app whose server listens on a free loopback port. */
export interface LiveServer extends TestApp {
  readonly url: string;
}

/** Starts a real HTTP server on 127.0.0.1 with a random port. */
export async function startLiveServer(
  options: Parameters<typeof createTestApp>[0] = {},
): Promise<LiveServer> {
  const t = await createTestApp(options);
  await t.server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.server.server.address() as AddressInfo;
  return { ...t, url: `http://127.0.0.1:${String(port)}` };
}
