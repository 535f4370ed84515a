import { sql } from 'kysely';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import type { ErrorData, FieldError } from '../errors.js';
import type { FieldValue } from '../field/field-value-cast.js';
import { fromStoredValue } from '../field/field-value-store.js';
import { fileKey, thumbsPrefix } from '../files/file-keys.js';
import { sniffMimeType } from '../files/file-sniff.js';
import { loadSharp } from '../files/sharp-load.js';
import { fieldError } from '../validation-errors.js';
import { isJsonObject } from '../../lib/json-merge.js';
import { uploadSize, type UploadedFile } from '../files/uploaded-file.js';
import { fileMaxSize } from '../files/upload-limit.js';
import { nameUploads, type PendingUpload } from './record-uploads.js';
import type { RecordValues } from './record-values.js';

/** The most pixels (all frames) an uploaded image may decode to: a decompression-bomb guard. */
export const MAX_IMAGE_PIXELS = 50_000_000;

/** Types whose pixel count sharp reads from the header alone. */
const RASTER_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/tiff',
  'image/heic',
  'image/heif',
]);

/** An upload the write keeps, with its sniffed content type. */
export interface CheckedUpload extends PendingUpload {
  readonly contentType: string;
}

function names(value: FieldValue): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** The uploads whose names the final values keep (a single field keeps only the last). */
function keptUploads(
  pending: ReadonlyMap<string, PendingUpload>,
  values: RecordValues,
): PendingUpload[] {
  return [...pending.values()].filter((u) => names(values.get(u.field.name)).includes(u.name));
}

async function pixelCount(data: Buffer): Promise<number> {
  const sharp = await loadSharp();
  try {
    const meta = await sharp(data, { limitInputPixels: false }).metadata();
    return meta.width * (meta.pageHeight ?? meta.height) * (meta.pages ?? 1);
  } catch {
    // Not decodable as an image after all: it is stored as it is and never thumbnailed.
    return 0;
  }
}

/** The uploads of one write, named and checked before its transaction starts. */
export interface WriteUploads {
  /** The body with the uploads' stored names under their keys. */
  readonly body: unknown;
  readonly pending: ReadonlyMap<string, PendingUpload>;
  readonly checks: ReadonlyMap<string, UploadCheck>;
}

/** Names and checks the uploads of a create or update (none: the body as it is). */
export async function prepareUploads(
  collection: Collection,
  body: unknown,
  files: readonly UploadedFile[] | undefined,
): Promise<WriteUploads> {
  if (!files || files.length === 0) return { body, pending: new Map(), checks: new Map() };
  const named = nameUploads(collection, isJsonObject(body) ? body : {}, files);
  return { body: named.body, pending: named.pending, checks: await checkUploads(named.pending) };
}

/** An upload's check result: ready to store, or the field error that refuses it. */
export type UploadCheck = CheckedUpload | FieldError;

/** Checks one upload against its field: size, sniffed MIME type, pixel count. */
export async function checkUpload(upload: PendingUpload): Promise<UploadCheck> {
  const { field, data } = upload;
  const maxSize = fileMaxSize(field);
  if (uploadSize(upload) > maxSize) return fieldError('validation_file_size_limit', { maxSize });
  const contentType = await sniffMimeType(data);
  if (field.mimeTypes.length > 0 && !field.mimeTypes.includes(contentType)) {
    return fieldError('validation_invalid_mime_type', { mimeTypes: field.mimeTypes.join(', ') });
  }
  if (RASTER_TYPES.has(contentType) && (await pixelCount(data)) > MAX_IMAGE_PIXELS) {
    return fieldError(
      'validation_invalid_file',
      {},
      `The image has more than ${MAX_IMAGE_PIXELS} pixels.`,
    );
  }
  return { ...upload, contentType };
}

/**
 * Checks every upload against its field (API.md §6), before any transaction starts: the size
 * limit (0 = 5 MiB), the allowed MIME types against the type sniffed from the content (the
 * client's claim and the name are ignored), and for raster images the pixel count.
 */
async function checkUploads(
  pending: ReadonlyMap<string, PendingUpload>,
): Promise<Map<string, UploadCheck>> {
  const checks = new Map<string, UploadCheck>();
  for (const [name, upload] of pending) checks.set(name, await checkUpload(upload));
  return checks;
}

/** The kept uploads ready to store, and the field errors of the refused ones. */
export function keptUploadChecks(
  prepared: WriteUploads,
  values: RecordValues,
): { uploads: CheckedUpload[]; errors: ErrorData } {
  const uploads: CheckedUpload[] = [];
  const errors: ErrorData = {};
  for (const upload of keptUploads(prepared.pending, values)) {
    const check = prepared.checks.get(upload.name);
    if (!check) continue;
    if ('data' in check) uploads.push(check);
    else errors[upload.field.name] ??= check;
  }
  return { uploads, errors };
}

/**
 * Writes the kept uploads of a record before its transaction commits (undone if it rolls
 * back), and removes the files the write dropped (with their thumbs) once it has committed.
 */
export async function storeRecordFiles(
  app: App,
  scope: TxScope,
  collection: Collection,
  recordId: string,
  uploads: readonly CheckedUpload[],
  before: RecordValues,
  after: RecordValues,
): Promise<void> {
  if (uploads.length === 0 && !collection.fields.some((f) => f.type === 'file')) return;
  const storage = app.fileStorage();
  for (const upload of uploads) {
    const key = fileKey(collection.id, recordId, upload.name);
    scope.afterRollback(() => storage.delete(key));
    await storage.put(key, upload.data, upload.contentType);
  }
  for (const field of collection.fields) {
    if (field.type !== 'file') continue;
    const kept = new Set(names(after.get(field.name)));
    for (const name of names(before.get(field.name))) {
      if (kept.has(name)) continue;
      scope.afterCommit(async () => {
        await storage.delete(fileKey(collection.id, recordId, name));
        await storage.deletePrefix(thumbsPrefix(collection.id, recordId, name));
      });
    }
  }
}

/** The files of some file fields of a collection, read before a change that may drop them. */
export interface FieldFiles {
  readonly collectionId: string;
  readonly files: readonly (readonly [fieldId: string, recordId: string, name: string])[];
}

/**
 * Reads, before a collection update starts, the files of the file fields that its input no
 * longer lists (by id): they may be dropped. Read outside the update's transaction, because
 * on MariaDB a read of the table inside it would block the column drop, which runs on a
 * connection of its own. Nothing is read when the input leaves `fields` alone.
 */
export async function filesOfLeavingFields(
  app: App,
  collection: Collection,
  input: unknown,
): Promise<FieldFiles> {
  const listed = isJsonObject(input) && Array.isArray(input.fields) ? input.fields : undefined;
  const ids = new Set((listed ?? []).map((f) => (isJsonObject(f) ? f.id : undefined)));
  const leaving = listed
    ? collection.fields.filter((f) => f.type === 'file' && !ids.has(f.id))
    : [];
  if (leaving.length === 0) return { collectionId: collection.id, files: [] };
  const rows = await app.db.db
    .selectFrom(collection.name)
    .select([sql.ref<string>('id').as('id'), ...leaving.map((f) => sql.ref(f.name).as(f.name))])
    .execute();
  const files: [string, string, string][] = [];
  for (const row of rows) {
    for (const field of leaving) {
      for (const name of names(fromStoredValue(field, row[field.name]))) {
        files.push([field.id, String(row.id), name]);
      }
    }
  }
  return { collectionId: collection.id, files };
}

/**
 * Queues the removal of the files of the file fields that a collection change dropped (API.md
 * §6), once the change has committed. A file added between the read and the drop is left
 * behind, never one still in use.
 */
export function dropRemovedFileFields(
  app: App,
  scope: TxScope,
  before: FieldFiles,
  next: Collection,
): void {
  const kept = new Set(next.fields.map((f) => f.id));
  const dropped = before.files.filter(([fieldId]) => !kept.has(fieldId));
  if (dropped.length === 0 || before.collectionId !== next.id) return;
  scope.afterCommit(async () => {
    const storage = app.fileStorage();
    for (const [, recordId, name] of dropped) {
      await storage.delete(fileKey(next.id, recordId, name));
      await storage.deletePrefix(thumbsPrefix(next.id, recordId, name));
    }
  });
}
