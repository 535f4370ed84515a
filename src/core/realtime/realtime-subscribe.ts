import { isJsonObject } from '../../lib/json-merge.js';
import { ApiError, type ErrorData } from '../errors.js';
import { fieldError } from '../validation-errors.js';

/** Limits of the subscription form (API.md §5.2). */
const MAX_CLIENT_ID = 255;
const MAX_TOPICS = 1000;
const MAX_TOPIC_LENGTH = 2500;

/** A valid subscription form. */
export interface SubscribeForm {
  readonly clientId: string;
  /** Non-empty subscriptions, as submitted, without duplicates. */
  readonly subscriptions: readonly string[];
}

/** A multipart form repeats a key for a list and sends one value without brackets. */
function listOf(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value as unknown[];
  return typeof value === 'string' ? [value] : undefined;
}

function clientIdErrors(value: unknown, data: ErrorData): void {
  if (value === undefined || value === null || value === '') {
    data.clientId = fieldError('validation_required');
  } else if (typeof value !== 'string') {
    data.clientId = fieldError('validation_is_string');
  } else if (value.length > MAX_CLIENT_ID) {
    data.clientId = fieldError('validation_length_out_of_range', { min: 1, max: MAX_CLIENT_ID });
  }
}

function subscriptionErrors(list: unknown[] | undefined, data: ErrorData): void {
  if (!list) {
    data.subscriptions = fieldError('validation_invalid_value');
    return;
  }
  if (list.length > MAX_TOPICS) {
    data.subscriptions = fieldError('validation_length_too_long', { max: MAX_TOPICS });
    return;
  }
  const items: ErrorData = {};
  list.forEach((item, i) => {
    if (typeof item !== 'string') items[String(i)] = fieldError('validation_is_string');
    else if (item.length > MAX_TOPIC_LENGTH)
      items[String(i)] = fieldError('validation_length_too_long', { max: MAX_TOPIC_LENGTH });
  });
  if (Object.keys(items).length > 0) data.subscriptions = items;
}

/**
 * Reads `{clientId, subscriptions}` (API.md §5.2): 400 with field errors when invalid. Empty
 * topics are ignored, and so are topics holding a line break, which could not be an SSE
 * event name (they would forge other events).
 */
export function readSubscribeForm(body: unknown): SubscribeForm {
  const input = isJsonObject(body) ? body : {};
  const data: ErrorData = {};
  clientIdErrors(input.clientId, data);
  const list = listOf(input.subscriptions);
  subscriptionErrors(list, data);
  if (Object.keys(data).length > 0) throw new ApiError('bad_request', data);
  const topics = (list ?? []).filter(
    (t): t is string => typeof t === 'string' && t !== '' && !/[\r\n]/.test(t),
  );
  return { clientId: String(input.clientId), subscriptions: [...new Set(topics)] };
}
