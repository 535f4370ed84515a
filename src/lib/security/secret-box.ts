import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/** The prefix of values sealed by this version; values without it are legacy plaintext. */
const PREFIX = 'enc:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
// scrypt (N = 2^15, r = 8, p = 1: 32 MiB, tens of milliseconds once per start) with a fixed
// application salt. The key may be any operator-chosen string, possibly a weak passphrase, so a
// memory-hard KDF slows guessing it from a leaked database; the salt is fixed because the
// derivation must give the same key on every start.
const KDF_SALT = 'basalt/secrets-at-rest/v1';
const KDF_OPTIONS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** A secret value could not be opened: the key is wrong or the stored value was altered. */
export class SecretOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretOpenError';
  }
}

/**
 * Seals and opens short secrets with AES-256-GCM under a key derived from a passphrase:
 * `enc:v1:` + base64(nonce ‖ ciphertext ‖ tag), a random 96-bit nonce per value.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(passphrase: string) {
    if (passphrase === '') throw new Error('The encryption key must not be empty.');
    this.key = scryptSync(passphrase, KDF_SALT, 32, KDF_OPTIONS);
  }

  /** True when `value` was sealed (by any key). */
  static isSealed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** Encrypts `plaintext` (an empty string stays empty: there is nothing to hide). */
  seal(plaintext: string): string {
    if (plaintext === '') return '';
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
  }

  /** Decrypts a sealed value, checking its tag; plaintext (unsealed) values pass through. */
  open(value: string): string {
    if (!SecretBox.isSealed(value)) return value;
    const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretOpenError('malformed sealed value');
    const nonce = raw.subarray(0, NONCE_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce);
    decipher.setAuthTag(tag);
    try {
      const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretOpenError('authentication failed (wrong key or altered value)');
    }
  }
}
