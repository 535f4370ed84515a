import type { SecretBox } from '../../lib/security/secret-box.js';
import type { AuthCollection, OAuth2ProviderConfig } from '../collection/collection-model.js';
import { openClientSecret } from './client-secrets.js';
import type { ResolvedProvider } from './oauth2-provider.js';
import { findProviderDefinition } from './oauth2-registry.js';

/** The configuration of provider `name` in an auth collection, or undefined. */
export function configuredProvider(
  collection: AuthCollection,
  name: string,
): OAuth2ProviderConfig | undefined {
  return collection.oauth2.providers.find((p) => p.name === name);
}

/**
 * A provider configuration over the registry's defaults: configured URLs, display name and
 * PKCE win, the rest comes from the provider. Undefined for an unknown provider name. With
 * `box`, the client secret is opened (throws when it cannot be); without, it is left ''
 * (listing auth methods needs no secret).
 */
export function resolveProvider(
  config: OAuth2ProviderConfig,
  secrets?: { box: SecretBox | undefined },
): ResolvedProvider | undefined {
  const definition = findProviderDefinition(config.name);
  if (!definition) return undefined;
  return {
    definition,
    name: config.name,
    displayName: config.displayName || definition.displayName,
    clientId: config.clientId,
    clientSecret: secrets ? openClientSecret(config.clientSecret, secrets.box) : '',
    authURL: config.authURL || definition.authURL,
    tokenURL: config.tokenURL || definition.tokenURL,
    userInfoURL: config.userInfoURL || definition.userInfoURL,
    pkce: config.pkce ?? definition.pkce,
    scopes: definition.scopes,
    extra: config.extra,
  };
}
