import type { AuthContext } from '../auth/auth-context.js';
import type { RequestContextName, RuleRequest } from '../rules/rule-types.js';

/** Where a write comes from, as hooks see it (`e.source`). */
export type WriteSource = 'api' | 'batch' | 'hook' | 'cron' | 'job' | 'cli';

/** The request facts that record operations need, as the HTTP layer (or batch, or code) gives them. */
export interface RecordRequest {
  /** Where the request comes from: 'api' when not given. */
  readonly source?: WriteSource;
  readonly auth: AuthContext | undefined;
  readonly method: string;
  /** Header names lower-cased snake_case, first value only. */
  readonly headers: Readonly<Record<string, string>>;
  /** Query params, first value only. */
  readonly query: Readonly<Record<string, string>>;
  readonly context: RequestContextName;
  /**
   * The request's `If-Match` header as sent (RFC 9110 §13.1.1), undefined without one: a
   * precondition that updates and deletes check against the record they read, inside their
   * transaction (`record-etag.ts#assertIfMatch`). Creates and reads ignore it.
   */
  readonly ifMatch?: string | undefined;
}

/** A request made by trusted code (hooks, the CLI, tests): a superuser-less guest by default. */
export function internalRequest(auth?: AuthContext, source: WriteSource = 'hook'): RecordRequest {
  return { source, auth, method: 'GET', headers: {}, query: {}, context: 'default' };
}

/**
 * A request derived from another: its own context, body and auth, the method, headers and
 * query of the original. Not a spread: headers and query may be lazy getters (on a prototype,
 * which a spread would not even copy).
 */
class DerivedRequest implements RuleRequest {
  constructor(
    private readonly request: RecordRequest,
    readonly context: RecordRequest['context'],
    readonly body: Readonly<Record<string, unknown>>,
    readonly auth: RecordRequest['auth'],
  ) {}

  get method(): string {
    return this.request.method;
  }

  get headers(): Readonly<Record<string, string>> {
    return this.request.headers;
  }

  get query(): Readonly<Record<string, string>> {
    return this.request.query;
  }
}

/** The `@request.*` view of a record request, with the submitted body. */
export function toRuleRequest(
  request: RecordRequest,
  body: Readonly<Record<string, unknown>> = {},
): RuleRequest {
  return new DerivedRequest(request, request.context, body, request.auth);
}

/** The same request in another `@request.context` (e.g. "expand"). */
export function withContext(
  request: RecordRequest,
  context: RecordRequest['context'],
): RecordRequest {
  return new DerivedRequest(request, context, {}, request.auth);
}

/** The same request made by another auth record (e.g. the one that just signed in). */
export function withAuth(request: RecordRequest, auth: RecordRequest['auth']): RecordRequest {
  return new DerivedRequest(request, request.context, {}, auth);
}
