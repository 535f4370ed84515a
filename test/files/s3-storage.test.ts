import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileStorage } from '../../src/core/files/open-storage.js';
import { S3FileStorage } from '../../src/core/files/s3-storage.js';
import { StorageError } from '../../src/core/files/storage-error.js';
import { defaultSettings } from '../../src/core/settings/settings-model.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';
import { describeStorageContract } from './storage-contract.js';

let server: S3Server;
beforeAll(async () => {
  server = await startS3Server();
});
afterAll(async () => {
  await server.close();
});

describeStorageContract(
  process.env.BASALT_TEST_S3_URL ? 's3 (BASALT_TEST_S3_URL)' : 's3 (s3rver)',
  async () => {
    const bucket = await server.createBucket();
    const storage = new S3FileStorage(server.settings(bucket));
    return {
      storage,
      listAll: () => server.listKeys(bucket),
      dispose: () => storage.close(),
    };
  },
  // Decided when the file is collected, before beforeAll starts the server.
  { atomicPuts: process.env.BASALT_TEST_S3_URL !== undefined },
);

describe('S3FileStorage errors', () => {
  async function failureOf(action: (s: S3FileStorage) => Promise<unknown>, settings: object) {
    const bucket = await server.createBucket();
    const storage = new S3FileStorage(server.settings(bucket, settings));
    try {
      await action(storage);
    } catch (error) {
      return error;
    } finally {
      await storage.close();
    }
    return undefined;
  }

  const SECRET = 'Wr0ng-Secret-Value-123';
  const ACCESS = 'WRONGACCESSKEY42';

  it('names a wrong secret without echoing credentials', async ({ skip }) => {
    const error = await failureOf((s) => s.put('c/r/f', Buffer.from('x'), 'text/plain'), {
      secret: SECRET,
    });
    // s3rver knows access keys but does not verify SigV4 signatures.
    skip(error === undefined, 'this S3 server does not verify request signatures');
    expect(error).toBeInstanceOf(StorageError);
    const message = (error as Error).message;
    expect(message).toBe(
      'Storage upload failed: the S3 server refused the secret (signature mismatch) (HTTP 403).',
    );
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect((error as Error).cause).toBeUndefined();
  });

  it('names an unknown access key, also on reads (not "missing")', async ({ skip }) => {
    const put = await failureOf((s) => s.put('c/r/f', Buffer.from('x'), 'text/plain'), {
      accessKey: ACCESS,
    });
    skip(put === undefined, 'this S3 server does not check access keys');
    expect((put as Error).message).toBe(
      'Storage upload failed: the S3 server does not know the access key (HTTP 403).',
    );
    expect((put as Error).message).not.toContain(ACCESS);
    const read = await failureOf((s) => s.read('c/r/f'), { accessKey: ACCESS });
    expect(read).toBeInstanceOf(StorageError);
    const stat = await failureOf((s) => s.stat('c/r/f'), { accessKey: ACCESS });
    expect(stat).toBeInstanceOf(StorageError);
    expect((stat as Error).message).toMatch(/^Storage stat failed: .*\(HTTP 403\)\.$/);
  });

  it('names a missing bucket, and an unreachable endpoint', async () => {
    const missing = await failureOf((s) => s.read('c/r/f'), { bucket: 'no-such-bucket' });
    expect((missing as Error).message).toBe(
      'Storage read failed: the bucket does not exist (HTTP 404).',
    );
    const list = await failureOf((s) => s.deletePrefix('c/'), { bucket: 'no-such-bucket' });
    expect((list as Error).message).toBe(
      'Storage list failed: the bucket does not exist (HTTP 404).',
    );
    const closed = await failureOf((s) => s.put('c/r/f', Buffer.from('x'), 'text/plain'), {
      endpoint: 'http://user:pa55word@127.0.0.1:9',
    });
    expect(closed).toBeInstanceOf(StorageError);
    expect((closed as Error).message).toBe(
      'Storage upload failed: could not connect to the S3 endpoint.',
    );
  });

  it('is what openFileStorage picks with s3.enabled', async () => {
    const bucket = await server.createBucket();
    const settings = { ...defaultSettings(), s3: server.settings(bucket) };
    const storage = openFileStorage(settings, '/nonexistent');
    expect(storage).toBeInstanceOf(S3FileStorage);
    await storage.put('c/r/f', Buffer.from('f'), 'text/plain');
    expect(await server.listKeys(bucket)).toEqual(['c/r/f']);
    await storage.close();
  });
});
