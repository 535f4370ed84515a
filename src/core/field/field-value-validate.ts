import { jsonValueProblem } from '../../lib/json/index.js';
import { isEmail } from '../../lib/text/email.js';
import type { FieldError } from '../errors.js';
import { fieldError } from '../validation-errors.js';
import type {
  DateField,
  DomainOptions,
  Field,
  FileField,
  JsonField,
  NumberField,
  PasswordField,
  RelationField,
  SelectField,
  TextField,
} from './field-model.js';
import { isMultiValue } from './field-model.js';
import { DEFAULT_LIMITS } from './field-type-def.js';
import { valueBehaviourOf } from './field-registry.js';
import { InvalidCast } from './field-value-primitives.js';

/** Length in code points: a surrogate pair counts once. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff) n++;
  }
  return n;
}

function checkLength(text: string, min: number, max: number): FieldError | undefined {
  // A code point is one or two UTF-16 units, so between length/2 and length of them: count
  // them only when those bounds do not decide (a 500-character body costs 19,000
  // instructions to count).
  const units = text.length;
  const decided = (min <= 0 || Math.ceil(units / 2) >= min) && (max <= 0 || units <= max);
  const length = decided ? units : codePoints(text);
  if (min > 0 && length < min) return fieldError('validation_min_text_constraint', { min });
  if (max > 0 && length > max) return fieldError('validation_max_text_constraint', { max });
  return undefined;
}

function checkPattern(text: string, pattern: string): FieldError | undefined {
  if (pattern === '' || new RegExp(pattern, 'u').test(text)) return undefined;
  return fieldError('validation_invalid_format');
}

function validateText(f: TextField, v: string): FieldError | undefined {
  if (v === '') return f.required ? fieldError('validation_required') : undefined;
  return (
    checkLength(v, f.min, f.max > 0 ? f.max : DEFAULT_LIMITS.textMax) ?? checkPattern(v, f.pattern)
  );
}

function domainAllowed(host: string, f: DomainOptions, email: boolean): FieldError | undefined {
  const h = host.toLowerCase();
  const matches = (d: string) => h === d.toLowerCase();
  const code = email ? 'validation_email_domain_not_allowed' : 'validation_url_domain_not_allowed';
  if (f.exceptDomains.some(matches)) return fieldError(code);
  if (f.onlyDomains.length > 0 && !f.onlyDomains.some(matches)) return fieldError(code);
  return undefined;
}

function validateEmail(f: DomainOptions, v: string): FieldError | undefined {
  if (v === '') return f.required ? fieldError('validation_required') : undefined;
  if (!isEmail(v)) return fieldError('validation_is_email');
  return domainAllowed(v.slice(v.lastIndexOf('@') + 1), f, true);
}

function validateUrl(f: DomainOptions, v: string): FieldError | undefined {
  if (v === '') return f.required ? fieldError('validation_required') : undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return fieldError('validation_invalid_url');
  }
  if (url.hostname === '' || v.length > 2000) return fieldError('validation_invalid_url');
  return domainAllowed(url.hostname, f, false);
}

function validateNumber(f: NumberField, v: number): FieldError | undefined {
  // A zero is "empty": it only fails `required` and skips the other checks (API.md §3.2).
  if (v === 0) return f.required ? fieldError('validation_required') : undefined;
  if (!Number.isFinite(v)) return fieldError('validation_not_a_number');
  if (f.onlyInt && !Number.isInteger(v)) return fieldError('validation_only_int_constraint');
  if (f.min !== null && v < f.min)
    return fieldError('validation_min_number_constraint', { min: f.min });
  if (f.max !== null && v > f.max)
    return fieldError('validation_max_number_constraint', { max: f.max });
  return undefined;
}

function validateDate(f: DateField, v: string): FieldError | undefined {
  if (v === '') return f.required ? fieldError('validation_required') : undefined;
  if (f.min !== '' && v < f.min)
    return fieldError('validation_min_date_constraint', { min: f.min });
  if (f.max !== '' && v > f.max)
    return fieldError('validation_max_date_constraint', { max: f.max });
  return undefined;
}

function validateSelect(f: SelectField, v: string[]): FieldError | undefined {
  if (v.length === 0) return f.required ? fieldError('validation_required') : undefined;
  if (v.some((item) => !f.values.includes(item))) return fieldError('validation_invalid_value');
  const max = Math.max(f.maxSelect, 1);
  if (v.length > max) return fieldError('validation_too_many_values', { maxSelect: max });
  return undefined;
}

function validateRelation(f: RelationField, v: string[]): FieldError | undefined {
  if (v.length === 0)
    return f.required || f.minSelect > 0 ? fieldError('validation_required') : undefined;
  if (f.minSelect > 0 && v.length < f.minSelect)
    return fieldError('validation_not_enough_values', { minSelect: f.minSelect });
  const max = isMultiValue(f) ? f.maxSelect : 1;
  if (v.length > max) return fieldError('validation_too_many_values', { maxSelect: max });
  return undefined;
}

function validateFileList(f: FileField, v: string[]): FieldError | undefined {
  if (v.length === 0) return f.required ? fieldError('validation_required') : undefined;
  const max = isMultiValue(f) ? f.maxSelect : 1;
  if (v.length > max) return fieldError('validation_too_many_values', { maxSelect: max });
  return undefined;
}

function isEmptyJson(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

function validateJson(f: JsonField, v: unknown): FieldError | undefined {
  if (isEmptyJson(v)) return f.required ? fieldError('validation_required') : undefined;
  // Before the size check: JSON.stringify overflows the stack on deeply nested values.
  if (jsonValueProblem(v) !== undefined) return fieldError('validation_invalid_value');
  const max = f.maxSize > 0 ? f.maxSize : DEFAULT_LIMITS.jsonMaxSize;
  if (Buffer.byteLength(JSON.stringify(v)) > max)
    return fieldError('validation_json_size_limit', { maxSize: max });
  return undefined;
}

function validatePassword(f: PasswordField, v: string): FieldError | undefined {
  if (v === '') return f.required ? fieldError('validation_required') : undefined;
  const max = f.max > 0 ? f.max : DEFAULT_LIMITS.passwordMax;
  // bcrypt-compatible limit: the bytes, not the characters, must fit.
  if (Buffer.byteLength(v) > max) return fieldError('validation_max_text_constraint', { max });
  return checkLength(v, f.min, 0) ?? checkPattern(v, f.pattern);
}

/**
 * Checks a cast value against its field's options (API.md §3.2: `required` means non-zero;
 * a zero number skips min/max). Relation targets and uploaded files are checked elsewhere,
 * since they need the database or the upload.
 */
export function validateFieldValue(field: Field, value: unknown): FieldError | undefined {
  if (value instanceof InvalidCast) return fieldError(value.code);
  const own = valueBehaviourOf(field);
  if (own) return own.validate(field, value);
  const text = typeof value === 'string' ? value : '';
  // Only list fields read their value as strings: String() of a deeply nested json array
  // recurses as deep as the array.
  const list = (): string[] => (Array.isArray(value) ? value.map(String) : []);
  switch (field.type) {
    case 'text':
      return validateText(field, text);
    case 'email':
      return validateEmail(field, text);
    case 'url':
      return validateUrl(field, text);
    case 'editor': {
      if (text === '') return field.required ? fieldError('validation_required') : undefined;
      const max = field.maxSize > 0 ? field.maxSize : DEFAULT_LIMITS.editorMaxSize;
      return Buffer.byteLength(text) > max
        ? fieldError('validation_max_text_constraint', { max })
        : undefined;
    }
    case 'number':
      return validateNumber(field, typeof value === 'number' ? value : 0);
    case 'date':
      return validateDate(field, text);
    case 'select':
      return validateSelect(field, list());
    case 'relation':
      return validateRelation(field, list());
    case 'file':
      return validateFileList(field, list());
    case 'json':
      return validateJson(field, value);
    case 'password':
      return validatePassword(field, text);
    default:
      return undefined;
  }
}
