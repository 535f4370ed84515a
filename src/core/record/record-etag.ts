import { createHmac } from 'node:crypto';
import { ifMatchPasses, strongEntityTag } from '../../lib/entity-tag.js';
import type { App } from '../app.js';
import { perCollection } from '../collection/collection-memo.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import { fromStoredValue } from '../field/field-value-store.js';
import type { RecordRow } from './record-model.js';

// A record's ETag is a strong validator of its stored version (RFC 9110 §8.8.3): a keyed hash
// of every field's stored value, in field-name order. Values are read through each field
// type's `fromStored`, so the same stored values give the same tag on every engine (a bool
// read back as `true` on PostgreSQL and `1` elsewhere, a row as written and as read). The
// hash is keyed (record-etag-key.ts): hidden fields, emails and password hashes take part, and
// a plain hash would let a reader who sees the other fields test guesses of them offline.

const fieldsByName = perCollection((collection: Collection) =>
  [...collection.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
);

/** 144 bits of the HMAC: 24 base64url characters. */
const TAG_BYTES = 18;

/** The opaque text of a record's ETag (without quotes): a keyed hash of its stored values. */
export function recordVersion(app: App, collection: Collection, row: RecordRow): string {
  const values = fieldsByName(collection).map((f) => [f.name, fromStoredValue(f, row[f.name])]);
  return createHmac('sha256', app.recordEtagKey)
    .update(JSON.stringify(values))
    .digest()
    .subarray(0, TAG_BYTES)
    .toString('base64url');
}

/** A record's `ETag` header value: its stored version as a strong entity-tag, quoted. */
export function recordEtag(app: App, collection: Collection, row: RecordRow): string {
  return strongEntityTag(recordVersion(app, collection, row));
}

/**
 * Checks a write's If-Match precondition (RFC 9110 §13.1.1) against the record as the write
 * read it, inside its transaction with the row locked: nothing to check without a header;
 * `*` passes when the record exists, a list when one of its strong tags is the record's
 * current one. Otherwise, a weak or malformed tag included, 412 `precondition_failed`.
 * Callers check the rules first, so a requester who may not see the record gets its 404.
 */
export function assertIfMatch(
  app: App,
  collection: Collection,
  row: RecordRow | undefined,
  ifMatch: string | undefined,
): void {
  if (ifMatch === undefined) return;
  const current = row === undefined ? undefined : recordVersion(app, collection, row);
  if (!ifMatchPasses(ifMatch, current)) throw new ApiError('precondition_failed');
}
