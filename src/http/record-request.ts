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
 * The record-layer view of an HTTP request. Headers and query are built on first use (most
 * rules never read them); a class keeps the lazy getters on the prototype, which V8 handles
 * far better than accessors defined per object literal on every request.
 */
class HttpRecordRequest implements RecordRequest {
  private headerValues: Record<string, string> | undefined;
  private queryValues: Record<string, string> | undefined;

  constructor(
    private readonly request: FastifyRequest,
    readonly context: RequestContextName,
  ) {}

  get auth(): RecordRequest['auth'] {
    return this.request.auth;
  }

  get method(): string {
    return this.request.method;
  }

  /** The If-Match header (several header lines arrive joined by Node with ", "). */
  get ifMatch(): string | undefined {
    return this.request.headers['if-match'];
  }

  /** Lower-case snake_case names, first value only. */
  get headers(): Record<string, string> {
    this.headerValues ??= firstValues(this.request.headers, (k) =>
      k.toLowerCase().replace(/-/g, '_'),
    );
    return this.headerValues;
  }

  /** First value only. */
  get query(): Record<string, string> {
    const query = this.request.query;
    this.queryValues ??= firstValues(isJsonObject(query) ? query : {}, (k) => k);
    return this.queryValues;
  }
}

/**
 * The record-layer view of an HTTP request: its auth, method, headers as `@request.headers`
 * sees them (lower-case snake_case names, first value) and query params (first value).
 */
export function recordRequestOf(
  request: FastifyRequest,
  context: RequestContextName = 'default',
): RecordRequest {
  return new HttpRecordRequest(request, context);
}
