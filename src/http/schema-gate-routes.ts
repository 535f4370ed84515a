import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import type { App } from '../core/app.js';
import { withCurrentSchema } from '../core/collection/schema-retry.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route reads or writes records: its handler, rendering included, holds the schema
     * gate shared (see core/collection/schema-gate.ts). Never on a route that changes
     * collections, which takes the gate alone.
     */
    recordAccess?: boolean;
  }
}

/**
 * Wraps the handler of every route added after this call whose config sets `recordAccess`,
 * so that it runs holding the schema gate shared: a collection change waits for the requests
 * in flight, and requests that arrive during one wait for its commit and registry reload; a
 * request that meets another process's change runs once more (withCurrentSchema).
 */
export function registerSchemaGate(server: FastifyInstance, app: App): void {
  server.addHook('onRoute', (route) => {
    if (route.config?.recordAccess !== true) return;
    const handler = route.handler;
    const gated: RouteHandlerMethod = function (request, reply) {
      // Our handlers are async: Promise.resolve returns their promise itself.
      return withCurrentSchema(app, () => Promise.resolve(handler.call(this, request, reply)));
    };
    route.handler = gated;
  });
}
