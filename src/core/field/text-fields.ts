import type { DomainOptions } from './field-model.js';
import type { OptionReader } from './option-reader.js';
import { randomFromPattern, UnsupportedPatternError } from '../../lib/text/pattern-random.js';
import { DEFAULT_LIMITS, readDomains, type FieldTypeDef } from './field-type-def.js';

/** An autogenerate pattern must be one that Basalt can generate values from. */
function readAutogeneratePattern(o: OptionReader): string {
  const pattern = o.pattern('autogeneratePattern');
  if (pattern === '') return '';
  try {
    randomFromPattern(pattern);
    return pattern;
  } catch (error) {
    if (!(error instanceof UnsupportedPatternError)) throw error;
    o.fail('autogeneratePattern', 'validation_invalid_format');
    return '';
  }
}

/** `text`: plain text with length bounds, a pattern and an autogenerate pattern. */
export const textFieldDef: FieldTypeDef<'text'> = {
  type: 'text',
  read(common, o) {
    const min = o.int('min', 0, { min: 0, max: 1_000_000_000 });
    const max = o.int('max', 0, { min: 0, max: 1_000_000_000 });
    if (max > 0 && min > max) o.fail('max', 'validation_min_number_constraint', { min });
    return {
      ...common,
      type: 'text',
      min,
      max,
      pattern: o.pattern('pattern'),
      autogeneratePattern: readAutogeneratePattern(o),
      required: o.bool('required'),
      primaryKey: o.bool('primaryKey'),
      help: o.string('help'),
    };
  },
};

/** The options email and URL fields share: restrictions by domain. */
function readDomainOptions(o: OptionReader): DomainOptions {
  const exceptDomains = readDomains(o, 'exceptDomains');
  const onlyDomains = readDomains(o, 'onlyDomains');
  if (exceptDomains.length > 0 && onlyDomains.length > 0) {
    o.fail('onlyDomains', 'validation_invalid_option');
  }
  return { exceptDomains, onlyDomains, required: o.bool('required'), help: o.string('help') };
}

/** `email`: an email address, optionally limited to or excluding domains. */
export const emailFieldDef: FieldTypeDef<'email'> = {
  type: 'email',
  read: (common, o) => ({ ...common, ...readDomainOptions(o), type: 'email' }),
};

/** `url`: a URL, optionally limited to or excluding domains. */
export const urlFieldDef: FieldTypeDef<'url'> = {
  type: 'url',
  read: (common, o) => ({ ...common, ...readDomainOptions(o), type: 'url' }),
};

/** `editor`: rich text up to `maxSize` bytes (0 = 5 MiB). */
export const editorFieldDef: FieldTypeDef<'editor'> = {
  type: 'editor',
  read(common, o) {
    return {
      ...common,
      type: 'editor',
      maxSize: o.int('maxSize', 0, { min: 0, max: Number.MAX_SAFE_INTEGER }),
      convertURLs: o.bool('convertURLs'),
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
};

/** `password`: a hashed secret of `min`..`max` characters (max at most 71, 0 = 71). */
export const passwordFieldDef: FieldTypeDef<'password'> = {
  type: 'password',
  read(common, o) {
    const min = o.int('min', 0, { min: 0, max: DEFAULT_LIMITS.passwordMax });
    const max = o.int('max', 0, { min: 0, max: DEFAULT_LIMITS.passwordMax });
    if (max > 0 && min > max) o.fail('max', 'validation_min_number_constraint', { min });
    const cost = o.int('cost', 0, { min: 0, max: 31 });
    if (cost !== 0 && cost < 4) o.fail('cost', 'validation_min_number_constraint', { min: 4 });
    return {
      ...common,
      type: 'password',
      min,
      max,
      pattern: o.pattern('pattern'),
      cost,
      required: o.bool('required'),
      help: o.string('help'),
    };
  },
};
