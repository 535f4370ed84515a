import type { TSchema } from '@sinclair/typebox';
import { IDEMPOTENCY_MODES } from '../core/idempotency/idempotency-key.js';
import { isRateLimitLabel } from '../core/rate-limit/rate-limit-label.js';
import {
  compilePathPattern,
  matchPathPattern,
  type PathPattern,
} from '../lib/router/path-pattern.js';
import {
  ROUTE_METHODS,
  type RouteEvent,
  type RouteHandler,
  type RouteMethod,
  type RouteOptions,
  type RouterAdd,
} from './route-event.js';

/** A handler with its types erased, as the table stores it. */
export type StoredHandler = (e: RouteEvent<unknown, unknown>) => unknown;

/** One custom route, compiled. */
export interface CustomRoute {
  readonly method: RouteMethod;
  readonly pattern: PathPattern;
  readonly handler: StoredHandler;
  readonly options: RouteOptions<
    TSchema | undefined,
    TSchema | undefined,
    TSchema | undefined,
    TSchema | undefined
  >;
  /** The group that owns the route (see RouteTable.replaceGroup); none for `add`. */
  readonly group?: string | undefined;
}

/** A route that matches a request, with the captured path params. */
export interface RouteMatch {
  readonly route: CustomRoute;
  readonly params: Record<string, string>;
}

/** Tells whether a built-in route serves every path of a pattern for a method. */
export type BuiltInCheck = (method: Exclude<RouteMethod, '*'>, pattern: PathPattern) => boolean;

/** Orders segments: a literal before a param before the rest. */
const SEGMENT_RANK = { literal: 0, param: 1, rest: 2 } as const;

/** Negative when `a` is more specific than `b` (compared segment by segment). */
function bySpecificity(a: CustomRoute, b: CustomRoute): number {
  const left = a.pattern.segments;
  const right = b.pattern.segments;
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const l = left[index];
    const r = right[index];
    if (l === undefined || r === undefined) break;
    const difference = SEGMENT_RANK[l.kind] - SEGMENT_RANK[r.kind];
    if (difference !== 0) return difference;
  }
  if (left.length !== right.length) return right.length - left.length;
  // A route for one method before a route for every method.
  return (a.method === '*' ? 1 : 0) - (b.method === '*' ? 1 : 0);
}

function checkOptions(method: string, path: string, options: CustomRoute['options']): void {
  const where = `${method} ${path}`;
  if (options.rateLimit !== undefined && !isRateLimitLabel(options.rateLimit)) {
    throw new Error(
      `Route ${where}: rateLimit "${options.rateLimit}" is not a rate limit label ` +
        '("[METHOD ]/path", "/path/prefix/", "collection:tag" or "*:tag").',
    );
  }
  const mode = options.idempotency;
  if (mode !== undefined && !IDEMPOTENCY_MODES.includes(mode)) {
    throw new Error(`Route ${where}: idempotency must be "required" or "optional".`);
  }
  const limit = options.bodyLimit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0)) {
    throw new Error(`Route ${where}: bodyLimit must be a whole number of bytes.`);
  }
}

/**
 * The custom routes (`routerAdd`) of a server. One dispatcher route serves them all
 * (route-dispatcher.ts) and looks them up here on every request, so routes can be added,
 * replaced and removed while the server runs: a request uses the route it matched, even if
 * the route is replaced before it ends. Built-in routes win: a route whose every path a
 * built-in route serves is refused.
 */
export class RouteTable {
  /** The routes, most specific first; replaced (never changed) on every change. */
  private routes: readonly CustomRoute[] = [];

  constructor(private readonly builtIn: BuiltInCheck = () => false) {}

  /**
   * Adds a route; adding the same method and path again replaces it. Throws on a bad method,
   * path or option, or when a built-in route serves the same method and path.
   */
  readonly add: RouterAdd = (method, path, handler, options = {}) => {
    const route = this.compile(method, path, handler, options);
    this.routes = this.with(this.routes, route);
  };

  /** Removes the route of a method and path; false when there is none. */
  remove(method: RouteMethod, path: string): boolean {
    const before = this.routes.length;
    this.routes = this.routes.filter((r) => r.method !== method || r.pattern.source !== path);
    return this.routes.length !== before;
  }

  /**
   * Replaces every route at once with those `register` adds (a reload): if it throws, the
   * current routes stay.
   */
  async replaceAll(register: (routerAdd: RouterAdd) => void | Promise<void>): Promise<void> {
    let next: readonly CustomRoute[] = [];
    await register((method, path, handler, options = {}) => {
      next = this.with(next, this.compile(method, path, handler, options));
    });
    this.routes = next;
  }

  /**
   * Replaces the routes of one group (e.g. the hooks folder's, at a reload) with `routes`
   * (compiled with {@link compile}), in one step; other routes stay. A route of the group
   * replaces any route with the same method and path.
   */
  replaceGroup(group: string, routes: readonly CustomRoute[]): void {
    let next: readonly CustomRoute[] = this.routes.filter((r) => r.group !== group);
    for (const route of routes) next = this.with(next, { ...route, group });
    this.routes = next;
  }

  /** The routes, most specific first. */
  list(): readonly CustomRoute[] {
    return this.routes;
  }

  /** The route serving a request, or undefined; HEAD falls back to GET routes. */
  match(method: string, path: string): RouteMatch | undefined {
    const routes = this.routes;
    if (routes.length === 0) return undefined;
    const found = this.find(routes, method, path);
    return found ?? (method === 'HEAD' ? this.find(routes, 'GET', path) : undefined);
  }

  private find(
    routes: readonly CustomRoute[],
    method: string,
    path: string,
  ): RouteMatch | undefined {
    for (const route of routes) {
      if (route.method !== method && route.method !== '*') continue;
      const params = matchPathPattern(route.pattern, path);
      if (params) return { route, params };
    }
    return undefined;
  }

  private with(routes: readonly CustomRoute[], route: CustomRoute): CustomRoute[] {
    const rest = routes.filter(
      (r) => r.method !== route.method || r.pattern.source !== route.pattern.source,
    );
    return [...rest, route].sort(bySpecificity);
  }

  /**
   * Checks and compiles a route without adding it; throws as {@link add} does on a bad
   * method, path or option, or a path a built-in route serves.
   */
  compile<
    B extends TSchema | undefined,
    Q extends TSchema | undefined,
    P extends TSchema | undefined,
    R extends TSchema | undefined,
  >(
    method: RouteMethod,
    path: string,
    handler: RouteHandler<B, Q, P, R>,
    options: RouteOptions<B, Q, P, R> = {},
  ): CustomRoute {
    const upper = method.toUpperCase();
    if (upper !== '*' && !(ROUTE_METHODS as readonly string[]).includes(upper)) {
      throw new Error(`Route ${method} ${path}: unknown method "${method}".`);
    }
    if (upper === 'OPTIONS') {
      throw new Error(
        `Route OPTIONS ${path}: OPTIONS requests are answered by the CORS preflight.`,
      );
    }
    if (typeof handler !== 'function') throw new Error(`Route ${method} ${path}: no handler.`);
    const pattern = compilePathPattern(path);
    const methods = upper === '*' ? ROUTE_METHODS : [upper as Exclude<RouteMethod, '*'>];
    for (const each of methods) {
      if (this.builtIn(each, pattern)) {
        throw new Error(`Route ${each} ${path}: a built-in route serves this path.`);
      }
    }
    checkOptions(upper, path, options);
    return {
      method: upper as RouteMethod,
      pattern,
      handler: handler as unknown as StoredHandler,
      options,
    };
  }
}
