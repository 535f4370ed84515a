import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../core/app.js';
import type { Collection } from '../core/collection/collection-model.js';
import { recordVersion } from '../core/record/record-etag.js';
import type { RecordRow } from '../core/record/record-model.js';
import { ifNoneMatchMatches, strongEntityTag } from '../lib/entity-tag.js';

/**
 * Sets a record's `ETag` on a view, create or update answer, exposed to cross-origin
 * scripts (`Access-Control-Expose-Headers`, else a browser's fetch cannot read it), and
 * returns its version (the tag's text without quotes). Lists and batch answers carry none.
 */
export function setRecordEtag(
  app: App,
  reply: FastifyReply,
  collection: Collection,
  row: RecordRow,
): string {
  const version = recordVersion(app, collection, row);
  void reply.headers({ etag: strongEntityTag(version), 'access-control-expose-headers': 'ETag' });
  return version;
}

/**
 * Whether a record view may answer 304 Not Modified (RFC 9110 §13.1.2): its If-None-Match
 * lists the record's `version` (weak comparison) or is `*`, and the body would be the record alone,
 * a function of its stored values and the requester. Not with `expand` (the related records
 * change on their own), nor while onRecordViewRequest or onRecordEnrich handlers are bound
 * (they may answer anything). The rules were checked before: a 304 tells nothing a 200 would
 * not. View answers vary with the Authorization header (`Vary`), so that a browser never
 * revalidates one user's cached answer for another.
 */
export function viewNotModified(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  version: string,
  expand: string | undefined,
): boolean {
  void reply.header('vary', 'Authorization');
  const condition = request.headers['if-none-match'];
  if (condition === undefined || (expand !== undefined && expand !== '')) return false;
  if (app.hooks.onRecordViewRequest.length > 0 || app.hooks.onRecordEnrich.length > 0) return false;
  return ifNoneMatchMatches(condition, version);
}
