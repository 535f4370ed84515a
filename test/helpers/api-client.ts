import type { FastifyInstance } from 'fastify';

/** A response as the tests read it. */
export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown> & { [key: string]: unknown };
  readonly text: string;
}

/** A tiny client over `inject()` that sends JSON with an optional token. */
export class ApiClient {
  constructor(
    private readonly server: FastifyInstance,
    public token?: string,
  ) {}

  /** A client of the same server with another token (undefined = guest). */
  as(token: string | undefined): ApiClient {
    return new ApiClient(this.server, token);
  }

  async send(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = this.token;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await this.server.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
    const body: unknown = res.body === '' ? {} : JSON.parse(res.body);
    return { status: res.statusCode, body: body as ApiResponse['body'], text: res.body };
  }

  get(url: string) {
    return this.send('GET', url);
  }
  post(url: string, payload: unknown) {
    return this.send('POST', url, payload);
  }
  patch(url: string, payload: unknown) {
    return this.send('PATCH', url, payload);
  }
  delete(url: string) {
    return this.send('DELETE', url);
  }
}

/** Logs in with a password and returns the token. */
export async function login(
  client: ApiClient,
  collection: string,
  identity: string,
  password: string,
): Promise<string> {
  const res = await client.post(`/api/collections/${collection}/auth-with-password`, {
    identity,
    password,
  });
  if (res.status !== 200 || typeof res.body.token !== 'string')
    throw new Error(`login failed: ${res.text}`);
  return res.body.token;
}
