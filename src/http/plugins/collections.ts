import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { assertSuperuser } from '../../core/auth/access.js';
import { importCollections } from '../../core/collection/collection-import.js';
import { collectionScaffolds, collectionToJson } from '../../core/collection/collection-json.js';
import {
  createCollection,
  deleteCollection,
  requireCollection,
  truncateCollection,
  updateCollection,
} from '../../core/collection/collection-service.js';
import { listCollections } from '../../core/collection/collection-list.js';
import { dryRunView } from '../../core/collection/view-dry-run.js';
import { providersMeta } from '../../core/oauth2/oauth2-registry.js';
import { ListQuery } from '../schemas.js';
import { recordRequestOf } from '../record-request.js';
import { toRuleRequest } from '../../core/record/record-request.js';

/** Changes made through the API (the source the onCollectionAfter*Success hooks report). */
const API = { source: 'api' } as const;

const IdOrName = Type.Object({ idOrName: Type.String({ maxLength: 255 }) });
const AnyObject = Type.Object({}, { additionalProperties: true });
const DryRunBody = Type.Object({ query: Type.Optional(Type.Unknown()) });
const ImportBody = Type.Object({
  collections: Type.Array(Type.Unknown(), { maxItems: 1000 }),
  deleteMissing: Type.Optional(Type.Boolean()),
});

/** The collections API of API.md §3.5, for superusers only. */
export function collectionsPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.addHook('preHandler', async (request) => {
      assertSuperuser(request.auth);
    });

    server.get('/api/collections', { schema: { querystring: ListQuery } }, async (request) =>
      listCollections(app, request.query, toRuleRequest(recordRequestOf(request))),
    );
    server.get('/api/collections/meta/scaffolds', async () => collectionScaffolds());
    server.get('/api/collections/meta/oauth2-providers', async () => providersMeta());
    server.post(
      '/api/collections/meta/dry-run-view',
      { schema: { body: DryRunBody } },
      async (request) => dryRunView(app, request.body.query),
    );
    server.post('/api/collections', { schema: { body: AnyObject } }, async (request) =>
      collectionToJson(await createCollection(app, request.body, API)),
    );
    server.put(
      '/api/collections/import',
      { schema: { body: ImportBody } },
      async (request, reply) => {
        const { collections, deleteMissing } = request.body;
        await importCollections(app, collections, deleteMissing ?? false, 'api');
        return reply.status(204).send();
      },
    );
    server.get('/api/collections/:idOrName', { schema: { params: IdOrName } }, async (request) =>
      collectionToJson(requireCollection(app, request.params.idOrName)),
    );
    server.patch(
      '/api/collections/:idOrName',
      { schema: { params: IdOrName, body: AnyObject } },
      async (request) =>
        collectionToJson(await updateCollection(app, request.params.idOrName, request.body, API)),
    );
    server.delete(
      '/api/collections/:idOrName',
      { schema: { params: IdOrName } },
      async (request, reply) => {
        await deleteCollection(app, request.params.idOrName, API);
        return reply.status(204).send();
      },
    );
    server.delete(
      '/api/collections/:idOrName/truncate',
      { schema: { params: IdOrName } },
      async (request, reply) => {
        await truncateCollection(app, request.params.idOrName);
        return reply.status(204).send();
      },
    );
  };
}
