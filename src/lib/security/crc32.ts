import { crc32 } from 'node:zlib';

/** CRC32 (IEEE) of a UTF-8 string as an unsigned decimal string, as PocketBase ids use it. */
export function crc32Decimal(text: string): string {
  return String(crc32(text) >>> 0);
}
