import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileStorage } from '../../src/core/files/file-storage.js';
import { InvalidStorageKeyError } from '../../src/core/files/storage-key.js';

/** A driver under test: a fresh, empty storage, and what it really holds. */
export interface StorageFixture {
  readonly storage: FileStorage;
  /** Every stored object, as keys (or as paths, for what a driver writes around its root). */
  listAll(): Promise<string[]>;
  /** Closes the storage and removes what the fixture created. */
  dispose(): Promise<void>;
}

async function readAll(stream: Readable | undefined): Promise<Buffer | undefined> {
  if (stream === undefined) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every byte value, twice over, so that no encoding step can go unnoticed. */
const ALL_BYTES = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));

/** Keys every driver must refuse, before touching anything. */
export const INVALID_KEYS = [
  '../x',
  '/abs',
  'a/../../b',
  'a/..',
  './a',
  'a/./b',
  'a\\b',
  '..\\x',
  'a\0b',
  'a/b\nc',
  'a//b',
  'a/b/',
  '',
  'col/rec/file.attrs',
  `a/${'x'.repeat(300)}`,
  'a/\ud800b',
];

/** Prefixes every driver must refuse. */
const INVALID_PREFIXES = ['', '/', '../', '../x', 'a/../../', 'a\\b/', 'a\0/', 'a//', '/abs/'];

/**
 * The contract of a FileStorage driver: every driver's test file calls this with a factory of
 * fresh, empty storages.
 */
export function describeStorageContract(
  name: string,
  open: () => Promise<StorageFixture>,
  options: {
    /** Objects for the many-objects test (more than S3's 1000-key pages by default). */
    manyObjects?: number;
    /** False for a test server that writes objects in place (s3rver): skips the race test. */
    atomicPuts?: boolean;
  } = {},
): void {
  describe(`FileStorage contract: ${name}`, () => {
    let fixture: StorageFixture;
    let storage: FileStorage;

    beforeEach(async () => {
      fixture = await open();
      storage = fixture.storage;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    async function content(key: string): Promise<Buffer | undefined> {
      return readAll(await storage.read(key));
    }

    it('round-trips binary content with its size, date and content type', async () => {
      const before = Date.now();
      await storage.put('col1/rec1/bytes.bin', ALL_BYTES, 'application/x-custom');
      const info = await storage.stat('col1/rec1/bytes.bin');
      expect(info).toBeDefined();
      expect(info!.size).toBe(ALL_BYTES.length);
      expect(info!.contentType).toBe('application/x-custom');
      // Object stores keep whole seconds.
      expect(info!.modified.getTime()).toBeGreaterThanOrEqual(before - 2000);
      expect(info!.modified.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
      expect(await content('col1/rec1/bytes.bin')).toEqual(ALL_BYTES);
    });

    it('stores an empty object', async () => {
      await storage.put('col1/rec1/empty.txt', Buffer.alloc(0), 'text/plain');
      expect(await storage.stat('col1/rec1/empty.txt')).toMatchObject({
        size: 0,
        contentType: 'text/plain',
      });
      expect(await content('col1/rec1/empty.txt')).toEqual(Buffer.alloc(0));
    });

    it('stores a few megabytes', async () => {
      const big = randomBytes(5 * 1024 * 1024 + 17);
      await storage.put('col1/rec1/big.bin', big, 'application/octet-stream');
      expect((await storage.stat('col1/rec1/big.bin'))?.size).toBe(big.length);
      const back = await content('col1/rec1/big.bin');
      expect(back?.equals(big)).toBe(true);
      const range = { start: 3 * 1024 * 1024 - 5, end: 4 * 1024 * 1024 + 5 };
      const part = await readAll(await storage.read('col1/rec1/big.bin', range));
      expect(part?.equals(big.subarray(range.start, range.end + 1))).toBe(true);
    });

    it('replaces an object, content type included', async () => {
      await storage.put('col1/rec1/file', Buffer.from('first version, longer'), 'text/plain');
      await storage.put('col1/rec1/file', Buffer.from('second'), 'image/png');
      expect(await storage.stat('col1/rec1/file')).toMatchObject({
        size: 6,
        contentType: 'image/png',
      });
      expect((await content('col1/rec1/file'))?.toString()).toBe('second');
    });

    it('reads inclusive byte ranges', async () => {
      const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
      await storage.put('col1/rec1/ranged', body, 'application/octet-stream');
      const cases = [
        { start: 0, end: 0 },
        { start: 999, end: 999 },
        { start: 100, end: 199 },
        { start: 0, end: 999 },
        { start: 998, end: 999 },
      ];
      for (const range of cases) {
        const part = await readAll(await storage.read('col1/rec1/ranged', range));
        expect(part, JSON.stringify(range)).toEqual(body.subarray(range.start, range.end + 1));
      }
    });

    it('answers undefined for missing objects, and for folders', async () => {
      expect(await storage.stat('col1/rec1/none')).toBeUndefined();
      expect(await storage.read('col1/rec1/none')).toBeUndefined();
      expect(await storage.read('col1/rec1/none', { start: 0, end: 1 })).toBeUndefined();
      await storage.put('col1/rec1/sub/file', Buffer.from('x'), 'text/plain');
      expect(await storage.stat('col1/rec1/sub')).toBeUndefined();
      expect(await storage.read('col1/rec1/sub')).toBeUndefined();
      expect(await storage.stat('col1/rec1/sub/file/deeper')).toBeUndefined();
      expect(await storage.read('col1/rec1/sub/file/deeper')).toBeUndefined();
      await storage.delete('col1/rec1/sub');
      expect(await content('col1/rec1/sub/file')).toEqual(Buffer.from('x'));
    });

    it('deletes one object and leaves its neighbours', async () => {
      await storage.put('col1/rec1/a.txt', Buffer.from('a'), 'text/plain');
      await storage.put('col1/rec1/b.txt', Buffer.from('b'), 'text/plain');
      await storage.delete('col1/rec1/a.txt');
      expect(await storage.stat('col1/rec1/a.txt')).toBeUndefined();
      expect(await storage.read('col1/rec1/a.txt')).toBeUndefined();
      expect(await content('col1/rec1/b.txt')).toEqual(Buffer.from('b'));
      await storage.delete('col1/rec1/a.txt');
      await storage.delete('col9/rec9/never.txt');
      expect(await fixture.listAll()).toEqual(['col1/rec1/b.txt']);
    });

    it('deletes a folder prefix and nothing that merely starts like it', async () => {
      const keys = ['a/b/x', 'a/b/y/z', 'a/b/thumbs_x/100x100_x', 'a/bc/x', 'a/b.txt', 'ab/x'];
      for (const key of keys) await storage.put(key, Buffer.from(key), 'text/plain');
      await storage.deletePrefix('a/b/');
      expect(await fixture.listAll()).toEqual(['a/b.txt', 'a/bc/x', 'ab/x']);
      for (const key of ['a/b/x', 'a/b/y/z', 'a/b/thumbs_x/100x100_x'])
        expect(await storage.stat(key)).toBeUndefined();
      expect(await content('a/bc/x')).toEqual(Buffer.from('a/bc/x'));
      await storage.deletePrefix('a/b/');
      await storage.deletePrefix('nothing/here/');
    });

    it('deletes by a partial prefix every key that starts with it', async () => {
      const keys = ['a/b/x', 'a/bc/x', 'a/b.txt', 'a/a/x', 'ab/x'];
      for (const key of keys) await storage.put(key, Buffer.from(key), 'text/plain');
      await storage.deletePrefix('a/b');
      expect(await fixture.listAll()).toEqual(['a/a/x', 'ab/x']);
      await storage.deletePrefix('a');
      expect(await fixture.listAll()).toEqual([]);
    });

    it('deletes a prefix holding many objects', async () => {
      const count = options.manyObjects ?? 1100;
      const keys = Array.from(
        { length: count },
        (_, i) => `many/rec/f${String(i).padStart(5, '0')}`,
      );
      for (let i = 0; i < keys.length; i += 25) {
        await Promise.all(
          keys.slice(i, i + 25).map((key) => storage.put(key, Buffer.from(key), 'text/plain')),
        );
      }
      await storage.put('many/other/keep', Buffer.from('keep'), 'text/plain');
      await storage.put('manyx/rec/keep', Buffer.from('keep'), 'text/plain');
      expect(await fixture.listAll()).toHaveLength(count + 2);
      await storage.deletePrefix('many/rec/');
      expect(await fixture.listAll()).toEqual(['many/other/keep', 'manyx/rec/keep']);
    }, 120_000);

    it.skipIf(options.atomicPuts === false)(
      'ends concurrent puts of one key with one complete version, readers seeing whole ones',
      async () => {
        const size = 256 * 1024;
        const versions = Array.from({ length: 8 }, (_, i) => ({
          body: Buffer.alloc(size, i + 1),
          type: `application/x-v${i + 1}`,
        }));
        await storage.put('col1/rec1/raced', Buffer.alloc(size, 0xff), 'application/x-v0');
        const reads: Promise<Buffer | undefined>[] = [];
        await Promise.all(
          versions.map(async (v) => {
            reads.push(content('col1/rec1/raced'));
            await storage.put('col1/rec1/raced', v.body, v.type);
          }),
        );
        // Every read saw one whole version, never a mix or a partial file.
        for (const read of await Promise.all(reads)) {
          expect(read?.length).toBe(size);
          expect(new Set(read).size).toBe(1);
        }
        const final = await content('col1/rec1/raced');
        const info = await storage.stat('col1/rec1/raced');
        expect(final?.length).toBe(size);
        const version = final![0]!;
        expect(version).toBeGreaterThanOrEqual(1);
        expect(version).toBeLessThanOrEqual(versions.length);
        expect(new Set(final).size).toBe(1);
        expect(info?.contentType).toBe(`application/x-v${version}`);
        expect(await fixture.listAll()).toEqual(['col1/rec1/raced']);
      },
    );

    it('accepts unicode file names', async () => {
      const keys = [
        'col1/rec1/ünïcødé_文件_😀.txt',
        'col1/rec1/thumbs_Ωmega.png/100x100_Ωmega.png',
        'col1/rec1/space and+plus%20&amp;=?#.txt',
      ];
      for (const key of keys) await storage.put(key, Buffer.from(key), 'text/plain');
      for (const key of keys) {
        expect(await content(key)).toEqual(Buffer.from(key));
        expect((await storage.stat(key))?.size).toBe(Buffer.byteLength(key));
      }
      expect(await fixture.listAll()).toEqual([...keys].sort());
      await storage.delete(keys[0]!);
      await storage.deletePrefix('col1/rec1/thumbs_Ωmega.png/');
      expect(await fixture.listAll()).toEqual([keys[2]]);
    });

    it('refuses invalid keys and prefixes, and writes nothing', async () => {
      await storage.put('col1/rec1/keep', Buffer.from('keep'), 'text/plain');
      for (const key of INVALID_KEYS) {
        const label = JSON.stringify(key);
        await expect(storage.put(key, Buffer.from('x'), 'text/plain'), label).rejects.toThrow(
          InvalidStorageKeyError,
        );
        await expect(storage.stat(key), label).rejects.toThrow(InvalidStorageKeyError);
        await expect(storage.read(key), label).rejects.toThrow(InvalidStorageKeyError);
        await expect(storage.delete(key), label).rejects.toThrow(InvalidStorageKeyError);
      }
      for (const prefix of INVALID_PREFIXES) {
        await expect(storage.deletePrefix(prefix), JSON.stringify(prefix)).rejects.toThrow(
          InvalidStorageKeyError,
        );
      }
      expect(await fixture.listAll()).toEqual(['col1/rec1/keep']);
    });
  });
}
