import type { FastifyInstance } from 'fastify';

/** Masks secrets that may travel in query strings (file tokens) before a URL is logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|password)=)[^&]*/gi, '$1[redacted]');
}

/**
 * One log line per request at `info`, after the response: method, URL, status and duration.
 * Registered only when the log level shows it (buildServer): the hook costs every request.
 */
export function registerRequestLog(server: FastifyInstance): void {
  server.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        auth: request.auth ? request.auth.collection.name : undefined,
      },
      'request',
    );
  });
}
