import type { FastifyRequest } from 'fastify';
import { isJsonObject } from '../lib/json-merge.js';
import type { RecordRequest } from '../core/record/record-request.js';
import type { RequestContextName } from '../core/rules/rule-types.js';

function firstValues(
  source: Record<string, unknown>,
  rename: (key: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean')
      out[rename(key)] = String(first);
  }
  return out;
}

/**
 * The record-layer view of an HTTP request: its auth, method, headers as `@request.headers`
 * sees them (lower-case snake_case names, first value) and query params (first value).
 */
export function recordRequestOf(
  request: FastifyRequest,
  context: RequestContextName = 'default',
): RecordRequest {
  let headers: Record<string, string> | undefined;
  let query: Record<string, string> | undefined;
  // Built on first use: most rules never read @request.headers or @request.query.
  return {
    auth: request.auth,
    method: request.method,
    get headers() {
      headers ??= firstValues(request.headers, (k) => k.toLowerCase().replace(/-/g, '_'));
      return headers;
    },
    get query() {
      query ??= firstValues(isJsonObject(request.query) ? request.query : {}, (k) => k);
      return query;
    },
    context,
  };
}
