import type { FastifyPluginAsync } from 'fastify';
import { isSuperuser } from '../../core/auth/auth-context.js';

const PROXY_HEADERS = [
  'x-forwarded-for',
  'x-real-ip',
  'cf-connecting-ip',
  'fly-client-ip',
  'true-client-ip',
];

/** `GET /api/health` (API.md §7); superusers also see the client IP and a proxy hint. */
export const healthPlugin: FastifyPluginAsync = async (server) => {
  server.route({
    method: ['GET', 'HEAD'],
    url: '/api/health',
    handler: async (request) => {
      const data: Record<string, unknown> = {};
      if (isSuperuser(request.auth)) {
        data.canBackup = false;
        data.realIP = request.ip;
        data.possibleProxyHeader =
          PROXY_HEADERS.find((h) => request.headers[h] !== undefined) ?? '';
      }
      return { code: 200, message: 'API is healthy.', data };
    },
  });
};
