import type { FastifyInstance } from 'fastify';
import type { App } from '../core/app.js';
import type { AuthContext } from '../core/auth/auth-context.js';
import { authenticate } from '../core/auth/auth-token.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The record authenticated by the Authorization header; undefined for guests. */
    auth: AuthContext | undefined;
  }
}

/**
 * Resolves the Authorization header of every request. An invalid or expired token makes the
 * request a guest request; it never fails by itself (API.md §0).
 */
export function registerRequestAuth(server: FastifyInstance, app: App): void {
  server.decorateRequest('auth', undefined);
  // A callback hook, not an async one: guest requests (no header) then cost no promise.
  server.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization;
    if (!header) {
      done();
      return;
    }
    authenticate(app, header).then((auth) => {
      request.auth = auth;
      done();
    }, done);
  });
}
