import { describe, expect, it } from 'vitest';
import { SecretBox } from '../../lib/security/secret-box.js';
import { defaultAuthOptions } from '../collection/collection-defaults.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { openClientSecret, sealClientSecrets } from './client-secrets.js';
import { OAuth2ProviderError } from './oauth2-errors.js';

function collectionWith(secrets: string[]): AuthCollection {
  const options = defaultAuthOptions();
  return {
    ...options,
    id: 'pbc_1',
    name: 'people',
    type: 'auth',
    system: false,
    fields: [],
    indexes: [],
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    created: '',
    updated: '',
    oauth2: {
      ...options.oauth2,
      providers: secrets.map((clientSecret, i) => ({
        name: `oidc${i === 0 ? '' : String(i + 1)}`,
        clientId: 'id',
        clientSecret,
        authURL: '',
        tokenURL: '',
        userInfoURL: '',
        displayName: '',
        pkce: null,
        extra: {},
      })),
    },
  };
}

describe('OAuth2 client secrets at rest', () => {
  const box = new SecretBox('client-secrets-test-key');

  it('seals new secrets once, keeps sealed ones, and opens them again', () => {
    const sealedBefore = box.seal('kept-secret');
    const sealed = sealClientSecrets(collectionWith(['new-secret', sealedBefore, '']), box);
    if (sealed.type !== 'auth') throw new Error('not auth');
    const [fresh, kept, empty] = sealed.oauth2.providers.map((p) => p.clientSecret);
    expect(fresh).toMatch(/^enc:v1:/);
    expect(kept).toBe(sealedBefore);
    expect(empty).toBe('');
    expect(openClientSecret(fresh ?? '', box)).toBe('new-secret');
    expect(openClientSecret(kept ?? '', box)).toBe('kept-secret');
  });

  it('stores plaintext without a key and refuses sealed secrets without the right key', () => {
    const plain = sealClientSecrets(collectionWith(['plain']), undefined);
    if (plain.type !== 'auth') throw new Error('not auth');
    expect(plain.oauth2.providers[0]?.clientSecret).toBe('plain');
    expect(openClientSecret('plain', box)).toBe('plain');
    const sealed = box.seal('secret');
    expect(() => openClientSecret(sealed, undefined)).toThrow(OAuth2ProviderError);
    expect(() => openClientSecret(sealed, new SecretBox('another-key'))).toThrow(
      OAuth2ProviderError,
    );
  });
});
