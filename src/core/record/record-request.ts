import type { AuthContext } from '../auth/auth-context.js';
import type { RequestContextName, RuleRequest } from '../rules/rule-types.js';

/** The request facts that record operations need, as the HTTP layer (or batch, or code) gives them. */
export interface RecordRequest {
  readonly auth: AuthContext | undefined;
  readonly method: string;
  /** Header names lower-cased snake_case, first value only. */
  readonly headers: Readonly<Record<string, string>>;
  /** Query params, first value only. */
  readonly query: Readonly<Record<string, string>>;
  readonly context: RequestContextName;
}

/** A request made by trusted code (hooks, the CLI, tests): a superuser-less guest by default. */
export function internalRequest(auth?: AuthContext): RecordRequest {
  return { auth, method: 'GET', headers: {}, query: {}, context: 'default' };
}

/** The `@request.*` view of a record request, with the submitted body. */
export function toRuleRequest(
  request: RecordRequest,
  body: Readonly<Record<string, unknown>> = {},
): RuleRequest {
  // Object.assign keeps the lazy header and query getters of withContext unevaluated.
  return Object.assign(withContext(request, request.context), { body });
}

/**
 * The same request in another `@request.context` (e.g. "expand"). Not a spread: headers and
 * query may be lazy getters that a spread would evaluate.
 */
export function withContext(
  request: RecordRequest,
  context: RecordRequest['context'],
): RecordRequest {
  return {
    context,
    method: request.method,
    auth: request.auth,
    get headers() {
      return request.headers;
    },
    get query() {
      return request.query;
    },
  };
}
