import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { KeyedQueue } from '../../lib/keyed-queue.js';
import type { ByteRange, FileStorage, StoredObjectInfo } from './file-storage.js';
import {
  InvalidStorageKeyError,
  RESERVED_SUFFIX,
  storageKeySegments,
  storagePrefixParts,
} from './storage-key.js';

/** What an object without a readable sidecar is served as. */
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** Temporary files start with this (a dot, so they never look like uploads). */
const TEMP_PREFIX = '.basalt-';
/** How often a write retries when a concurrent delete removed its (then empty) folder. */
const MAX_FOLDER_RETRIES = 5;

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/** True for the errors that mean "there is no such file" at a path. */
function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * The sidecar of an object, `<file>.attrs`: the JSON the Go CDK's fileblob driver writes for
 * PocketBase, so a PocketBase `pb_data/storage` folder works as is and the other way round.
 * Only the content type is read; the MD5 is written for PocketBase's benefit.
 */
function attrsJson(body: Buffer, contentType: string): string {
  return JSON.stringify({
    'user.content_type': contentType,
    md5: createHash('md5').update(body).digest('base64'),
  });
}

function contentTypeOfAttrs(text: string): string {
  try {
    const attrs: unknown = JSON.parse(text);
    if (typeof attrs === 'object' && attrs !== null && 'user.content_type' in attrs) {
      const value = attrs['user.content_type'];
      if (typeof value === 'string' && value !== '') return value;
    }
  } catch {
    // An unreadable sidecar is as good as none.
  }
  return DEFAULT_CONTENT_TYPE;
}

/** Writes a file completely and flushes it to disk before it is renamed into place. */
async function writeDurably(path: string, data: Buffer | string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The default driver: objects are files under a root folder (`<dataDir>/storage`), a key's
 * segments its path, the content type in a `<file>.attrs` sidecar.
 *
 * - Every key goes through `storage-key.ts`, and the resolved path must still lie inside the
 *   root, so no key reaches outside it.
 * - A put writes temporary files in the object's folder, flushes them and renames them into
 *   place (sidecar first, then the data), so readers see the old or the new file, never half
 *   of one, and a crash leaves at most a dot-named temporary file. Puts and deletes of one key
 *   are serialised in this process, so data and sidecar always come from the same put.
 * - Deletes remove folders left empty up to the root, so a deleted record leaves no folder.
 */
export class LocalFileStorage implements FileStorage {
  readonly #root: string;
  readonly #rootWithSep: string;
  readonly #queue = new KeyedQueue();

  constructor(root: string) {
    this.#root = resolve(root);
    this.#rootWithSep = this.#root.endsWith(sep) ? this.#root : this.#root + sep;
  }

  /** The absolute path of checked segments, refused when it is not inside the root. */
  #pathOf(segments: readonly string[]): string {
    const path = resolve(this.#root, ...segments);
    if (!path.startsWith(this.#rootWithSep))
      throw new InvalidStorageKeyError('the path is outside the storage root');
    return path;
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const path = this.#pathOf(storageKeySegments(key));
    await this.#queue.run(path, () => this.#write(path, body, contentType));
  }

  async #write(path: string, body: Buffer, contentType: string): Promise<void> {
    const folder = dirname(path);
    const tag = randomBytes(8).toString('hex');
    const dataTemp = join(folder, `${TEMP_PREFIX}${tag}.tmp`);
    const attrsTemp = join(folder, `${TEMP_PREFIX}${tag}${RESERVED_SUFFIX}.tmp`);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await mkdir(folder, { recursive: true });
          await writeDurably(dataTemp, body);
          break;
        } catch (error) {
          // A concurrent delete may have removed the folder (or a parent), empty, meanwhile;
          // recursive mkdir then fails with ENOENT or ENOTDIR. A real ENOTDIR (a file where a
          // folder should be) fails again on every attempt.
          if (!isMissing(error) || attempt >= MAX_FOLDER_RETRIES) throw error;
        }
      }
      await writeDurably(attrsTemp, attrsJson(body, contentType));
      await rename(attrsTemp, path + RESERVED_SUFFIX);
      await rename(dataTemp, path);
    } catch (error) {
      await rm(dataTemp, { force: true });
      await rm(attrsTemp, { force: true });
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObjectInfo | undefined> {
    const path = this.#pathOf(storageKeySegments(key));
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    if (!info.isFile()) return undefined;
    return { size: info.size, modified: info.mtime, contentType: await this.#contentType(path) };
  }

  async #contentType(path: string): Promise<string> {
    try {
      return contentTypeOfAttrs(await readFile(path + RESERVED_SUFFIX, 'utf8'));
    } catch (error) {
      if (isMissing(error)) return DEFAULT_CONTENT_TYPE;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable | undefined> {
    const path = this.#pathOf(storageKeySegments(key));
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    // The open handle keeps reading the same file even if a put replaces it meanwhile.
    try {
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        return undefined;
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    const path = this.#pathOf(storageKeySegments(key));
    await this.#queue.run(path, async () => {
      await unlinkIfFile(path);
      await unlinkIfFile(path + RESERVED_SUFFIX);
    });
    await this.#removeEmptyFolders(dirname(path));
  }

  async deletePrefix(prefix: string): Promise<void> {
    const { folders, partial } = storagePrefixParts(prefix);
    const folder = folders.length === 0 ? this.#root : this.#pathOf(folders);
    if (partial === '') {
      await rm(folder, { recursive: true, force: true });
      await this.#removeEmptyFolders(dirname(folder));
      return;
    }
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const name of names) {
      if (name.startsWith(partial)) await rm(join(folder, name), { recursive: true, force: true });
    }
    await this.#removeEmptyFolders(folder);
  }

  /** Removes `folder` and its parents while they are empty, stopping at the root. */
  async #removeEmptyFolders(folder: string): Promise<void> {
    for (let current = folder; current.startsWith(this.#rootWithSep); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch (error) {
        if (isMissing(error)) continue;
        const code = errorCode(error);
        if (code === 'ENOTEMPTY' || code === 'EEXIST') return;
        throw error;
      }
    }
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }
}

/** Deletes a file; a missing one or a folder at that path is left alone. */
async function unlinkIfFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (isMissing(error) || errorCode(error) === 'EISDIR') return;
    // Some systems answer EPERM for a folder: only then is it not a failure.
    if (errorCode(error) === 'EPERM' && (await stat(path)).isDirectory()) return;
    throw error;
  }
}
