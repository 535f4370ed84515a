import { randomFillSync } from 'node:crypto';

/** Lower-case letters and digits: the alphabet of record ids and stored file name suffixes. */
export const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Letters (both cases) and digits: the alphabet of secrets, token keys and client ids. */
export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Random bytes are drawn from the CSPRNG in 4 KiB blocks and handed out once each: one
// randomFillSync call per id cost more than the rest of generating it.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++] ?? 0;
}

/**
 * A cryptographically random string of `length` characters drawn uniformly from `alphabet`.
 * Uses rejection sampling so that no character is more likely than another.
 */
export function randomString(length: number, alphabet: string = ALPHANUMERIC): string {
  if (alphabet.length < 2 || alphabet.length > 256) {
    throw new RangeError('randomString: the alphabet must have 2 to 256 characters');
  }
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < limit) out += alphabet.charAt(byte % alphabet.length);
  }
  return out;
}

/** A 15-character record id from the PocketBase id alphabet `[a-z0-9]`. */
export function newRecordId(): string {
  return randomString(15, LOWER_ALPHANUMERIC);
}
