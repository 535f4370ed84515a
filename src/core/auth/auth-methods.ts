import type { App } from '../app.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { authMethodProvider, type AuthMethodProvider } from '../oauth2/oauth2-auth-url.js';
import { resolveProvider } from '../oauth2/oauth2-resolve.js';
import { requireAuthCollection } from './auth-collection.js';

/** The `GET /auth-methods` answer (API.md §4), with the legacy keys older SDKs read. */
export interface AuthMethods {
  password: { identityFields: string[]; enabled: boolean };
  oauth2: { providers: AuthMethodProvider[]; enabled: boolean };
  mfa: { enabled: boolean; duration: number };
  otp: { enabled: boolean; duration: number };
  authProviders: AuthMethodProvider[] | null;
  usernamePassword: boolean;
  emailPassword: boolean;
}

/**
 * The enabled collection's OAuth2 providers, each with a fresh state and PKCE pair. A provider
 * that cannot start a sign-in (unknown name, unusable auth URL) is left out, as PocketBase does.
 */
function oauth2Providers(collection: AuthCollection): AuthMethodProvider[] {
  if (!collection.oauth2.enabled) return [];
  return collection.oauth2.providers.flatMap((config) => {
    try {
      const provider = resolveProvider(config);
      return provider ? [authMethodProvider(provider)] : [];
    } catch {
      return [];
    }
  });
}

/**
 * The authentication methods an auth collection offers (API.md §4). Disabled methods report
 * `enabled: false`, duration 0 and no identity fields; `authProviders` is null while OAuth2 is
 * off.
 */
export function listAuthMethods(app: App, collectionIdOrName: string): AuthMethods {
  const collection = requireAuthCollection(app, collectionIdOrName);
  const { passwordAuth, oauth2, mfa, otp } = collection;
  const identityFields = passwordAuth.enabled ? [...passwordAuth.identityFields] : [];
  const providers = oauth2Providers(collection);
  return {
    password: { identityFields, enabled: passwordAuth.enabled },
    oauth2: { providers, enabled: oauth2.enabled },
    mfa: { enabled: mfa.enabled, duration: mfa.enabled ? mfa.duration : 0 },
    otp: { enabled: otp.enabled, duration: otp.enabled ? otp.duration : 0 },
    authProviders: oauth2.enabled ? providers : null,
    usernamePassword: identityFields.includes('username'),
    emailPassword: identityFields.includes('email'),
  };
}
