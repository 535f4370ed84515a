import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../lib/json/canonical-json.js';
import { ApiError } from '../errors.js';
import { readIdempotencyKey, requestFingerprint } from './idempotency-key.js';

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  );
}

describe('canonicalJson', () => {
  it('ignores key order and keeps everything else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reversedKeys(value))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 'x' }] })).toBe(
      '{"a":[2,{"c":"x","d":1}],"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('');
  });
});

describe('readIdempotencyKey', () => {
  it('accepts 1 to 255 printable ASCII characters', () => {
    expect(readIdempotencyKey('a', 'required')).toBe('a');
    expect(readIdempotencyKey(' ~'.repeat(127) + 'x', 'optional')).toHaveLength(255);
    expect(readIdempotencyKey(undefined, 'optional')).toBeUndefined();
  });

  it('refuses missing (required), empty, long, non-ASCII, control and repeated keys', () => {
    for (const bad of [undefined, '', 'x'.repeat(256), 'é', 'a\tb', 'a\nb', ['a', 'b']]) {
      expect(() => readIdempotencyKey(bad, 'required')).toThrow(ApiError);
    }
  });
});

describe('requestFingerprint', () => {
  const base = { method: 'POST', url: '/api/x', body: { a: 1, b: 2 } };
  it('is the same for the same request, other for another method, URL, body or file', () => {
    const fp = requestFingerprint(base);
    expect(requestFingerprint({ ...base, method: 'post', body: { b: 2, a: 1 } })).toBe(fp);
    expect(requestFingerprint({ ...base, method: 'PUT' })).not.toBe(fp);
    expect(requestFingerprint({ ...base, url: '/api/x?y=1' })).not.toBe(fp);
    expect(requestFingerprint({ ...base, body: { a: 1, b: 3 } })).not.toBe(fp);
    const file = { field: 'f', filename: 'a.txt', mimetype: 'text/plain', data: Buffer.from('x') };
    const withFile = requestFingerprint({ ...base, files: [file] });
    expect(withFile).not.toBe(fp);
    expect(requestFingerprint({ ...base, files: [{ ...file, data: Buffer.from('y') }] })).not.toBe(
      withFile,
    );
  });
});
