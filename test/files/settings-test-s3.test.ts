import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { S3Settings } from '../../src/core/settings/settings-model.js';
import { ApiClient } from '../helpers/api-client.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';
import { createTestApp, superuserToken, type TestApp } from '../helpers/test-app.js';

const WRONG_SECRET = 'Wr0ng-Secret-Value-123';
const WRONG_KEY = 'WRONGACCESSKEY42';

describe('POST /api/settings/test/s3', () => {
  let s3: S3Server;
  let bucket: string;
  let t: TestApp;
  let api: ApiClient;
  const logLines: string[] = [];

  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    await s3.close();
  });
  beforeEach(async () => {
    logLines.length = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    t = await createTestApp({ logger: pino({ level: 'info' }, sink) });
    api = new ApiClient(t.server, await superuserToken(t));
    bucket = await s3.createBucket();
  });
  afterEach(async () => {
    await t.close();
  });

  async function configure(overrides: Partial<S3Settings> = {}, key: 's3' | 'backups' = 's3') {
    const s3Block = s3.settings(bucket, overrides);
    const res = await api.patch(
      '/api/settings',
      key === 's3' ? { s3: s3Block } : { backups: { s3: s3Block } },
    );
    expect(res.status).toBe(200);
  }

  function expectNoSecrets(text: string): void {
    for (const secret of [WRONG_SECRET, WRONG_KEY, 'pa55word', s3.settings(bucket).secret])
      if (secret.length > 6) expect(text).not.toContain(secret);
  }

  it('is for superusers only', async () => {
    const res = await api.as(undefined).post('/api/settings/test/s3', { filesystem: 'storage' });
    expect(res.status).toBe(401);
  });

  it('validates the filesystem name', async () => {
    const missing = await api.post('/api/settings/test/s3', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      data: { filesystem: { code: 'validation_required', message: 'Cannot be blank.' } },
      message: 'Failed to test the S3 filesystem.',
      status: 400,
    });
    const wrong = await api.post('/api/settings/test/s3', { filesystem: 'other' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.data).toEqual({
      filesystem: { code: 'validation_invalid_value', message: 'Invalid value.' },
    });
  });

  it('refuses a filesystem whose S3 is not enabled', async () => {
    const res = await api.post('/api/settings/test/s3', { filesystem: 'storage' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'Failed to test the S3 filesystem. The S3 storage filesystem is not enabled.',
    );
  });

  it('answers 204 for a working S3, leaving nothing in the bucket', async () => {
    await configure();
    expect((await api.post('/api/settings/test/s3', { filesystem: 'storage' })).status).toBe(204);
    expect(await s3.listKeys(bucket)).toEqual([]);
    // The backups' S3 is separate: not enabled yet, then working.
    expect((await api.post('/api/settings/test/s3', { filesystem: 'backups' })).status).toBe(400);
    await configure({}, 'backups');
    expect((await api.post('/api/settings/test/s3', { filesystem: 'backups' })).status).toBe(204);
    expect(await s3.listKeys(bucket)).toEqual([]);
  });

  it('names a missing bucket', async () => {
    await configure({ bucket: 'no-such-bucket' });
    const res = await api.post('/api/settings/test/s3', { filesystem: 'storage' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'Failed to test the S3 filesystem. Storage upload failed: the bucket does not exist (HTTP 404).',
    );
    expect(res.body.data).toEqual({});
  });

  it('refuses wrong credentials without echoing them, in the answer or the log', async ({
    skip,
  }) => {
    await configure({ accessKey: WRONG_KEY, secret: WRONG_SECRET });
    const res = await api.post('/api/settings/test/s3', { filesystem: 'storage' });
    skip(res.status === 204, 'this S3 server does not check credentials');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Failed to test the S3 filesystem\. Storage upload failed: /);
    expectNoSecrets(res.text);
    expectNoSecrets(logLines.join('\n'));
  });

  it('names an unreachable endpoint without echoing its credentials', async () => {
    await configure({ endpoint: 'http://user:pa55word@127.0.0.1:9' });
    const res = await api.post('/api/settings/test/s3', { filesystem: 'storage' });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'Failed to test the S3 filesystem. Storage upload failed: could not connect to the S3 endpoint.',
    );
    expectNoSecrets(res.text);
    expectNoSecrets(logLines.join('\n'));
  });
});
