import { isJsonObject, type JsonObject } from '../../lib/json-merge.js';
import type { AuthCollection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { configuredProvider } from '../oauth2/oauth2-resolve.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';

/** The `auth-with-oauth2` body (API.md §4). */
export interface OAuth2Form {
  readonly provider: string;
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectURL: string;
  readonly createData: JsonObject;
}

const LIMITS = { provider: 100, code: 4096, codeVerifier: 255, redirectURL: 2048 } as const;

function readText(
  input: JsonObject,
  key: keyof typeof LIMITS,
  errors: ErrorCollector,
  required: boolean,
  fallbackKey?: string,
): string {
  let value = input[key];
  if ((value === undefined || value === '') && fallbackKey) value = input[fallbackKey];
  if (value === undefined || value === null || value === '') {
    if (required) errors.add([key], fieldError('validation_required'));
    return '';
  }
  if (typeof value !== 'string') {
    errors.add([key], fieldError('validation_is_string'));
    return '';
  }
  if (value.length > LIMITS[key]) {
    errors.add([key], fieldError('validation_max_text_constraint', { max: LIMITS[key] }));
    return '';
  }
  return value;
}

/**
 * Reads the `auth-with-oauth2` form: `provider` (one the collection configures), `code` and
 * `redirectURL` (or the legacy `redirectUrl`) are required, `codeVerifier` and `createData`
 * (an object) optional. Problems answer 400 "An error occurred while loading the submitted
 * data." with every field error at once.
 */
export function readOAuth2Form(body: unknown, collection: AuthCollection): OAuth2Form {
  const input = isJsonObject(body) ? body : {};
  const errors = new ErrorCollector();
  const provider = readText(input, 'provider', errors, true);
  if (provider !== '' && !configuredProvider(collection, provider)) {
    errors.add(['provider'], fieldError('validation_invalid_provider', { name: provider }));
  }
  const code = readText(input, 'code', errors, true);
  const codeVerifier = readText(input, 'codeVerifier', errors, false);
  const redirectURL = readText(input, 'redirectURL', errors, true, 'redirectUrl');
  const createData = input.createData ?? {};
  if (!isJsonObject(createData)) {
    errors.add(['createData'], fieldError('validation_invalid_type'));
  }
  if (errors.hasErrors) throw new ApiError('oauth2_form_invalid', errors.data);
  return {
    provider,
    code,
    codeVerifier,
    redirectURL,
    createData: isJsonObject(createData) ? createData : {},
  };
}
