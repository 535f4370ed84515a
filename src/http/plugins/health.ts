import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../core/app.js';
import { isSuperuser } from '../../core/auth/auth-context.js';
import { clientIp, possibleProxyHeader } from '../client-ip.js';

/**
 * `GET /api/health` (API.md §7); superusers also see whether backups can run (not yet: there
 * are no backups), the client IP as Basalt sees it and the proxy header a request carries
 * when no trusted proxy is configured.
 */
export function healthPlugin(app: App): FastifyPluginAsync {
  return async (server) => {
    server.route({
      method: ['GET', 'HEAD'],
      url: '/api/health',
      handler: async (request) => {
        const data: Record<string, unknown> = {};
        if (isSuperuser(request.auth)) {
          const proxy = app.settings.peek().trustedProxy;
          data.canBackup = false;
          data.realIP = clientIp(request, proxy);
          data.possibleProxyHeader = possibleProxyHeader(request, proxy);
        }
        return { code: 200, message: 'API is healthy.', data };
      },
    });
  };
}
