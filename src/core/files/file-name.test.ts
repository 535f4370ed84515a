import { describe, expect, it } from 'vitest';
import { storedFileName } from './file-name.js';

const SHAPE = /^[a-z0-9_]{3,100}_[a-z0-9]{10}(\.[a-z0-9]{1,20})?$/;

describe('storedFileName', () => {
  it('keeps a snake_case base, a random suffix and the lower-cased extension', () => {
    expect(storedFileName('My Photo.JPG')).toMatch(/^my_photo_[a-z0-9]{10}\.jpg$/);
    expect(storedFileName('reportFinal2.pdf')).toMatch(/^report_final2_[a-z0-9]{10}\.pdf$/);
    expect(storedFileName('Crème brûlée.png')).toMatch(/^creme_brulee_[a-z0-9]{10}\.png$/);
    expect(storedFileName('archive.tar.gz')).toMatch(/^archive_tar_[a-z0-9]{10}\.gz$/);
  });

  it('leaves nothing of paths, controls, bidi tricks or look-alikes', () => {
    const names = [
      '../../etc/passwd',
      '..\\..\\windows\\system32\\x.dll',
      'evil\u0000.txt',
      'a\r\nSet-Cookie: x=1.txt',
      'invoice\u202egnp.exe',
      'ｆｕｌｌ.txt',
      '.htaccess',
      '',
      '...',
      '😀😀😀.png',
      `${'a'.repeat(5000)}.${'b'.repeat(100)}`,
      'name.p/n/g',
    ];
    for (const name of names) {
      const stored = storedFileName(name);
      expect(stored, JSON.stringify(name)).toMatch(SHAPE);
      expect(stored.length).toBeLessThanOrEqual(132);
    }
    expect(storedFileName('ｆｕｌｌ.txt')).toMatch(/^full_[a-z0-9]{10}\.txt$/);
    expect(storedFileName('../../etc/passwd')).toMatch(/^passwd_[a-z0-9]{10}$/);
    // The local storage's metadata suffix never ends a stored name.
    expect(storedFileName('photo.ATTRS')).toMatch(/^photo_attrs_[a-z0-9]{10}$/);
  });

  it('never repeats a name', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => storedFileName('same.txt')));
    expect(seen.size).toBe(1000);
  });
});
