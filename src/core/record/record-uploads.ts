import type { Collection } from '../collection/collection-model.js';
import type { FileField } from '../field/field-model.js';
import { storedFileName } from '../files/file-name.js';
import type { UploadedFile } from '../files/uploaded-file.js';

/** An upload on its way to storage, under the name it will be stored as. */
export interface PendingUpload {
  readonly field: FileField;
  readonly name: string;
  readonly data: Buffer;
}

const KEY_RE = /^(\+)?([A-Za-z_][A-Za-z0-9_]*)(\+)?$/;

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
    const m = KEY_RE.exec(upload.field);
    if (!m || (m[1] && m[3])) continue;
    const field = collection.fields.find((f) => f.name === m[2]);
    if (field?.type !== 'file') continue;
    const name = storedFileName(upload.filename);
    pending.set(name, { field, name, data: upload.data });
    merged[upload.field] = [...textValues(merged[upload.field]), name];
  }
  return { body: merged, pending };
}
