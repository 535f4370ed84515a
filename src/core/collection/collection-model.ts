import type { Field } from '../field/field-model.js';
import type { IdempotencyMode } from '../idempotency/idempotency-key.js';

/** Collection types. */
export type CollectionType = 'base' | 'auth' | 'view';

/** An access rule: null = superusers only, "" = everyone, otherwise a filter expression. */
export type Rule = string | null;

/** Keys every collection has (API.md §3.4). */
export interface CollectionCommon {
  id: string;
  name: string;
  system: boolean;
  fields: Field[];
  indexes: string[];
  listRule: Rule;
  viewRule: Rule;
  createRule: Rule;
  updateRule: Rule;
  deleteRule: Rule;
  created: string;
  updated: string;
  /**
   * Basalt only: how record creates take the `Idempotency-Key` header (`required` or
   * `optional`). The key is absent when not set, so PocketBase's JSON stays as it is.
   */
  idempotency?: IdempotencyMode;
}

/** A plain data collection. */
export interface BaseCollection extends CollectionCommon {
  type: 'base';
}

/** Lifetime and signing secret of one token type. The secret is never output. */
export interface TokenConfig {
  duration: number;
  secret: string;
}

/** The longest token lifetime, in seconds (5 years), a collection or impersonation may ask for. */
export const MAX_TOKEN_DURATION = 60 * 60 * 24 * 365 * 5;

/** Subject and body of a mail, with `{APP_NAME}`, `{APP_URL}`, `{TOKEN}`, `{OTP}` placeholders. */
export interface EmailTemplate {
  subject: string;
  body: string;
}

/** One configured OAuth2 provider of an auth collection. `clientSecret` is never output. */
export interface OAuth2ProviderConfig {
  name: string;
  clientId: string;
  clientSecret: string;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  displayName: string;
  pkce: boolean | null;
  extra: Record<string, unknown>;
}

/** The options that only auth collections have. */
export interface AuthOptions {
  authRule: Rule;
  manageRule: Rule;
  authAlert: { enabled: boolean; emailTemplate: EmailTemplate };
  oauth2: {
    enabled: boolean;
    providers: OAuth2ProviderConfig[];
    mappedFields: { id: string; name: string; username: string; avatarURL: string };
  };
  passwordAuth: { enabled: boolean; identityFields: string[] };
  mfa: { enabled: boolean; duration: number; rule: string };
  otp: { enabled: boolean; duration: number; length: number; emailTemplate: EmailTemplate };
  authToken: TokenConfig;
  passwordResetToken: TokenConfig;
  emailChangeToken: TokenConfig;
  verificationToken: TokenConfig;
  fileToken: TokenConfig;
  verificationTemplate: EmailTemplate;
  resetPasswordTemplate: EmailTemplate;
  confirmEmailChangeTemplate: EmailTemplate;
}

/** A collection whose records are accounts that can authenticate. */
export interface AuthCollection extends CollectionCommon, AuthOptions {
  type: 'auth';
}

/**
 * A read-only collection whose records are the rows of a SQL view over `viewQuery`, one SELECT
 * in the engine's own SQL; its fields are inferred from the query (see view-fields.ts).
 */
export interface ViewCollection extends CollectionCommon {
  type: 'view';
  viewQuery: string;
}

/** Any collection. */
export type Collection = BaseCollection | AuthCollection | ViewCollection;

/** The names of the token configs of auth collections. */
export const TOKEN_CONFIG_KEYS = [
  'authToken',
  'passwordResetToken',
  'emailChangeToken',
  'verificationToken',
  'fileToken',
] as const;

/** The five record rules every collection has. */
export const RECORD_RULE_KEYS = [
  'listRule',
  'viewRule',
  'createRule',
  'updateRule',
  'deleteRule',
] as const;

/** The name of the system auth collection of superusers, and its fixed id. */
export const SUPERUSERS = { name: '_superusers', id: 'pbc_3142635823' } as const;

/** Finds a field by name. */
export function findField(collection: CollectionCommon, name: string): Field | undefined {
  return collection.fields.find((f) => f.name === name);
}
