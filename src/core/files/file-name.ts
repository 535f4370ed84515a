import { LOWER_ALPHANUMERIC, randomString } from '../../lib/security/random.js';

const MAX_BASE = 100;
const MIN_BASE = 3;
const MAX_EXT = 20;
const RESERVED_EXT = 'attrs';

/** A name's words in snake_case, ASCII letters and digits only (accents are dropped). */
function snakeCase(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

function extensionOf(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '').slice(0, MAX_EXT);
}

/**
 * The stored name of an upload (API.md §1.3): the client's base name in snake_case (3 to 100
 * characters, padded with random characters when shorter), `_`, 10 random `[a-z0-9]`, and
 * the lower-cased extension. Only `[a-z0-9_.]` survive, so no path separator, control,
 * bidi or look-alike character can reach a storage key, a header or a URL.
 */
export function storedFileName(original: string): string {
  const base = original.replace(/^.*[\\/]/, '');
  const found = base.lastIndexOf('.');
  // `.attrs` is the local storage's metadata suffix: such a name keeps it in its base instead.
  const reserved = found > 0 && base.slice(found + 1).toLowerCase() === RESERVED_EXT;
  const dot = reserved ? -1 : found;
  const stem = dot > 0 ? base.slice(0, dot) : base;
  const ext = dot > 0 ? extensionOf(base.slice(dot + 1)) : '';
  let name = snakeCase(stem).slice(0, MAX_BASE).replace(/_+$/, '');
  if (name.length < MIN_BASE) name += randomString(MIN_BASE + 7 - name.length, LOWER_ALPHANUMERIC);
  const suffix = randomString(10, LOWER_ALPHANUMERIC);
  return ext === '' ? `${name}_${suffix}` : `${name}_${suffix}.${ext.toLowerCase()}`;
}
