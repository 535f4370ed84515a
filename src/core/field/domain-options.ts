import type { FieldError } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import type { OptionReader } from './option-reader.js';

/** Options of email and URL fields: restrictions by domain. */
export interface DomainOptions {
  exceptDomains: string[];
  onlyDomains: string[];
  required: boolean;
  help: string;
}

/** Host names as accepted in `onlyDomains` / `exceptDomains`. */
const DOMAIN_RE =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** Reads a domain list option, recording an error for an entry that is not a host name. */
function readDomains(options: OptionReader, key: string): string[] {
  const domains = options.strings(key, 1000, 253);
  if (domains.some((d) => !DOMAIN_RE.test(d))) {
    options.fail(key, 'validation_invalid_value');
    return [];
  }
  return domains;
}

/** Reads `exceptDomains`, `onlyDomains` (not both), `required` and `help`. */
export function readDomainOptions(o: OptionReader): DomainOptions {
  const exceptDomains = readDomains(o, 'exceptDomains');
  const onlyDomains = readDomains(o, 'onlyDomains');
  if (exceptDomains.length > 0 && onlyDomains.length > 0) {
    o.fail('onlyDomains', 'validation_invalid_option');
  }
  return { exceptDomains, onlyDomains, required: o.bool('required'), help: o.string('help') };
}

/** Whether the field's domain options allow `host` (compared without case). */
export function domainAllowed(
  host: string,
  f: DomainOptions,
  email: boolean,
): FieldError | undefined {
  const h = host.toLowerCase();
  const matches = (d: string) => h === d.toLowerCase();
  const code = email ? 'validation_email_domain_not_allowed' : 'validation_url_domain_not_allowed';
  if (f.exceptDomains.some(matches)) return fieldError(code);
  if (f.onlyDomains.length > 0 && !f.onlyDomains.some(matches)) return fieldError(code);
  return undefined;
}
