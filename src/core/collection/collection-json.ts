import { TOKEN_CONFIG_KEYS, type Collection } from './collection-model.js';
import {
  authSystemFields,
  blankCollection,
  defaultAuthOptions,
  idField,
} from './collection-defaults.js';

/**
 * The API JSON of a collection (API.md §3.4): token secrets and OAuth2 client secrets are
 * left out (the keys are absent), everything else as stored.
 */
export function collectionToJson(c: Collection): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  if (c.type === 'auth') {
    for (const key of TOKEN_CONFIG_KEYS) out[key] = { duration: c[key].duration };
    out.oauth2 = {
      ...c.oauth2,
      providers: c.oauth2.providers.map(({ clientSecret: _secret, ...rest }) => rest),
    };
  }
  return out;
}

/**
 * The default collection JSON of each type, for the dashboard's "new" forms, as PocketBase
 * lists them: only the system fields (the dashboard adds `created`/`updated` itself), and a
 * `view` entry with an empty `viewQuery` and no fields.
 */
export function collectionScaffolds(): Record<string, Record<string, unknown>> {
  const common = blankCollection();
  const auth = {
    ...common,
    ...defaultAuthOptions(),
    type: 'auth',
    fields: [idField(), ...authSystemFields()],
  };
  return {
    base: { ...common, type: 'base', fields: [idField()] },
    auth: collectionToJson({ ...auth, type: 'auth' }),
    view: { ...common, type: 'view', fields: [], viewQuery: '' },
  };
}
