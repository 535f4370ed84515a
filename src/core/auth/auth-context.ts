import type { AuthCollection } from '../collection/collection-model.js';
import { SUPERUSERS } from '../collection/collection-model.js';
import type { RecordRow } from '../record/record-model.js';

/** The authenticated record of a request, when its token is valid. */
export interface AuthContext {
  readonly collection: AuthCollection;
  readonly record: RecordRow;
  readonly token: string;
  readonly refreshable: boolean;
}

/** True when the request is authenticated as a superuser. */
export function isSuperuser(auth: AuthContext | undefined): auth is AuthContext {
  return auth?.collection.id === SUPERUSERS.id;
}
