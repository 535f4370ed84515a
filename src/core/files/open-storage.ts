import { join } from 'node:path';
import type { Settings } from '../settings/settings-model.js';
import type { FileStorage } from './file-storage.js';
import { LocalFileStorage } from './local-storage.js';
import { S3FileStorage } from './s3-storage.js';

/** The folder of the local driver inside the data directory (PocketBase's `pb_data/storage`). */
export const LOCAL_STORAGE_FOLDER = 'storage';

/**
 * The file storage the settings choose: S3 when `s3.enabled`, else files under
 * `<dataDir>/storage`. Nothing is contacted, created or loaded (the AWS SDK) until the first
 * call. Settings are read once: after `s3` changes, open a new storage (and close the old one).
 */
export function openFileStorage(settings: Pick<Settings, 's3'>, dataDir: string): FileStorage {
  return settings.s3.enabled
    ? new S3FileStorage(settings.s3)
    : new LocalFileStorage(join(dataDir, LOCAL_STORAGE_FOLDER));
}
