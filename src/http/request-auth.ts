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
  server.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    request.auth = header ? await authenticate(app, header) : undefined;
  });
}
