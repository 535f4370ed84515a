import { ApiError } from '../errors.js';
import { isSuperuser, type AuthContext } from './auth-context.js';

/**
 * Gate of superuser-only operations (collections, settings, ...): a guest gets 401 and any
 * other authenticated record 403, as API.md §0 specifies.
 */
export function assertSuperuser(auth: AuthContext | undefined): void {
  if (!auth) throw new ApiError('superuser_token_required');
  if (!isSuperuser(auth)) throw new ApiError('superuser_required');
}
