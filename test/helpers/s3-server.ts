import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '../../src/core/settings/settings-model.js';

/** s3rver's fixed credentials (it knows this access key; it does not verify SigV4 signatures). */
const S3RVER_KEY = 'S3RVER';
const START_TIMEOUT_MS = 20_000;

/**
 * A real S3-compatible server process on loopback: by default npm `s3rver` in a child process
 * on a free port, its data in a temporary folder. With `BASALT_TEST_S3_URL`
 * (`http://<accessKey>:<secret>@host:port`) the tests use that server instead (MinIO,
 * moto_server...), e.g. to check what s3rver cannot show.
 */
export interface S3Server {
  readonly endpoint: string;
  /**
   * Whether a PUT replaces an object atomically, as S3 does. s3rver writes objects in place
   * (concurrent writers interleave, readers see partial files), so it cannot check that.
   */
  readonly atomicPuts: boolean;
  /** `s3` settings for this server and `bucket` (path-style), with optional overrides. */
  settings(bucket: string, overrides?: Partial<S3Settings>): S3Settings;
  /** Creates a new, empty bucket and returns its name. */
  createBucket(): Promise<string>;
  /** Every key in a bucket, sorted. */
  listKeys(bucket: string): Promise<string[]>;
  close(): Promise<void>;
}

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      fail(new Error(`s3rver did not start in ${START_TIMEOUT_MS} ms: ${output}`));
    }, START_TIMEOUT_MS);
    function fail(error: Error): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /S3rver listening on ([\d.]+):(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]!}:${match[2]!}`);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      fail(new Error(`s3rver exited (${String(code)}): ${output}`));
    });
  });
}

/** Starts s3rver (`--port 0`: the OS picks a free port, which s3rver prints). */
async function spawnS3rver(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'basalt-s3rver-'));
  // BASALT_TEST_S3RVER_LOG=<file>: s3rver's request log, to debug a failing test.
  const log = process.env.BASALT_TEST_S3RVER_LOG;
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child = spawn(
    process.execPath,
    [
      // s3rver's ListObjectsV2 continuation tokens use DES, only in OpenSSL 3's legacy provider.
      '--openssl-legacy-provider',
      bin,
      '--directory',
      dir,
      '--address',
      '127.0.0.1',
      '--port',
      '0',
      ...(log ? [] : ['--silent']),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (log) {
    const file = createWriteStream(log, { flags: 'a' });
    child.stdout.pipe(file);
    child.stderr.pipe(file);
  }
  let endpoint: string;
  try {
    endpoint = await waitForListening(child);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint,
    stop: async () => {
      child.removeAllListeners('exit');
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The test S3 server: the one BASALT_TEST_S3_URL names, else a new s3rver process. */
export async function startS3Server(): Promise<S3Server> {
  const external = process.env.BASALT_TEST_S3_URL;
  let endpoint: string;
  let accessKey = S3RVER_KEY;
  let secret = S3RVER_KEY;
  let stop = async (): Promise<void> => undefined;
  if (external) {
    const url = new URL(external);
    accessKey = decodeURIComponent(url.username);
    secret = decodeURIComponent(url.password);
    endpoint = `${url.protocol}//${url.host}`;
  } else {
    ({ endpoint, stop } = await spawnS3rver());
  }
  const settings = (bucket: string, overrides: Partial<S3Settings> = {}): S3Settings => ({
    enabled: true,
    bucket,
    region: 'us-east-1',
    endpoint,
    accessKey,
    secret,
    forcePathStyle: true,
    ...overrides,
  });
  const admin = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: accessKey, secretAccessKey: secret },
  });
  return {
    endpoint,
    atomicPuts: external !== undefined,
    settings,
    async createBucket() {
      const bucket = `basalt-${randomBytes(6).toString('hex')}`;
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
      return bucket;
    },
    async listKeys(bucket) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await admin.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return keys.sort();
    },
    async close() {
      admin.destroy();
      await stop();
    },
  };
}
