import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { assertSuperuser } from '../../core/auth/access.js';
import { deleteJob, listJobs, rerunJob, viewJob } from '../../core/jobs/job-admin.js';

const JobId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const JobListQuery = Type.Object({
  page: Type.Optional(Type.Integer()),
  perPage: Type.Optional(Type.Integer()),
  skipTotal: Type.Optional(Type.String()),
  state: Type.Optional(Type.String({ maxLength: 20 })),
  name: Type.Optional(Type.String({ maxLength: 255 })),
  fields: Type.Optional(Type.String()),
});

/**
 * Basalt's jobs API (not PocketBase's), for superusers only: `GET /api/jobs` (a page, newest
 * first, `state` and `name` filters), `GET /api/jobs/{id}`, `POST /api/jobs/{id}/run` (a
 * failed job back to pending, attempts reset; a pending one due now) and
 * `DELETE /api/jobs/{id}` (not while it runs).
 */
export function jobsPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.addHook('preHandler', async (request) => {
      assertSuperuser(request.auth);
    });
    server.get('/api/jobs', { schema: { querystring: JobListQuery } }, async (request) =>
      listJobs(app, request.query),
    );
    server.get('/api/jobs/:id', { schema: { params: JobId } }, async (request) =>
      viewJob(app, request.params.id),
    );
    server.post('/api/jobs/:id/run', { schema: { params: JobId } }, async (request) =>
      rerunJob(app, request.params.id),
    );
    server.delete('/api/jobs/:id', { schema: { params: JobId } }, async (request, reply) => {
      await deleteJob(app, request.params.id);
      return reply.status(204).send();
    });
  };
}
