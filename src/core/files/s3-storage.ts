import type * as S3 from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { lazyModule } from '../../lib/lazy-module.js';
import type { S3Settings } from '../settings/settings-model.js';
import type { ByteRange, FileStorage, StoredObjectInfo } from './file-storage.js';
import { storageError } from './storage-error.js';
import { storageKeySegments, storagePrefixParts } from './storage-key.js';

/** The region signed for when the settings leave it empty (what most S3-compatibles accept). */
const DEFAULT_REGION = 'us-east-1';
/** DeleteObjects takes at most 1000 keys, as ListObjectsV2 returns at most 1000 per page. */
const DELETE_BATCH = 1000;

type S3Sdk = typeof S3;

/** The AWS SDK, loaded on first use (~85 ms): apps on local storage never load it. */
const loadSdk = lazyModule(() => import('@aws-sdk/client-s3'));

/** The S3 client of a settings' `s3` block (the files' or the backups'). */
function clientOf(sdk: S3Sdk, settings: S3Settings): S3.S3Client {
  const endpoint = settings.endpoint.trim();
  return new sdk.S3Client({
    region: settings.region.trim() || DEFAULT_REGION,
    // Like PocketBase: an endpoint without a scheme is HTTPS.
    ...(endpoint === ''
      ? {}
      : { endpoint: endpoint.includes('://') ? endpoint : `https://${endpoint}` }),
    forcePathStyle: settings.forcePathStyle,
    credentials: { accessKeyId: settings.accessKey, secretAccessKey: settings.secret },
    // Checksums only where S3 requires them: many S3-compatible servers refuse or mishandle
    // the SDK's default CRC32 trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** True for S3's "no such object" answers (GetObject's NoSuchKey, HeadObject's bare 404). */
function isMissingObject(sdk: S3Sdk, error: unknown): boolean {
  return (
    error instanceof sdk.S3ServiceException &&
    (error.name === 'NoSuchKey' || error.name === 'NotFound')
  );
}

/** A loaded SDK and the client of one storage. */
interface Connection {
  readonly sdk: S3Sdk;
  readonly client: S3.S3Client;
}

/**
 * The requested range of a ranged GetObject's body. HTTP lets a server ignore Range (200 with
 * the whole object) and some S3-compatible servers answer another range than asked; the body
 * is then cut to the bytes asked for, so callers always get exactly `range`.
 */
function exactRange(body: Readable, range: ByteRange, contentRange: string | undefined): Readable {
  const served = /^bytes (\d+)-(\d+)\//.exec(contentRange ?? '');
  const first = served ? Number(served[1]) : 0;
  if (served && first === range.start && Number(served[2]) === range.end) return body;
  if (first > range.start) {
    body.destroy();
    throw storageError('read', undefined, 'the S3 server answered another byte range');
  }
  return Readable.from(sliceOf(body, range.start - first, range.end - range.start + 1), {
    objectMode: false,
  });
}

/** `length` bytes of `body` after the first `skip`; stops reading once it has them. */
async function* sliceOf(body: Readable, skip: number, length: number): AsyncGenerator<Buffer> {
  let toSkip = skip;
  let left = length;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    let part = chunk;
    if (toSkip > 0) {
      if (part.length <= toSkip) {
        toSkip -= part.length;
        continue;
      }
      part = part.subarray(toSkip);
      toSkip = 0;
    }
    if (part.length >= left) {
      yield part.subarray(0, left);
      return;
    }
    left -= part.length;
    yield part;
  }
  throw storageError('read', undefined, 'the S3 server sent fewer bytes than the range');
}

/**
 * The S3-compatible driver: one object per key in the configured bucket, the content type as
 * the object's Content-Type. Keys pass the same checks as the local driver's. Failures throw
 * a `StorageError` whose message names the operation and S3's error code only.
 */
export class S3FileStorage implements FileStorage {
  readonly #settings: S3Settings;
  readonly #bucket: string;
  #connection: Promise<Connection> | undefined;

  constructor(settings: S3Settings) {
    this.#settings = { ...settings };
    this.#bucket = settings.bucket;
  }

  /** The SDK and client, made on first use. */
  #connect(): Promise<Connection> {
    this.#connection ??= loadSdk().then((sdk) => ({ sdk, client: clientOf(sdk, this.#settings) }));
    return this.#connection;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    storageKeySegments(key);
    const { sdk, client } = await this.#connect();
    try {
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
          ContentType: contentType,
        }),
      );
    } catch (error) {
      throw storageError('upload', error);
    }
  }

  async stat(key: string): Promise<StoredObjectInfo | undefined> {
    storageKeySegments(key);
    const { sdk, client } = await this.#connect();
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return {
        size: head.ContentLength ?? 0,
        modified: head.LastModified ?? new Date(0),
        contentType: head.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (isMissingObject(sdk, error)) return undefined;
      throw storageError('stat', error);
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable | undefined> {
    storageKeySegments(key);
    const { sdk, client } = await this.#connect();
    let body: unknown;
    let contentRange: string | undefined;
    try {
      const object = await client.send(
        new sdk.GetObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      body = object.Body;
      contentRange = object.ContentRange;
    } catch (error) {
      if (isMissingObject(sdk, error)) return undefined;
      throw storageError('read', error);
    }
    if (!(body instanceof Readable))
      throw storageError('read', undefined, 'the S3 server sent no body');
    return range ? exactRange(body, range, contentRange) : body;
  }

  async delete(key: string): Promise<void> {
    storageKeySegments(key);
    const { sdk, client } = await this.#connect();
    try {
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
    } catch (error) {
      if (isMissingObject(sdk, error)) return;
      throw storageError('delete', error);
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    storagePrefixParts(prefix);
    const { sdk, client } = await this.#connect();
    let continuationToken: string | undefined;
    do {
      let keys: string[];
      try {
        const page = await client.send(
          new sdk.ListObjectsV2Command({
            Bucket: this.#bucket,
            Prefix: prefix,
            MaxKeys: DELETE_BATCH,
            ContinuationToken: continuationToken,
          }),
        );
        keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
        continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } catch (error) {
        throw storageError('list', error);
      }
      // A page holds at most DELETE_BATCH keys; the slices keep that true whatever a server sends.
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        await this.#deleteBatch({ sdk, client }, keys.slice(i, i + DELETE_BATCH));
      }
    } while (continuationToken !== undefined);
  }

  async #deleteBatch({ sdk, client }: Connection, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    let failed: number;
    try {
      const result = await client.send(
        new sdk.DeleteObjectsCommand({
          Bucket: this.#bucket,
          Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      failed = result.Errors?.length ?? 0;
    } catch (error) {
      throw storageError('batch delete', error);
    }
    if (failed > 0)
      throw storageError('batch delete', undefined, `${failed} object(s) not deleted`);
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) (await connection.catch(() => undefined))?.client.destroy();
  }
}
