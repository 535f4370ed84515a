import type { App } from '../app.js';
import type { FileField } from '../field/file-field.js';
import { DEFAULT_LIMITS } from '../field/field-type-def.js';

/** The largest file a file field accepts: its `maxSize`, 0 for 5 MiB. */
export function fileMaxSize(field: FileField): number {
  return field.maxSize > 0 ? field.maxSize : DEFAULT_LIMITS.fileMaxSize;
}

/**
 * The largest file any file field of any collection accepts: the most a request whose
 * collection is not known while its body streams (a batch) may make the server keep per file.
 */
export function maxUploadSize(app: App): number {
  let max = DEFAULT_LIMITS.fileMaxSize;
  for (const collection of app.collections.all()) {
    for (const field of collection.fields) {
      if (field.type === 'file') max = Math.max(max, fileMaxSize(field));
    }
  }
  return max;
}
