import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalFileStorage } from '../../src/core/files/local-storage.js';
import { openFileStorage } from '../../src/core/files/open-storage.js';
import { defaultSettings } from '../../src/core/settings/settings-model.js';
import { describeStorageContract } from './storage-contract.js';

/** Every file under `base`, relative to `root` ('../x' if outside it), sidecars of files left out. */
async function filesUnder(base: string, root: string): Promise<string[]> {
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split('\\').join('/'));
  const set = new Set(files);
  return files.filter((f) => !(f.endsWith('.attrs') && set.has(f.slice(0, -6)))).sort();
}

function localFixture() {
  const base = mkdtempSync(join(tmpdir(), 'basalt-storage-'));
  const root = join(base, 'storage');
  const storage = new LocalFileStorage(root);
  return {
    base,
    root,
    storage,
    listAll: () => filesUnder(base, root),
    async dispose() {
      await storage.close();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

describeStorageContract('local', async () => localFixture());

describe('LocalFileStorage', () => {
  let f: ReturnType<typeof localFixture>;
  beforeEach(() => {
    f = localFixture();
  });
  afterEach(async () => {
    await f.dispose();
  });

  it('lays files out as PocketBase does, the content type in a fileblob sidecar', async () => {
    await f.storage.put('col/rec/a.png', Buffer.from('png'), 'image/png');
    expect(await readFile(join(f.root, 'col/rec/a.png'), 'utf8')).toBe('png');
    const attrs: unknown = JSON.parse(await readFile(join(f.root, 'col/rec/a.png.attrs'), 'utf8'));
    expect(attrs).toEqual({
      'user.content_type': 'image/png',
      md5: createHash('md5').update('png').digest('base64'),
    });
    expect(readdirSync(join(f.root, 'col/rec')).sort()).toEqual(['a.png', 'a.png.attrs']);
  });

  it('reads a PocketBase storage folder: sidecar content type, octet-stream without one', async () => {
    await mkdir(join(f.root, 'c/r'), { recursive: true });
    await writeFile(join(f.root, 'c/r/doc.pdf'), 'pdf');
    await writeFile(
      join(f.root, 'c/r/doc.pdf.attrs'),
      JSON.stringify({
        'user.cache_control': '',
        'user.content_type': 'application/pdf',
        'user.metadata': null,
        md5: 'x',
      }),
    );
    await writeFile(join(f.root, 'c/r/bare.bin'), 'bare');
    await writeFile(join(f.root, 'c/r/broken.txt'), 'broken');
    await writeFile(join(f.root, 'c/r/broken.txt.attrs'), '{not json');
    expect(await f.storage.stat('c/r/doc.pdf')).toMatchObject({
      size: 3,
      contentType: 'application/pdf',
    });
    expect((await f.storage.stat('c/r/bare.bin'))?.contentType).toBe('application/octet-stream');
    expect((await f.storage.stat('c/r/broken.txt'))?.contentType).toBe('application/octet-stream');
  });

  it('removes folders left empty, up to the root and never the root', async () => {
    await f.storage.put('col/rec1/a', Buffer.from('a'), 'text/plain');
    await f.storage.put('col/rec1/thumbs_a/100x100_a', Buffer.from('t'), 'image/png');
    await f.storage.put('col/rec2/b', Buffer.from('b'), 'text/plain');
    await f.storage.deletePrefix('col/rec1/thumbs_a/');
    expect(readdirSync(join(f.root, 'col/rec1'))).toEqual(['a', 'a.attrs']);
    await f.storage.delete('col/rec1/a');
    expect(readdirSync(join(f.root, 'col'))).toEqual(['rec2']);
    await f.storage.deletePrefix('col/rec2/');
    expect(readdirSync(f.root)).toEqual([]);
    await f.storage.put('x/y/z', Buffer.from('z'), 'text/plain');
    await f.storage.deletePrefix('x');
    expect(readdirSync(f.root)).toEqual([]);
  });

  it('leaves no temporary file behind a failed put', async () => {
    // A folder where the file should go makes the final rename fail.
    await mkdir(join(f.root, 'col/rec/taken/inner'), { recursive: true });
    await expect(f.storage.put('col/rec/taken', Buffer.from('x'), 'text/plain')).rejects.toThrow();
    expect(readdirSync(join(f.root, 'col/rec')).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(await f.storage.stat('col/rec/taken')).toBeUndefined();
  });

  it('keeps writing while deletes empty the same folders', async () => {
    const work = [];
    for (let i = 0; i < 150; i++) {
      for (const rec of ['rec1', 'rec2']) {
        work.push(f.storage.put(`col/${rec}/f${i}`, Buffer.from(`v${i}`), 'text/plain'));
        work.push(f.storage.delete(`col/${rec}/f${i - 1}`));
      }
    }
    await Promise.all(work);
    expect(await f.listAll()).toEqual(['col/rec1/f149', 'col/rec2/f149']);
  });

  it('refuses a key below an existing file, leaving nothing behind', async () => {
    await f.storage.put('col/rec/file', Buffer.from('x'), 'text/plain');
    await expect(
      f.storage.put('col/rec/file/below', Buffer.from('y'), 'text/plain'),
    ).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(await f.listAll()).toEqual(['col/rec/file']);
  });

  it('is what openFileStorage picks without s3, under <dataDir>/storage', async () => {
    const storage = openFileStorage(defaultSettings(), f.base);
    expect(storage).toBeInstanceOf(LocalFileStorage);
    await storage.put('c/r/f', Buffer.from('f'), 'text/plain');
    expect(await readFile(join(f.root, 'c/r/f'), 'utf8')).toBe('f');
    await storage.close();
  });
});
