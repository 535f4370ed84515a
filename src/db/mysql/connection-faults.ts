import type mysql from 'mysql2';
import { SOCKET_ERROR_CODES } from '../socket-errors.js';

/**
 * mysql2 and server error codes that mean the server cannot be used now: the connection was
 * lost or killed (`KILL`, a restart), or the server has no room for another connection.
 * Socket errors (refused, reset) are SOCKET_ERROR_CODES.
 */
const UNAVAILABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
]);

/** MariaDB's error number for "Connection was killed" (1927), which mysql2 may not name. */
const CONNECTION_KILLED_ERRNO = 1927;

/** True when a mysql2 error says the server cannot be reached or ended the connection. */
export function isMysqlUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if ('code' in error && typeof error.code === 'string') {
    if (UNAVAILABLE_CODES.has(error.code) || SOCKET_ERROR_CODES.has(error.code)) return true;
  }
  if ('errno' in error && error.errno === CONNECTION_KILLED_ERRNO) return true;
  // A query on a connection that already failed: "Can't add new command when connection is in
  // closed state", flagged fatal and without a code.
  return 'fatal' in error && error.fatal === true && !('code' in error && error.code);
}

/**
 * Makes a lost connection an error of the request that uses it, never of the process. mysql2
 * removes a pooled connection from its pool on its first `error` event but listens only once,
 * and a connection that failed emits again when it is used (a write in closed state): an
 * unhandled `error` event ends the process. Every connection gets a listener as it joins the
 * pool; the error itself reaches the query that was running, or the next one.
 */
export function guardPoolConnections(pool: mysql.Pool, onError: (error: Error) => void): void {
  pool.on('connection', (connection) => {
    connection.on('error', onError);
  });
}
