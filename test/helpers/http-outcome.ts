import { expect } from 'vitest';

/** A response as the fault tests keep it: status, the headers they check, the parsed body. */
export interface Outcome {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly connection: string | null;
  readonly body: unknown;
}

/** Sends a request and keeps its outcome; a network failure is status 0 with its message. */
export async function send(url: string, init: RequestInit = {}): Promise<Outcome> {
  try {
    const res = await fetch(url, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the failure message.
    }
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      connection: res.headers.get('connection'),
      body,
    };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    return {
      status: 0,
      retryAfter: null,
      connection: null,
      body: cause instanceof Error ? cause.message : String(cause),
    };
  }
}

/** Asserts the API's 503: the error shape `{data: {}, message, status: 503}` and `Retry-After`. */
export function expectUnavailable(outcome: Outcome): void {
  expect(outcome).toMatchObject({
    status: 503,
    retryAfter: expect.stringMatching(/^\d+$/) as unknown,
    body: { data: {}, message: expect.any(String) as unknown, status: 503 },
  });
  expect(Object.keys(outcome.body as object).sort()).toEqual(['data', 'message', 'status']);
}

/** JSON request options with an optional token. */
export function jsonInit(method: string, body?: unknown, token?: string): RequestInit {
  return {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: token }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** The id of a created record's body (empty when there is none). */
export function idOf(outcome: Outcome): string {
  const body = outcome.body;
  return typeof body === 'object' && body !== null && 'id' in body && typeof body.id === 'string'
    ? body.id
    : '';
}
