import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { assertSuperuser } from '../../core/auth/access.js';
import { sendTestEmail } from '../../core/mail/test-email.js';
import { settingsToJson } from '../../core/settings/settings-validate.js';

/**
 * `GET|PATCH /api/settings` and `POST /api/settings/test/email` (API.md §7), for superusers
 * only; secrets are never returned.
 */
export function settingsPlugin(app: App): FastifyPluginAsyncTypebox {
  return async (server) => {
    server.addHook('preHandler', async (request) => {
      assertSuperuser(request.auth);
    });
    server.get('/api/settings', async () => settingsToJson(app.settings.get()));
    server.patch(
      '/api/settings',
      { schema: { body: Type.Object({}, { additionalProperties: true }) } },
      async (request) => settingsToJson(await app.settings.update(request.body)),
    );
    server.post('/api/settings/test/email', async (request, reply) => {
      await sendTestEmail(app, request.body);
      return reply.code(204).send();
    });
  };
}
