import type { AuthOptions, OAuth2ProviderConfig } from '../collection/collection-model.js';
import { fieldError, type ErrorCollector } from '../validation-errors.js';
import { findProviderDefinition, needsConfiguredURLs } from './oauth2-registry.js';

const URL_KEYS = ['authURL', 'tokenURL', 'userInfoURL'] as const;

function isHttpURL(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function checkExtra(config: OAuth2ProviderConfig, path: string[], errors: ErrorCollector): void {
  const { jwksURL, issuers } = config.extra;
  if (jwksURL !== undefined && (typeof jwksURL !== 'string' || (jwksURL && !isHttpURL(jwksURL)))) {
    errors.add([...path, 'extra', 'jwksURL'], fieldError('validation_invalid_url'));
  }
  if (
    issuers !== undefined &&
    (!Array.isArray(issuers) || issuers.some((i) => typeof i !== 'string'))
  ) {
    errors.add([...path, 'extra', 'issuers'], fieldError('validation_invalid_type'));
  }
}

/**
 * Checks the OAuth2 providers of an auth collection (on every save): each names a provider
 * Basalt knows, at most once; URLs are http(s) URLs. While OAuth2 is enabled each also needs
 * a client id and secret, and the generic OpenID Connect providers their auth and token URLs.
 */
export function validateOAuth2Providers(
  oauth2: AuthOptions['oauth2'],
  errors: ErrorCollector,
): void {
  const seen = new Set<string>();
  oauth2.providers.forEach((config, i) => {
    const path = ['oauth2', 'providers', String(i)];
    const definition = findProviderDefinition(config.name);
    if (config.name !== '' && !definition) {
      errors.add(
        [...path, 'name'],
        fieldError('validation_invalid_provider', { name: config.name }, 'Unknown provider.'),
      );
    }
    if (seen.has(config.name)) {
      errors.add(
        [...path, 'name'],
        fieldError('validation_duplicated_provider', { name: config.name }),
      );
    }
    seen.add(config.name);
    for (const key of URL_KEYS) {
      if (config[key] !== '' && !isHttpURL(config[key])) {
        errors.add([...path, key], fieldError('validation_invalid_url'));
      }
    }
    checkExtra(config, path, errors);
    if (!oauth2.enabled) return;
    if (config.clientId === '')
      errors.add([...path, 'clientId'], fieldError('validation_required'));
    if (config.clientSecret === '') {
      errors.add([...path, 'clientSecret'], fieldError('validation_required'));
    }
    if (definition && needsConfiguredURLs(definition)) {
      for (const key of ['authURL', 'tokenURL'] as const) {
        if (config[key] === '') errors.add([...path, key], fieldError('validation_required'));
      }
    }
  });
}
