import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { App } from '../../core/app.js';
import { assertSuperuser } from '../../core/auth/access.js';
import { testS3Filesystem } from '../../core/files/s3-test.js';
import { sendTestEmail } from '../../core/mail/test-email.js';
import { generateAppleClientSecret } from '../../core/oauth2/apple-client-secret.js';
import { settingsToJson } from '../../core/settings/settings-validate.js';

/**
 * `GET|PATCH /api/settings`, `POST /api/settings/test/email`, `POST /api/settings/test/s3` and
 * `POST /api/settings/apple/generate-client-secret` (API.md §7), for superusers only; secrets
 * are never returned.
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
    server.post('/api/settings/apple/generate-client-secret', async (request) =>
      generateAppleClientSecret(request.body),
    );
    server.post('/api/settings/test/s3', async (request, reply) => {
      await testS3Filesystem(app.settings.get(), request.body);
      return reply.code(204).send();
    });
  };
}
