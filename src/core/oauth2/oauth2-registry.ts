import type { ProviderDefinition } from './oauth2-provider.js';
import { apple } from './providers/apple.js';
import { discord } from './providers/discord.js';
import { github } from './providers/github.js';
import { gitlab } from './providers/gitlab.js';
import { google } from './providers/google.js';
import { microsoft } from './providers/microsoft.js';
import { oidc, oidc2, oidc3 } from './providers/oidc.js';

/** Every provider Basalt knows, by PocketBase's provider name. */
const PROVIDERS: ReadonlyMap<string, ProviderDefinition> = new Map(
  [google, github, gitlab, discord, microsoft, apple, oidc, oidc2, oidc3].map((p) => [p.name, p]),
);

/** The provider named `name`, or undefined for a name Basalt does not know. */
export function findProviderDefinition(name: string): ProviderDefinition | undefined {
  return PROVIDERS.get(name);
}

/** All known providers, in a stable order. */
export function providerDefinitions(): ProviderDefinition[] {
  return [...PROVIDERS.values()];
}

/** Whether the provider's endpoints must be configured (the generic OpenID Connect ones). */
export function needsConfiguredURLs(definition: ProviderDefinition): boolean {
  return definition.authURL === '';
}

/**
 * The `GET /api/collections/meta/oauth2-providers` list (API.md §3.5): the providers a
 * collection may configure, with their defaults, for the dashboard. Basalt bundles no logos
 * yet, so `logo` is ''.
 */
export function providersMeta(): Record<string, unknown>[] {
  return providerDefinitions().map((p) => ({
    name: p.name,
    displayName: p.displayName,
    logo: '',
    pkce: p.pkce,
    authURL: p.authURL,
    tokenURL: p.tokenURL,
    userInfoURL: p.userInfoURL,
    scopes: [...p.scopes],
  }));
}
