import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { App } from '../core/app.js';
import { assertSuperuserIpAllowed } from '../core/auth/superuser-ip.js';
import type { Collection } from '../core/collection/collection-model.js';
import { ApiError } from '../core/errors.js';
import { checkRateLimit } from '../core/rate-limit/rate-limit-check.js';
import type { RateLimitTag } from '../core/rate-limit/rate-limit-label.js';
import { clientIp } from './client-ip.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate limit tags of a collection route (`:collection` param), most specific first. */
    rateLimitTags?: readonly RateLimitTag[];
    /**
     * An auth route: an unknown collection answers 404 "Missing or invalid collection
     * context." here, before the body is read, whether rate limiting is on or off (API.md §4).
     */
    collectionContext?: boolean;
    /** Rate limit labels decided per request, checked before the path ones (custom routes). */
    rateLimitLabels?: (request: FastifyRequest) => readonly string[] | undefined;
  }
}

/** A route's part in the guard, fixed when the route is added. */
interface RouteGuard {
  readonly tags: readonly RateLimitTag[] | undefined;
  readonly collectionContext: boolean;
  /** Labels decided per request (the dispatcher of custom routes). */
  readonly labels: ((request: FastifyRequest) => readonly string[] | undefined) | undefined;
}

/** A guard hook, usable as an onRequest or preHandler hook. */
type GuardHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
) => void;

/** The `:collection` path param of a route, if it has one. */
export function collectionParam(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null || !('collection' in params)) return undefined;
  return typeof params.collection === 'string' ? params.collection : undefined;
}

/** The route's collection (undefined when unknown), refused with 404 on auth routes. */
function routeCollection(
  app: App,
  request: FastifyRequest,
  route: RouteGuard,
): Collection | undefined {
  const name = collectionParam(request.params);
  const collection = name === undefined ? undefined : app.collections.find(name);
  if (!collection && route.collectionContext) throw new ApiError('collection_context_invalid');
  return collection;
}

/** Runs the checks of one request; throws the ApiError that answers it instead. */
function guard(app: App, request: FastifyRequest, route: RouteGuard): void {
  const settings = app.settings.peek();
  const limiting = settings.rateLimits.enabled;
  const collection =
    route.collectionContext || (limiting && route.tags)
      ? routeCollection(app, request, route)
      : undefined;
  if (!limiting && settings.superuserIPs.length === 0) return;
  const ip = clientIp(request, settings.trustedProxy);
  const query = request.url.indexOf('?');
  checkRateLimit(app, {
    method: request.method,
    path: query < 0 ? request.url : request.url.slice(0, query),
    ip,
    auth: request.auth,
    collection,
    tags: route.tags,
    labels: limiting ? route.labels?.(request) : undefined,
  });
  assertSuperuserIpAllowed(app, request.auth, ip);
}

function guardHook(app: App, route: RouteGuard): GuardHook {
  return (request, _reply, done) => {
    try {
      guard(app, request, route);
    } catch (error) {
      done(error instanceof Error ? error : new ApiError('bad_request'));
      return;
    }
    done();
  };
}

/**
 * The checks that run on every request once its token is resolved, in PocketBase's order:
 * the collection context of auth routes, the rate limit (API.md §7), the superuser IP
 * whitelist (§4). Each route added after this call gets its own onRequest hook (after the
 * global ones: token, CORS), which knows the route's tags without reading
 * `request.routeOptions` (a getter that builds an object per request); it returns at once
 * when rate limits and the whitelist are off. Returns the hook for the not-found handler.
 */
export function registerRequestGuard(server: FastifyInstance, app: App): GuardHook {
  server.addHook('onRoute', (route) => {
    const hook = guardHook(app, {
      tags: route.config?.rateLimitTags,
      collectionContext: route.config?.collectionContext === true,
      labels: route.config?.rateLimitLabels,
    });
    const existing = route.onRequest;
    route.onRequest = existing === undefined ? [hook] : [...[existing].flat(), hook];
  });
  return guardHook(app, { tags: undefined, collectionContext: false, labels: undefined });
}
