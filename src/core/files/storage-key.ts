/**
 * The one check of storage keys and prefixes, shared by every FileStorage driver so that a
 * key one driver accepts is a key every driver accepts (files can move between them).
 *
 * Keys are produced by Basalt from validated names; this is defence in depth against a bug
 * turning client text into a path: a refused key throws before anything is touched.
 */

/** S3's key limit (UTF-8 bytes); also keeps local paths well under PATH_MAX. */
const MAX_KEY_BYTES = 1024;
/**
 * Per segment (a folder or file name): NAME_MAX is 255 bytes on common file systems, and the
 * local driver keeps a `<name>.attrs` sidecar next to each object.
 */
const MAX_SEGMENT_BYTES = 240;
/** The local driver's sidecar suffix (the Go CDK fileblob layout PocketBase uses): reserved. */
export const RESERVED_SUFFIX = '.attrs';

// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
/** In a `u` regex a surrogate code unit matches only when it is not half of a pair. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** A refused key or prefix; the message names the rule, never echoes the key. */
export class InvalidStorageKeyError extends Error {
  constructor(reason: string) {
    super(`Invalid storage key: ${reason}.`);
    this.name = 'InvalidStorageKeyError';
  }
}

function checkText(text: string, what: string): void {
  if (text === '') throw new InvalidStorageKeyError(`empty ${what}`);
  if (Buffer.byteLength(text, 'utf8') > MAX_KEY_BYTES)
    throw new InvalidStorageKeyError(`the ${what} is longer than ${MAX_KEY_BYTES} bytes`);
  if (text.startsWith('/')) throw new InvalidStorageKeyError(`absolute ${what}`);
  if (text.includes('\\')) throw new InvalidStorageKeyError(`backslash in the ${what}`);
  if (CONTROL_CHARS.test(text))
    throw new InvalidStorageKeyError(`control character in the ${what}`);
  if (LONE_SURROGATE.test(text))
    throw new InvalidStorageKeyError(`unpaired surrogate in the ${what}`);
}

function checkSegment(segment: string): void {
  if (segment === '') throw new InvalidStorageKeyError('empty path segment');
  if (segment === '.' || segment === '..')
    throw new InvalidStorageKeyError('relative path segment');
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES)
    throw new InvalidStorageKeyError(`a path segment is longer than ${MAX_SEGMENT_BYTES} bytes`);
}

/**
 * Checks an object key (`<collectionId>/<recordId>/<filename>`: relative, `/`-separated, no
 * empty, `.` or `..` segments, no backslash or control characters, the last segment not ending
 * in `.attrs`) and returns its segments.
 */
export function storageKeySegments(key: string): string[] {
  checkText(key, 'key');
  const segments = key.split('/');
  for (const segment of segments) checkSegment(segment);
  if (segments[segments.length - 1]?.endsWith(RESERVED_SUFFIX))
    throw new InvalidStorageKeyError(`the ${RESERVED_SUFFIX} file extension is reserved`);
  return segments;
}

/**
 * Checks a prefix for `deletePrefix`: the rules of a key, except that it may end with `/`
 * (a folder) and its last segment may be any start of a name. Returns the complete folder
 * segments and the partial last segment (`''` when the prefix ends with `/`).
 */
export function storagePrefixParts(prefix: string): { folders: string[]; partial: string } {
  checkText(prefix, 'prefix');
  const segments = prefix.split('/');
  const partial = segments.pop() ?? '';
  for (const segment of segments) checkSegment(segment);
  if (partial !== '') checkSegment(partial);
  return { folders: segments, partial };
}
