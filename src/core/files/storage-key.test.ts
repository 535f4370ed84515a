import { describe, expect, it } from 'vitest';
import { InvalidStorageKeyError, storageKeySegments, storagePrefixParts } from './storage-key.js';

describe('storage keys', () => {
  it('splits valid keys into segments', () => {
    expect(storageKeySegments('col/rec/a.png')).toEqual(['col', 'rec', 'a.png']);
    expect(storageKeySegments('col/rec/thumbs_a.png/100x100_a.png')).toHaveLength(4);
    expect(storageKeySegments('c/r/ünï 😀.txt')).toEqual(['c', 'r', 'ünï 😀.txt']);
    expect(storageKeySegments('c/r/.hidden..name')).toEqual(['c', 'r', '.hidden..name']);
    expect(storageKeySegments('c/r/x.attrs.png')).toHaveLength(3);
    expect(storageKeySegments('c/a.attrs/x')).toHaveLength(3);
  });

  it('refuses keys that could leave the root or mean something else', () => {
    const bad = [
      '',
      '/a',
      'a/',
      'a//b',
      '.',
      '..',
      'a/./b',
      '../a',
      'a\\b',
      'a\u0000b',
      'a\u007fb',
    ];
    for (const key of [...bad, 'a/b.attrs', `${'x'.repeat(241)}/a`, `a/${'é'.repeat(600)}`])
      expect(() => storageKeySegments(key), JSON.stringify(key)).toThrow(InvalidStorageKeyError);
  });

  it('never echoes the key in the error', () => {
    expect(() => storageKeySegments('secret/../x')).toThrow(
      'Invalid storage key: relative path segment.',
    );
  });

  it('splits prefixes into folders and a partial name', () => {
    expect(storagePrefixParts('col/rec/')).toEqual({ folders: ['col', 'rec'], partial: '' });
    expect(storagePrefixParts('col/re')).toEqual({ folders: ['col'], partial: 're' });
    expect(storagePrefixParts('col')).toEqual({ folders: [], partial: 'col' });
    for (const prefix of ['', '/', '//', 'a//', '../', 'a/../', 'a/..', 'a\\b/'])
      expect(() => storagePrefixParts(prefix), JSON.stringify(prefix)).toThrow(
        InvalidStorageKeyError,
      );
  });
});
