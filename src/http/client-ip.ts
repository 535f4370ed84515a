import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { Settings } from '../core/settings/settings-model.js';

/** Headers that reverse proxies commonly set to the client IP, as the health check names them. */
const KNOWN_PROXY_HEADERS = [
  'CF-Connecting-IP',
  'Fly-Client-IP',
  'True-Client-IP',
  'X-Real-IP',
  'X-Forwarded-For',
];

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) as `1.2.3.4`. */
function plainIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** The IP a proxy header names: the leftmost or rightmost entry of a list, if it is an IP. */
function ipFromHeader(value: string | string[] | undefined, leftmost: boolean): string {
  const text = Array.isArray(value) ? value.join(',') : value;
  if (!text) return '';
  const parts = text.split(',');
  const ip = (leftmost ? parts[0] : parts[parts.length - 1])?.trim() ?? '';
  return isIP(ip) ? plainIp(ip) : '';
}

/**
 * The client IP of a request, the one function that the rate limiter, the superuser IP
 * whitelist and logs use. Proxy headers count only when `settings.trustedProxy.headers`
 * names them (the first that holds an IP wins; for a list such as X-Forwarded-For the
 * rightmost entry, the one the proxy itself added, unless `useLeftmostIP`); otherwise the
 * socket's address, so that a client cannot choose its own IP by sending such a header.
 */
export function clientIp(request: FastifyRequest, proxy: Settings['trustedProxy']): string {
  for (const name of proxy.headers) {
    const ip = ipFromHeader(request.headers[name.toLowerCase()], proxy.useLeftmostIP);
    if (ip !== '') return ip;
  }
  return plainIp(request.socket.remoteAddress ?? '');
}

/**
 * The proxy header a request carries when no trusted proxy is configured (a hint for the
 * health check, API.md §7); empty when proxy headers are configured or none is present.
 */
export function possibleProxyHeader(
  request: FastifyRequest,
  proxy: Settings['trustedProxy'],
): string {
  if (proxy.headers.length > 0) return '';
  return KNOWN_PROXY_HEADERS.find((h) => request.headers[h.toLowerCase()] !== undefined) ?? '';
}
