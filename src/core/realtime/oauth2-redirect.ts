import type { Realtime } from './realtime.js';

/** The realtime topic the OAuth2 redirect handler sends to (API.md §4, §5.3). */
export const OAUTH2_TOPIC = '@oauth2';

/** What the OAuth2 provider sent back to `/api/oauth2-redirect`. */
export interface OAuth2Callback {
  readonly state: string;
  readonly code: string;
  readonly error: string;
}

/**
 * Hands an OAuth2 callback to the realtime client whose id is the `state` (API.md §4): only
 * when it is subscribed to `@oauth2` and connected from the callback's IP. The client is then
 * unsubscribed from `@oauth2`. Returns whether the sign-in can go on (a message was sent and
 * the provider reported no error).
 */
export function deliverOAuth2Callback(
  realtime: Realtime,
  callback: OAuth2Callback,
  ip: string,
): boolean {
  if (callback.state === '') return false;
  const client = realtime.client(callback.state);
  if (!client || client.closed) return false;
  if (client.ip !== '' && client.ip !== ip) return false;
  const data: Record<string, string> = { state: callback.state, code: callback.code };
  if (callback.error !== '') data.error = callback.error;
  const sent = realtime.sendTo(client.id, OAUTH2_TOPIC, data);
  if (!sent) return false;
  realtime.unsubscribe(client, OAUTH2_TOPIC);
  return callback.error === '';
}
