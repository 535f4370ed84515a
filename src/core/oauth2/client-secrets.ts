import { SecretBox, SecretOpenError } from '../../lib/security/secret-box.js';
import type { Collection } from '../collection/collection-model.js';
import { OAuth2ProviderError } from './oauth2-errors.js';

/**
 * The collection as it is stored: with a box (BASALT_ENCRYPTION_KEY), every OAuth2 client
 * secret not sealed yet is sealed (AES-256-GCM, as the secret settings). Secrets kept from the
 * stored version are sealed already and stay as they are. Without a box, unchanged.
 */
export function sealClientSecrets(collection: Collection, box: SecretBox | undefined): Collection {
  if (!box || collection.type !== 'auth') return collection;
  const providers = collection.oauth2.providers.map((p) =>
    SecretBox.isSealed(p.clientSecret) ? p : { ...p, clientSecret: box.seal(p.clientSecret) },
  );
  return { ...collection, oauth2: { ...collection.oauth2, providers } };
}

/**
 * A stored client secret in plaintext. A sealed secret without the key, or with another key,
 * is a configuration failure (logged by the caller; the client sees a generic error).
 */
export function openClientSecret(stored: string, box: SecretBox | undefined): string {
  if (!SecretBox.isSealed(stored)) return stored;
  if (!box) {
    throw new OAuth2ProviderError('config', 'the client secret is encrypted but no key is set');
  }
  try {
    return box.open(stored);
  } catch (error) {
    if (!(error instanceof SecretOpenError)) throw error;
    throw new OAuth2ProviderError('config', 'the client secret cannot be decrypted with this key');
  }
}
