import { ipList } from '../../lib/net/ip-list.js';
import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import { isSuperuser, type AuthContext } from './auth-context.js';

/**
 * The superuser IP whitelist (API.md §4, `settings.superuserIPs`): when it is set, a
 * superuser token used from any other client IP gets 403 on every request.
 */
export function assertSuperuserIpAllowed(
  app: App,
  auth: AuthContext | undefined,
  ip: string,
): void {
  const allowed = app.settings.peek().superuserIPs;
  if (allowed.length === 0 || !isSuperuser(auth)) return;
  if (!ipList(allowed).has(ip)) throw new ApiError('forbidden');
}
