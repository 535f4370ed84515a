import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lib/json/canonical-json.js';
import type { AuthContext } from '../auth/auth-context.js';
import { ApiError } from '../errors.js';
import type { UploadedFile } from '../files/uploaded-file.js';

/**
 * How a route or a collection's creates take the `Idempotency-Key` header: `required` refuses
 * a request without it (400), `optional` uses it when given.
 */
export type IdempotencyMode = 'required' | 'optional';

/** The modes, for validation. */
export const IDEMPOTENCY_MODES: readonly IdempotencyMode[] = ['required', 'optional'];

/** The request header (draft-ietf-httpapi-idempotency-key-header). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** The response header of a replayed answer. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/** A key is 1 to 255 printable ASCII characters (space to tilde). */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/**
 * The key of a request from its header value: undefined when there is none and the mode is
 * `optional`; 400 when it is missing and `required`, repeated, or not 1 to 255 printable
 * ASCII characters.
 */
export function readIdempotencyKey(
  header: string | string[] | undefined,
  mode: IdempotencyMode,
): string | undefined {
  if (header === undefined) {
    if (mode === 'required') throw new ApiError('idempotency_key_required');
    return undefined;
  }
  if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
    throw new ApiError('idempotency_key_invalid');
  }
  return header;
}

/** Whose keys a key belongs to: the auth record (collection id and record id) or `guest`. */
export function idempotencyScope(auth: AuthContext | null | undefined): string {
  return auth ? `${auth.collection.id}/${String(auth.record.id)}` : 'guest';
}

/** The stored row id of a key in a scope: a SHA-256, so any key fits every engine's key column. */
export function idempotencyRowId(scope: string, key: string): string {
  return sha256(JSON.stringify([scope, key]));
}

/** What makes two requests "the same request" for a key. */
export interface RequestFacts {
  readonly method: string;
  /** Path and query string, as received. */
  readonly url: string;
  /** The parsed body (JSON, form or multipart text parts); undefined when none. */
  readonly body: unknown;
  /** The file parts of a multipart body. */
  readonly files?: readonly UploadedFile[] | undefined;
}

/**
 * The fingerprint of a request: SHA-256 over its method, URL, the canonical JSON of its
 * parsed body (key order does not matter) and, for multipart bodies, each file part's field,
 * name, type and content hash, in order.
 */
export function requestFingerprint(facts: RequestFacts): string {
  const files = (facts.files ?? []).map((f) => [f.field, f.filename, f.mimetype, sha256(f.data)]);
  return sha256(
    canonicalJson([facts.method.toUpperCase(), facts.url, canonicalJson(facts.body), files]),
  );
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
