import type { App } from '../app.js';
import { requireAuthCollection } from './auth-collection.js';

/** One OAuth2 provider a client may sign in with. None are listed until OAuth2 is implemented. */
export type AuthMethodProvider = Readonly<Record<string, string>>;

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
 * The authentication methods an auth collection offers (API.md §4). Disabled methods report
 * `enabled: false`, duration 0 and no identity fields; `authProviders` is null while OAuth2 is
 * off. OAuth2 providers are not implemented yet, so the list is always empty.
 */
export function listAuthMethods(app: App, collectionIdOrName: string): AuthMethods {
  const collection = requireAuthCollection(app, collectionIdOrName);
  const { passwordAuth, oauth2, mfa, otp } = collection;
  const identityFields = passwordAuth.enabled ? [...passwordAuth.identityFields] : [];
  const providers: AuthMethodProvider[] = [];
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
