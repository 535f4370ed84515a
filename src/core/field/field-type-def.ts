import type { FieldCommon, FieldOf, FieldType } from './field-model.js';
import type { OptionReader } from './option-reader.js';

/**
 * What Basalt knows about one field type: how to read its options from JSON input (filling
 * defaults, recording errors). Value casting and validation join this in the records layer.
 */
export interface FieldTypeDef<T extends FieldType> {
  readonly type: T;
  read(common: FieldCommon, options: OptionReader): FieldOf<T>;
}

/** Default size limits that a `0` option stands for. */
export const DEFAULT_LIMITS = {
  textMax: 5000,
  editorMaxSize: 5 * 1024 * 1024,
  fileMaxSize: 5 * 1024 * 1024,
  jsonMaxSize: 1024 * 1024,
  passwordMax: 71,
} as const;

/** Host names as accepted in `onlyDomains` / `exceptDomains`. */
const DOMAIN_RE =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Reads a domain list option, recording an error for an entry that is not a host name. */
export function readDomains(options: OptionReader, key: string): string[] {
  const domains = options.strings(key, 1000, 253);
  if (domains.some((d) => !DOMAIN_RE.test(d))) {
    options.fail(key, 'validation_invalid_value');
    return [];
  }
  return domains;
}
