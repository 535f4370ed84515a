import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/** The methods a preflight allows: every method the API has. */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Answers CORS preflights (OPTIONS with Origin and Access-Control-Request-Method) for any
 * path: 204 with the allowed methods and the requested headers allowed.
 *
 * @fastify/cors runs a hook on every request of the context it is registered in, which costs
 * as much as a point read's own logic. The header of actual responses never varies here (any
 * origin, response-headers.ts), so the plugin lives in a child context whose only route is its
 * `OPTIONS *`: its hook then runs for preflights alone.
 */
export async function registerCorsPreflight(server: FastifyInstance): Promise<void> {
  await server.register(async (preflight) => {
    await preflight.register(cors, { origin: '*', methods: CORS_METHODS });
  });
}
