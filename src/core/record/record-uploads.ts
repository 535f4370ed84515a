import type { Collection } from '../collection/collection-model.js';
import type { FileField } from '../field/file-field.js';
import { storedFileName } from '../files/file-name.js';
import type { UploadedFile } from '../files/uploaded-file.js';

/** An upload on its way to storage, under the name it will be stored as. */
export interface PendingUpload {
  readonly field: FileField;
  readonly name: string;
  readonly data: Buffer;
  /** As in {@link UploadedFile}: the size in the body when larger than `data`. */
  readonly size?: number;
}

const KEY_RE = /^(\+)?([A-Za-z_][A-Za-z0-9_]*)(\+)?$/;

/**
 * The file field an upload under `key` goes to (`field`, `field+` or `+field`), or undefined
 * when the key names no file field of the collection (such uploads are ignored).
 */
export function uploadField(collection: Collection, key: string): FileField | undefined {
  const m = KEY_RE.exec(key);
  if (!m || (m[1] && m[3])) return undefined;
  const field = collection.fields.find((f) => f.name === m[2]);
  return field?.type === 'file' ? field : undefined;
}

function textValues(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter((v) => v !== '');
}

/**
 * Puts each upload into the body under its key as the name it will be stored as (API.md
 * §1.3): under the plain key the new names join the existing names submitted there (any other
 * existing file is removed), under `field+`/`+field` they are appended/prepended. Uploads
 * under keys that are not file fields are ignored, as unknown body keys are.
 */
export function nameUploads(
  collection: Collection,
  body: Record<string, unknown>,
  uploads: readonly UploadedFile[],
): { body: Record<string, unknown>; pending: Map<string, PendingUpload> } {
  const merged: Record<string, unknown> = { ...body };
  const pending = new Map<string, PendingUpload>();
  for (const upload of uploads) {
    const field = uploadField(collection, upload.field);
    if (!field) continue;
    const name = storedFileName(upload.filename);
    pending.set(name, { field, name, data: upload.data, size: upload.size });
    merged[upload.field] = [...textValues(merged[upload.field]), name];
  }
  return { body: merged, pending };
}
