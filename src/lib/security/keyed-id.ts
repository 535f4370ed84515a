import { createHmac } from 'node:crypto';
import { LOWER_ALPHANUMERIC } from './random.js';

/** Bytes at or above this would favour some characters of the 36-letter alphabet: skipped. */
const UNBIASED_BELOW = 256 - (256 % LOWER_ALPHANUMERIC.length);

/**
 * A 15-character record id (`[a-z0-9]`) derived from `text` by HMAC-SHA256 under `secret`:
 * the same inputs always give the same id, and without the secret it can be neither
 * predicted nor traced back to `text`.
 */
export function keyedRecordId(secret: string, text: string): string {
  let out = '';
  for (let block = 0; out.length < 15; block++) {
    const digest = createHmac('sha256', secret).update(`${block}\0${text}`).digest();
    for (const byte of digest) {
      if (out.length === 15) break;
      if (byte < UNBIASED_BELOW) out += LOWER_ALPHANUMERIC.charAt(byte % LOWER_ALPHANUMERIC.length);
    }
  }
  return out;
}
