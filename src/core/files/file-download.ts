import type { App } from '../app.js';
import { isSuperuser, type AuthContext } from '../auth/auth-context.js';
import { verifyToken } from '../auth/auth-token.js';
import type { Collection } from '../collection/collection-model.js';
import { ApiError } from '../errors.js';
import type { FileField } from '../field/file-field.js';
import { storedRecordPasses } from '../record/record-access.js';
import { findRecordRow } from '../record/record-read.js';
import type { RecordRow } from '../record/record-model.js';
import { internalRequest, toRuleRequest } from '../record/record-request.js';
import { fromStoredValue } from '../field/field-value-store.js';
import { fileKey, thumbKey } from './file-keys.js';
import type { StoredObjectInfo } from './file-storage.js';
import { thumbAllowed } from './file-thumbs.js';
import { viewFileOwner } from './view-file-owner.js';

/** What a download asks for (API.md §6). */
export interface DownloadRequest {
  readonly collection: string;
  readonly recordId: string;
  readonly filename: string;
  /** `?thumb=`; '' for the original. */
  readonly thumb: string;
  /** `?token=` (a file token); '' for none. The Authorization header is not used. */
  readonly token: string;
}

/** A file to serve: its storage key, facts, the name to show, and whether it is protected. */
export interface FileDownload {
  /** The collection the file was asked of (a view's, for a view's file). */
  readonly collection: Collection;
  readonly key: string;
  readonly info: StoredObjectInfo;
  readonly filename: string;
  readonly protected: boolean;
}

function fileFieldOf(collection: Collection, row: RecordRow, name: string): FileField | undefined {
  for (const field of collection.fields) {
    if (field.type !== 'file') continue;
    const value = fromStoredValue(field, row[field.name]);
    const names = Array.isArray(value) ? value : [value];
    if (names.includes(name)) return field;
  }
  return undefined;
}

/**
 * Protected files (API.md §6): the collection's viewRule in the `protectedFile` context, with
 * the file token's record as `@request.auth`; anything else is a 404 like a missing file.
 */
async function assertMayRead(
  app: App,
  collection: Collection,
  recordId: string,
  token: string,
): Promise<void> {
  const found = token === '' ? undefined : await verifyToken(app, token, 'file');
  const auth: AuthContext | undefined = found ? { ...found, token } : undefined;
  if (isSuperuser(auth)) return;
  const rule = collection.viewRule;
  const request = toRuleRequest({ ...internalRequest(auth), context: 'protectedFile' });
  const passes =
    rule !== null &&
    (await storedRecordPasses(app, app.db.db, collection, recordId, rule, request));
  if (!passes) throw new ApiError('not_found');
}

/**
 * Resolves a download: the record must hold the file in one of its file fields, protected
 * files must pass the view rule, and an allowed `thumb` is served (made on first use) instead
 * of the original when it can be made. Every refusal is the same 404.
 */
export async function resolveDownload(app: App, req: DownloadRequest): Promise<FileDownload> {
  const collection = app.collections.find(req.collection);
  if (!collection) throw new ApiError('not_found');
  const row = await findRecordRow(app.db.db, collection, req.recordId);
  const field = row ? fileFieldOf(collection, row, req.filename) : undefined;
  if (!row || !field) throw new ApiError('not_found');
  if (field.protected) await assertMayRead(app, collection, req.recordId, req.token);
  // A view's files are stored with the records its query reads.
  const owner =
    collection.type === 'view'
      ? await viewFileOwner(app, collection, field.name, req.filename)
      : { collection, recordId: req.recordId };
  if (!owner) throw new ApiError('not_found');
  const storage = app.fileStorage();
  const key = fileKey(owner.collection.id, owner.recordId, req.filename);
  const info = await storage.stat(key);
  if (!info) throw new ApiError('not_found');
  const original = { collection, key, info, filename: req.filename, protected: field.protected };
  if (req.thumb === '' || !thumbAllowed(field, req.thumb, info.contentType)) return original;
  const thumb = thumbKey(owner.collection.id, owner.recordId, req.filename, req.thumb);
  let thumbInfo = await storage.stat(thumb);
  if (!thumbInfo && (await app.thumbs.make(storage, key, thumb, req.thumb, info.contentType))) {
    thumbInfo = await storage.stat(thumb);
  }
  return thumbInfo ? { ...original, key: thumb, info: thumbInfo } : original;
}
