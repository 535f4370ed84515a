import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { listResult } from '../../core/list/list-params.js';
import { deleteRecord } from '../../core/record/record-delete.js';
import { listRecords } from '../../core/record/record-list.js';
import { renderRecords } from '../../core/record/record-render.js';
import { viewRecord } from '../../core/record/record-view.js';
import { createRecord, updateRecord } from '../../core/record/record-write.js';
import { limitedBody } from '../body-limit.js';
import { idempotentCreate } from '../idempotency-request.js';
import { recordRequestOf } from '../record-request.js';
import { runRecordRequest } from '../record-request-hook.js';
import { recordBodyPolicy } from '../record-body-policy.js';
import { setRecordEtag, viewNotModified } from '../record-etag-reply.js';
import { ListQuery } from '../schemas.js';

const CollectionParam = Type.Object({ collection: Type.String({ maxLength: 255 }) });
const RecordParams = Type.Object({
  collection: Type.String({ maxLength: 255 }),
  id: Type.String({ maxLength: 255 }),
});
const ExpandQuery = Type.Object({
  expand: Type.Optional(Type.String()),
  fields: Type.Optional(Type.String()),
});

/** What a view's action returns when the answer is 304 Not Modified (no body to render). */
const NOT_MODIFIED = Symbol('not modified');

/** The records API of API.md §1. Every decision (rules, validation) is made in core. */
export function recordsPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.get(
      '/api/collections/:collection/records',
      {
        schema: { params: CollectionParam, querystring: ListQuery },
        config: { rateLimitTags: ['list'], recordAccess: true },
      },
      async (request) => {
        const rr = recordRequestOf(request);
        const name = request.params.collection;
        return runRecordRequest(app, 'list', name, rr, { query: request.query }, async (input) => {
          const page = await listRecords(app, name, input.query, rr);
          const items = await renderRecords(
            app,
            page.collection,
            page.rows,
            rr,
            input.query.expand,
          );
          return listResult(items, page.window, page.total);
        });
      },
    );

    server.get(
      '/api/collections/:collection/records/:id',
      {
        schema: { params: RecordParams, querystring: ExpandQuery },
        config: { rateLimitTags: ['view'], recordAccess: true },
      },
      async (request, reply) => {
        const rr = recordRequestOf(request);
        const { collection: name, id } = request.params;
        const answer = await runRecordRequest(
          app,
          'view',
          name,
          rr,
          { id, query: request.query },
          async (input) => {
            const { collection, row } = await viewRecord(app, name, id, rr);
            const version = setRecordEtag(app, reply, collection, row);
            if (viewNotModified(app, request, reply, version, input.query.expand)) {
              return NOT_MODIFIED;
            }
            return (await renderRecords(app, collection, [row], rr, input.query.expand))[0];
          },
        );
        return answer === NOT_MODIFIED ? reply.code(304).send() : answer;
      },
    );

    server.post(
      '/api/collections/:collection/records',
      {
        schema: { params: CollectionParam, querystring: ExpandQuery },
        config: { rateLimitTags: ['create'], recordAccess: true },
        ...limitedBody((request) => recordBodyPolicy(app, request, 'create')),
      },
      async (request, reply) => {
        const rr = recordRequestOf(request);
        const name = request.params.collection;
        const given = { query: request.query, body: request.body };
        // With the collection's `idempotency` option and a key, the whole create (request
        // hook, write, rendering) runs in one transaction with its stored answer.
        return idempotentCreate(app, request, reply, name, () =>
          runRecordRequest(app, 'create', name, rr, given, async (input) => {
            const { collection, row } = await createRecord(app, name, input.body, rr, {
              files: request.uploads ?? [],
            });
            setRecordEtag(app, reply, collection, row);
            return (await renderRecords(app, collection, [row], rr, input.query.expand))[0];
          }),
        );
      },
    );

    server.patch(
      '/api/collections/:collection/records/:id',
      {
        schema: { params: RecordParams, querystring: ExpandQuery },
        config: { rateLimitTags: ['update'], recordAccess: true },
        ...limitedBody((request) => recordBodyPolicy(app, request, 'update')),
      },
      async (request, reply) => {
        const rr = recordRequestOf(request);
        const { collection: name, id } = request.params;
        const given = { id, query: request.query, body: request.body };
        return runRecordRequest(app, 'update', name, rr, given, async (input) => {
          const { collection, row } = await updateRecord(app, name, id, input.body, rr, {
            files: request.uploads ?? [],
          });
          setRecordEtag(app, reply, collection, row);
          return (await renderRecords(app, collection, [row], rr, input.query.expand))[0];
        });
      },
    );

    server.delete(
      '/api/collections/:collection/records/:id',
      {
        schema: { params: RecordParams },
        config: { rateLimitTags: ['delete'], recordAccess: true },
      },
      async (request, reply) => {
        const rr = recordRequestOf(request);
        const { collection: name, id } = request.params;
        await runRecordRequest(app, 'delete', name, rr, { id, query: {} }, async () => {
          await deleteRecord(app, name, id, rr);
          return null;
        });
        return reply.status(204).send();
      },
    );
  };
}
