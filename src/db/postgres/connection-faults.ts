import type pg from 'pg';
import { SOCKET_ERROR_CODES } from '../socket-errors.js';

/**
 * SQLSTATEs that mean the server cannot serve this connection now: class 08 (connection
 * exception), too many connections, the administrator's or the server's shutdown, a server
 * still starting, and the idle timeouts that end a session.
 */
const UNAVAILABLE_STATES = new Set([
  '53300', // too_many_connections
  '57P01', // admin_shutdown (pg_terminate_backend, a fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

/**
 * node-postgres and pg-pool report a lost connection, a connect timeout and a pool timeout
 * with messages only, no code.
 */
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Client was closed',
];

function codeOf(error: Error): string | undefined {
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** True when a pg error says the server cannot be reached or ended the connection. */
export function isPostgresUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  if (code !== undefined) {
    return code.startsWith('08') || UNAVAILABLE_STATES.has(code) || SOCKET_ERROR_CODES.has(code);
  }
  return CONNECTION_MESSAGES.some((text) => error.message.includes(text));
}

/**
 * Makes a lost connection an error of the request that uses it, never of the process. pg-pool
 * listens for `error` only on idle clients; a client checked out (by a request, a
 * transaction, a cursor scan, the migration lock) emits it on itself with nobody listening,
 * and an unhandled `error` event ends the process. Every client gets a listener as it
 * connects. The error itself reaches the query that was running (it rejects) or the next one
 * (a client that lost its connection is not queryable), and pg-pool discards such a client
 * when it is released instead of lending it again.
 */
export function guardPoolClients(pool: pg.Pool, onError: (error: Error) => void): void {
  pool.on('connect', (client) => {
    client.on('error', onError);
  });
  // An idle client's error is also reported by the pool, which has removed the client.
  pool.on('error', onError);
}
