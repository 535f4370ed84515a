import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { listAuthMethods } from '../../core/auth/auth-methods.js';
import { authRefresh } from '../../core/auth/auth-refresh.js';
import { authResponse } from '../../core/auth/auth-response.js';
import { impersonate } from '../../core/auth/impersonate.js';
import { authWithPassword } from '../../core/auth/password-auth.js';
import { recordRequestOf } from '../record-request.js';

const CollectionParam = Type.Object({ collection: Type.String({ maxLength: 255 }) });
const RecordParams = Type.Object({
  collection: Type.String({ maxLength: 255 }),
  recordId: Type.String({ maxLength: 255 }),
});
const ExpandQuery = Type.Object({
  expand: Type.Optional(Type.String()),
  fields: Type.Optional(Type.String()),
});

/**
 * Auth routes of auth collections (API.md §4): the public list of auth methods, password
 * login, token refresh and impersonation (superusers only, no rate-limit tag, so only path rules apply).
 */
export function recordAuthPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/api/collections/:collection/auth-methods',
      {
        schema: { params: CollectionParam },
        config: { rateLimitTags: ['listAuthMethods'], collectionContext: true },
      },
      async (request) => listAuthMethods(app, request.params.collection),
    );
    server.post(
      '/api/collections/:collection/auth-with-password',
      {
        schema: { params: CollectionParam, querystring: ExpandQuery },
        config: { rateLimitTags: ['authWithPassword', 'auth'], collectionContext: true },
      },
      async (request) =>
        authResponse(
          app,
          await authWithPassword(app, request.params.collection, request.body),
          recordRequestOf(request),
          request.query.expand,
        ),
    );
    server.post(
      '/api/collections/:collection/auth-refresh',
      {
        schema: { params: CollectionParam, querystring: ExpandQuery },
        config: { rateLimitTags: ['authRefresh'], collectionContext: true },
      },
      async (request) =>
        authResponse(
          app,
          await authRefresh(app, request.params.collection, request.auth),
          recordRequestOf(request),
          request.query.expand,
        ),
    );
    server.post(
      '/api/collections/:collection/impersonate/:recordId',
      { schema: { params: RecordParams, querystring: ExpandQuery } },
      async (request) =>
        authResponse(
          app,
          await impersonate(
            app,
            request.params.collection,
            request.params.recordId,
            request.body,
            request.auth,
          ),
          recordRequestOf(request),
          request.query.expand,
        ),
    );
  };
}
