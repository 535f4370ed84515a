import { describe, expect, it } from 'vitest';
import { SecretBox, SecretOpenError } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox('a passphrase');

  it('seals with a fresh nonce and opens with the same key', () => {
    const a = box.seal('s3cret ü');
    const b = box.seal('s3cret ü');
    expect(a).toMatch(/^enc:v1:/);
    expect(a).not.toBe(b);
    expect(new SecretBox('a passphrase').open(a)).toBe('s3cret ü');
    expect(box.seal('')).toBe('');
    expect(box.open('plain')).toBe('plain');
  });

  it('refuses a wrong key, an altered value and a truncated one', () => {
    const sealed = box.seal('value');
    expect(() => new SecretBox('another').open(sealed)).toThrow(SecretOpenError);
    const raw = Buffer.from(sealed.slice(7), 'base64');
    raw[14] = (raw[14] ?? 0) ^ 1;
    expect(() => box.open(`enc:v1:${raw.toString('base64')}`)).toThrow(SecretOpenError);
    expect(() => box.open('enc:v1:AAAA')).toThrow(SecretOpenError);
  });
});
