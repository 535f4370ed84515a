import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';

/** The checks of `response` schemas, compiled once per schema object. */
const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkOf(schema: TSchema): TypeCheck<TSchema> {
  let check = checks.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  return check;
}

/**
 * A custom route answered a 2xx JSON value its `response` schema refuses: a bug of the route,
 * answered 500 with this error (and its first mismatches) logged.
 */
export class RouteResponseError extends Error {
  constructor(
    readonly route: string,
    readonly problems: readonly string[],
  ) {
    super(`Route ${route}: the answer does not match its response schema: ${problems.join('; ')}`);
    this.name = 'RouteResponseError';
  }
}

/**
 * Checks a route's 2xx JSON answer against its `response` schema (compiled on first use);
 * throws {@link RouteResponseError} when it does not match. Other statuses, and routes
 * without a schema, are not checked.
 */
export function checkRouteResponse(
  route: string,
  schema: TSchema | undefined,
  status: number,
  body: unknown,
): void {
  if (schema === undefined || status < 200 || status > 299) return;
  const check = checkOf(schema);
  if (check.Check(body)) return;
  const problems: string[] = [];
  for (const error of check.Errors(body)) {
    problems.push(`${error.path || '/'}: ${error.message}`);
    if (problems.length === 5) break;
  }
  throw new RouteResponseError(route, problems);
}
