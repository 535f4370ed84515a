import type { FastifyInstance } from 'fastify';

/**
 * The security headers of every response (errors and 404s included), a minimal set for a
 * JSON API: no MIME sniffing, no framing by other sites, no full URL in the Referer of
 * cross-origin requests, and the legacy XSS auditor off (it caused leaks, OWASP advises 0).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-xss-protection': '0',
});

/**
 * The CORS header of every actual (non-preflight) response: any origin may read the API, as
 * with PocketBase. Preflights are answered by @fastify/cors (cors-preflight.ts).
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
});

/** The security and CORS headers together, as every response carries them. */
export const RESPONSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...SECURITY_HEADERS,
  ...CORS_HEADERS,
});

/**
 * Sets the security and CORS headers first thing on every request, so any later answer
 * carries them. One hook for both: they never vary by request.
 */
export function registerResponseHeaders(server: FastifyInstance): void {
  server.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(RESPONSE_HEADERS);
    done();
  });
}
