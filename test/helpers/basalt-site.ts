import type { AddressInfo } from 'node:net';
import PocketBase from 'pocketbase';
import { App } from '../../src/core/app.js';
import { buildServer } from '../../src/http/server.js';

/** A Basalt app serving on a free loopback port, over a data directory or a database URL. */
export interface Site {
  readonly app: App;
  readonly url: string;
  /** A new SDK client of this server. */
  client(): PocketBase;
  close(): Promise<void>;
}

/** Opens an app on `dir` (SQLite) or `databaseUrl` and starts its HTTP server. */
export async function openSite(dir: string, databaseUrl?: string): Promise<Site> {
  const app = await App.open({ dataDir: dir, databaseUrl });
  const server = await buildServer(app);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${String(port)}`;
  return {
    app,
    url,
    client() {
      const pb = new PocketBase(url);
      pb.autoCancellation(false);
      return pb;
    },
    async close() {
      await server.close();
      await app.close();
    },
  };
}
