import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { authRefresh } from '../../core/auth/auth-refresh.js';
import { authWithPassword, type AuthResult } from '../../core/auth/password-auth.js';
import { SUPERUSERS } from '../../core/collection/collection-model.js';
import { recordToJson } from '../../core/record/record-json.js';

const CollectionParam = Type.Object({ collection: Type.String({ maxLength: 255 }) });

/** The auth response `{record, token}`: the record sees its own email; superusers see hidden fields. */
function authResponse({ collection, record, token }: AuthResult): Record<string, unknown> {
  const showHidden = collection.id === SUPERUSERS.id;
  return { record: recordToJson(collection, record, { showHidden, showEmail: true }), token };
}

/** Auth routes of auth collections (API.md §4): password login and token refresh. */
export function recordAuthPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.post(
      '/api/collections/:collection/auth-with-password',
      { schema: { params: CollectionParam } },
      async (request) =>
        authResponse(await authWithPassword(app, request.params.collection, request.body)),
    );
    server.post(
      '/api/collections/:collection/auth-refresh',
      { schema: { params: CollectionParam } },
      async (request) =>
        authResponse(await authRefresh(app, request.params.collection, request.auth)),
    );
  };
}
