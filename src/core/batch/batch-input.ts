import { isJsonObject } from '../../lib/json-merge.js';
import { ApiError } from '../errors.js';
import type { UploadedFile } from '../files/uploaded-file.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';

/** One sub-request of a batch (API.md §7). */
export interface BatchItem {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  /** Header overrides, names lower-case snake_case (Authorization is ignored). */
  readonly headers: Record<string, string>;
  readonly body: unknown;
  /** Files uploaded for this sub-request (`requests.<i>.<field>` or `requests[<i>].<field>`). */
  readonly files: readonly UploadedFile[];
}

const FILE_KEY = /^requests(?:\.(\d+)\.|\[(\d+)\]\.)(.+)$/;

/** The uploads of a multipart batch by sub-request index, under their own field keys. */
function filesByIndex(uploads: readonly UploadedFile[]): Map<number, UploadedFile[]> {
  const byIndex = new Map<number, UploadedFile[]>();
  for (const upload of uploads) {
    const m = FILE_KEY.exec(upload.field);
    if (!m?.[3]) continue;
    const index = Number(m[1] ?? m[2]);
    const list = byIndex.get(index) ?? [];
    list.push({ ...upload, field: m[3] });
    byIndex.set(index, list);
  }
  return byIndex;
}

const RECORDS_URL = /^\/api\/collections\/([^/?#]+)\/records(?:\/([^/?#]+))?\/?(?:\?(.*))?$/;

/** What a records URL of a batch names: the collection, the record id and the query. */
export interface RecordsUrl {
  readonly collection: string;
  readonly id: string | undefined;
  /** First value of each query param. */
  readonly query: Record<string, string>;
}

function firstQueryValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) if (!(k in out)) out[k] = v;
  return out;
}

/**
 * Parses `/api/collections/{c}/records[/{id}][?query]`; undefined for any other URL, and for
 * a malformed percent-escape.
 */
export function recordsUrl(url: string): RecordsUrl | undefined {
  const m = RECORDS_URL.exec(url);
  if (!m) return undefined;
  try {
    return {
      collection: decodeURIComponent(m[1] ?? ''),
      id: m[2] === undefined ? undefined : decodeURIComponent(m[2]),
      query: firstQueryValues(m[3] ?? ''),
    };
  } catch (error) {
    if (error instanceof URIError) return undefined;
    throw error;
  }
}

/** The non-empty `id` of a request body (an upsert's target), if any. */
export function bodyId(body: unknown): string | undefined {
  return typeof body === 'object' &&
    body !== null &&
    'id' in body &&
    typeof body.id === 'string' &&
    body.id !== ''
    ? body.id
    : undefined;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function isMethod(value: string): value is BatchItem['method'] {
  return (METHODS as readonly string[]).includes(value);
}

function readHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isJsonObject(value)) return out;
  for (const [key, v] of Object.entries(value)) {
    const name = key.toLowerCase().replace(/-/g, '_');
    if (typeof v === 'string' && name !== 'authorization') out[name] = v;
  }
  return out;
}

/**
 * Reads a batch body `{requests: [{method, url, headers, body}]}`. Empty or too many requests,
 * an unknown method or a URL over 2000 characters answer 400 "Invalid batch request data.".
 */
export function readBatchInput(
  body: unknown,
  maxRequests: number,
  uploads: readonly UploadedFile[] = [],
): BatchItem[] {
  const files = filesByIndex(uploads);
  const requests = isJsonObject(body) ? body.requests : undefined;
  const errors = new ErrorCollector();
  const fail = (
    path: string[],
    code: Parameters<typeof fieldError>[0],
    params?: Record<string, unknown>,
  ) => {
    errors.add(['requests', ...path], fieldError(code, params));
  };
  if (!Array.isArray(requests) || requests.length === 0) fail([], 'validation_required');
  else if (requests.length > maxRequests)
    fail([], 'validation_too_many_values', { maxSelect: maxRequests });
  const items: BatchItem[] = [];
  (Array.isArray(requests) ? requests : []).forEach((raw: unknown, i) => {
    const item = isJsonObject(raw) ? raw : {};
    const method = typeof item.method === 'string' ? item.method.toUpperCase() : '';
    const url = typeof item.url === 'string' ? item.url : '';
    if (!isMethod(method)) fail([String(i), 'method'], 'validation_invalid_value');
    if (url === '' || url.length > 2000)
      fail(
        [String(i), 'url'],
        url === '' ? 'validation_required' : 'validation_max_text_constraint',
        { max: 2000 },
      );
    if (isMethod(method))
      items.push({
        method,
        url,
        headers: readHeaders(item.headers),
        body: item.body,
        files: files.get(i) ?? [],
      });
  });
  if (errors.hasErrors)
    throw new ApiError('bad_request', errors.data, 'Invalid batch request data.');
  return items;
}
