import { isJsonObject } from '../../lib/json-merge.js';
import { randomString } from '../../lib/security/random.js';
import { ApiError } from '../errors.js';
import type { S3Settings, Settings } from '../settings/settings-model.js';
import { fieldError } from '../validation-errors.js';
import { S3FileStorage } from './s3-storage.js';
import { StorageError } from './storage-error.js';

/** The `filesystem` values of `POST /api/settings/test/s3` and the settings they test. */
const FILESYSTEMS = {
  storage: (s: Settings) => s.s3,
  backups: (s: Settings) => s.backups.s3,
} satisfies Record<string, (s: Settings) => S3Settings>;

function isFilesystem(value: unknown): value is keyof typeof FILESYSTEMS {
  return typeof value === 'string' && Object.hasOwn(FILESYSTEMS, value);
}

function failed(reason: string): ApiError {
  return new ApiError('s3_test_failed', {}, `Failed to test the S3 filesystem. ${reason}`);
}

/**
 * `POST /api/settings/test/s3` (`{filesystem: "storage" | "backups"}`): uploads a small probe
 * object to the configured bucket and deletes it again by its prefix (so listing and deleting
 * work too), as PocketBase does. Throws 400 for bad input, a disabled S3 config, or a failure,
 * whose message names the failing step and S3's error code only (never credentials).
 */
export async function testS3Filesystem(settings: Settings, input: unknown): Promise<void> {
  const { filesystem } = isJsonObject(input) ? input : {};
  if (filesystem === undefined || filesystem === '')
    throw new ApiError('s3_test_failed', { filesystem: fieldError('validation_required') });
  if (!isFilesystem(filesystem))
    throw new ApiError('s3_test_failed', { filesystem: fieldError('validation_invalid_value') });
  const config = FILESYSTEMS[filesystem](settings);
  if (!config.enabled) throw failed('The S3 storage filesystem is not enabled.');
  const storage = new S3FileStorage(config);
  const prefix = `_basalt_settings_test_${randomString(8)}/`;
  try {
    await storage.put(`${prefix}test.txt`, Buffer.from('test'), 'text/plain');
    await storage.deletePrefix(prefix);
  } catch (error) {
    if (error instanceof StorageError) throw failed(error.message);
    throw error;
  } finally {
    await storage.close();
  }
}
