import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { assertSuperuser } from '../../core/auth/access.js';
import { ApiError } from '../../core/errors.js';

/**
 * `GET /api/crons` (the jobs `[{id, expression}]`, by id with the `__pb*` system jobs last)
 * and `POST /api/crons/{id}` (runs the job now, in the background, and answers 204 at once,
 * as PocketBase does; unknown id 404), for superusers only (API.md §7).
 */
export function cronsPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.addHook('preHandler', async (request) => {
      assertSuperuser(request.auth);
    });
    server.get('/api/crons', async () => app.cron.list());
    server.post(
      '/api/crons/:id',
      { schema: { params: Type.Object({ id: Type.String() }) } },
      async (request, reply) => {
        const { id } = request.params;
        if (!app.cron.has(id)) throw new ApiError('cron_not_found');
        // The run's failure is logged and recorded by the scheduler; the answer does not wait.
        app.cron.run(id).catch(() => undefined);
        return reply.code(204).send();
      },
    );
  };
}
