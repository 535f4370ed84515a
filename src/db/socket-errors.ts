/**
 * Node's socket error codes of a connection to a database server that could not be made or
 * was cut: the server is down, restarting, unreachable or reset the connection. Every engine
 * with a server counts them as unavailability (DbAdapter#isUnavailable).
 */
export const SOCKET_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
