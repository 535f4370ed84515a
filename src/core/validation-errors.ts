import { isFieldError, type ErrorData, type FieldError } from './errors.js';

/** Default messages of the validation codes that API.md §0 lists, and Basalt's own ones. */
export const VALIDATION_MESSAGES = {
  validation_required: 'Cannot be blank.',
  validation_nil_or_not_empty_required: 'Cannot be an empty string.',
  validation_not_unique: 'Value must be unique.',
  validation_min_text_constraint: 'Must be at least {min} character(s).',
  validation_max_text_constraint: 'Must be less than {max} character(s).',
  validation_invalid_format: 'Invalid value format.',
  validation_is_email: 'Must be a valid email address.',
  validation_is_url: 'Must be a valid URL.',
  validation_is_host: 'Must be a valid IP address or DNS name.',
  validation_invalid_cron: 'Invalid cron expression.',
  validation_conflicting_rate_limit_rule:
    'Rate limit rule configuration with label {label} already exists or conflicts with another rule.',
  validation_email_domain_not_allowed: 'Email domain is not allowed.',
  validation_invalid_url: 'Must be a valid url.',
  validation_url_domain_not_allowed: 'Url domain is not allowed.',
  validation_not_a_number: 'Must be a valid number.',
  validation_min_number_constraint: 'Must be larger than {min}.',
  validation_max_number_constraint: 'Must be less than {max}.',
  validation_only_int_constraint: 'Decimal numbers are not allowed.',
  validation_invalid_value: 'Invalid value.',
  validation_too_many_values: 'Select no more than {maxSelect}.',
  validation_not_enough_values: 'Select at least {minSelect}.',
  validation_missing_rel_records: 'Failed to find all relation records with the provided ids.',
  validation_invalid_json: 'Must be a valid json value.',
  validation_invalid_file: 'Invalid file value or missing file.',
  validation_too_many_files: 'Too many files (max {maxSelect}).',
  validation_file_size_limit: 'The file is larger than {maxSize} bytes.',
  validation_invalid_mime_type: 'The file type is not allowed.',
  validation_json_size_limit: 'The maximum allowed JSON size is {maxSize} bytes.',
  validation_values_mismatch: 'Values don’t match.',
  validation_invalid_old_password: 'Missing or invalid old password.',
  validation_pk_invalid: 'The record primary key is invalid or already exists.',
  validation_pk_change: 'The record primary key cannot be changed.',
  validation_invalid_auth_id: 'Invalid or duplicated auth record id.',
  validation_invalid_date: 'Must be a valid datetime.',
  validation_min_date_constraint: 'Must be no earlier than {min}.',
  validation_max_date_constraint: 'Must be no later than {max}.',
  validation_invalid_type: 'Invalid value type.',
  validation_invalid_name: 'Invalid name.',
  validation_reserved_name: 'The name is reserved.',
  validation_found_via: 'The value cannot contain "_via_".',
  validation_duplicated_name: 'Duplicated or invalid name.',
  validation_collection_name_exists: 'Collection name must be unique (case insensitive).',
  validation_collection_id_exists: 'Collection id is already in use.',
  validation_unknown_field_type: 'Unknown field type.',
  validation_field_type_change: 'The type of an existing field cannot be changed.',
  validation_system_change: 'System collections and fields cannot be changed this way.',
  validation_invalid_rule: 'Invalid rule.',
  validation_invalid_index: 'Invalid index definition.',
  validation_missing_collection: 'The related collection does not exist.',
  validation_invalid_option: 'Invalid option.',
  validation_invalid_token: 'Invalid or expired token.',
  validation_invalid_password: 'Missing or invalid auth record password.',
  validation_is_string: 'Must be a string.',
  validation_length_out_of_range: 'The length must be between {min} and {max}.',
  validation_length_too_long: 'The length must be no more than {max}.',
  validation_nil: 'Must be blank.',
  validation_indexes_not_supported: "View collections don't support indexes.",
  validation_invalid_view_query: 'Invalid query.',
  validation_relation_field_non_view_base_collection:
    'Only view collections are allowed to have relations to other views.',
  validation_invalid_provider: 'Provider with name {name} is missing or is not enabled.',
  validation_duplicated_provider: 'The provider {name} is already registered.',
} as const;

/** A validation error code with a default message. */
export type ValidationCode = keyof typeof VALIDATION_MESSAGES;

/**
 * Builds a field error. `{name}` placeholders in the default message are filled from `params`;
 * `message` overrides the default for errors whose text depends on the case.
 */
export function fieldError(
  code: ValidationCode,
  params?: Record<string, unknown>,
  message?: string,
): FieldError {
  let text: string = message ?? VALIDATION_MESSAGES[code];
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, key: string) =>
      key in params ? String(params[key]) : whole,
    );
  }
  return params && Object.keys(params).length > 0
    ? { code, message: text, params }
    : { code, message: text };
}

/**
 * Collects field errors at nested paths while a validator walks an input, so that every
 * problem is reported at once rather than the first only.
 */
export class ErrorCollector {
  readonly data: ErrorData = {};

  /** Records an error at `path` (e.g. `['fields', '2', 'name']`); the first error per path wins. */
  add(path: readonly string[], error: FieldError): void {
    if (path.length === 0) throw new RangeError('ErrorCollector.add: empty path');
    let node: ErrorData = this.data;
    for (const key of path.slice(0, -1)) {
      const next: FieldError | ErrorData | undefined = node[key];
      if (next === undefined) {
        const created: ErrorData = {};
        node[key] = created;
        node = created;
      } else if (isFieldError(next)) {
        return;
      } else {
        node = next;
      }
    }
    const last = path[path.length - 1] ?? '';
    node[last] ??= error;
  }

  /** True when at least one error was recorded. */
  get hasErrors(): boolean {
    return Object.keys(this.data).length > 0;
  }
}
