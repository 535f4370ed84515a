import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { authRefresh } from '../../core/auth/auth-refresh.js';
import { authResponse } from '../../core/auth/auth-response.js';
import { authWithPassword } from '../../core/auth/password-auth.js';
import { recordRequestOf } from '../record-request.js';

const CollectionParam = Type.Object({ collection: Type.String({ maxLength: 255 }) });
const ExpandQuery = Type.Object({
  expand: Type.Optional(Type.String()),
  fields: Type.Optional(Type.String()),
});

/** Auth routes of auth collections (API.md §4): password login and token refresh. */
export function recordAuthPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
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
  };
}
