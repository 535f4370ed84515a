import type { App } from '../app.js';
import { DEFAULT_LIMITS } from '../field/field-type-def.js';

/**
 * The largest file any file field of any collection accepts (0 = the 5 MiB default): the
 * most a request may make the server buffer per uploaded file.
 */
export function maxUploadSize(app: App): number {
  let max = DEFAULT_LIMITS.fileMaxSize;
  for (const collection of app.collections.all()) {
    for (const field of collection.fields) {
      if (field.type === 'file') max = Math.max(max, field.maxSize || DEFAULT_LIMITS.fileMaxSize);
    }
  }
  return max;
}
