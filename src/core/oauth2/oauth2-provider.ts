import type { JsonObject } from '../../lib/json-merge.js';

/**
 * How the client authenticates at the token endpoint: HTTP Basic (RFC 6749 §2.3.1, what most
 * providers accept) or `client_id`/`client_secret` in the form body (Apple accepts only that).
 */
export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** The tokens of a successful code exchange. */
export interface ProviderTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** When the access token expires, when the provider said. */
  readonly expiry: Date | undefined;
  /** The OpenID Connect ID token, '' when none came. */
  readonly idToken: string;
  /** The ID token's claims, when the exchange already validated it (Apple). */
  readonly idTokenClaims: JsonObject | undefined;
}

/**
 * What a provider says about its user, before Basalt decides anything. `email` is the address
 * as PocketBase reports it (some providers only give verified ones); `emailVerified` says
 * whether the provider vouches for it, and only then is it used to link or verify a record.
 */
export interface ProviderProfile {
  readonly id: string;
  readonly name: string;
  readonly username: string;
  readonly email: string;
  readonly emailVerified: boolean;
  readonly avatarURL: string;
  readonly rawUser: JsonObject;
}

/** A provider configuration with the registry's defaults filled in and its secret opened. */
export interface ResolvedProvider {
  readonly definition: ProviderDefinition;
  readonly name: string;
  readonly displayName: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authURL: string;
  readonly tokenURL: string;
  readonly userInfoURL: string;
  readonly pkce: boolean;
  readonly scopes: readonly string[];
  readonly extra: Readonly<Record<string, unknown>>;
}

/** What a provider's user lookup may use: the resolved config, the tokens, and JSON GETs. */
export interface ProfileContext {
  readonly provider: ResolvedProvider;
  readonly tokens: ProviderTokens;
  /** GETs JSON with the access token as Bearer; `optional` answers undefined on 401/403/404. */
  fetchJson(url: string, optional?: boolean): Promise<JsonObject | unknown[] | undefined>;
  /** The claims of the ID token, validated as the provider's settings require. */
  idTokenClaims(): Promise<JsonObject>;
}

/** A provider Basalt knows by name: PocketBase's name, defaults and user mapping. */
export interface ProviderDefinition {
  readonly name: string;
  readonly displayName: string;
  readonly pkce: boolean;
  readonly scopes: readonly string[];
  /** Default endpoints; '' for the generic OpenID Connect providers, which must be configured. */
  readonly authURL: string;
  readonly tokenURL: string;
  readonly userInfoURL: string;
  readonly tokenAuthMethod: TokenAuthMethod;
  /** Extra parameters of the authorization URL (Apple's `response_mode`). */
  readonly authParams?: Readonly<Record<string, string>>;
  /** ID token checks that apply unless `extra` overrides them (Apple's issuer and keys). */
  readonly idToken?: { readonly issuers: readonly string[]; readonly jwksURL: string };
  /** Learns the user from the provider's API or ID token. */
  fetchProfile(ctx: ProfileContext): Promise<ProviderProfile>;
}
