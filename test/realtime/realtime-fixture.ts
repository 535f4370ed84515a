import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import { startLiveServer, type LiveServer } from '../helpers/live-server.js';
import { apiJson } from '../helpers/sse-client.js';

/** A live server with a superuser token and helpers for the realtime suites. */
export interface RealtimeFixture {
  readonly live: LiveServer;
  readonly url: string;
  readonly su: string;
  /** Sends a JSON request as `token` (undefined: guest); fails unless it answers `expect`. */
  call(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    expect?: number,
  ): Promise<Record<string, unknown>>;
  /** Creates a user (as the superuser) and returns its id and token. */
  user(email: string, extra?: Record<string, unknown>): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

/** Starts a live server (realtime options as given) and signs a superuser in. */
export async function realtimeFixture(
  options: Parameters<typeof startLiveServer>[0] = {},
): Promise<RealtimeFixture> {
  const live = await startLiveServer(options);
  await createSuperuser(live.app, 'root@example.com', 'root-password-1');
  const call: RealtimeFixture['call'] = async (method, path, body, token, expect = 200) => {
    const res = await apiJson(live.url, method, path, body, token);
    if (res.status !== expect)
      throw new Error(`${method} ${path}: ${String(res.status)} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const login = await call('POST', '/api/collections/_superusers/auth-with-password', {
    identity: 'root@example.com',
    password: 'root-password-1',
  });
  const su = String(login.token);
  return {
    live,
    url: live.url,
    su,
    call,
    async user(email, extra = {}) {
      const password = 'user-password-1';
      const created = await call(
        'POST',
        '/api/collections/users/records',
        { email, password, passwordConfirm: password, ...extra },
        su,
      );
      const auth = await call('POST', '/api/collections/users/auth-with-password', {
        identity: email,
        password,
      });
      return { id: String(created.id), token: String(auth.token) };
    },
    close: () => live.close(),
  };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
