import { describe, expect, it } from 'vitest';
import {
  compileFastifyPath,
  compilePathPattern,
  matchPathPattern,
  samplePath,
} from './path-pattern.js';

describe('path patterns', () => {
  it('matches literals, one-segment params and a final rest', () => {
    const item = compilePathPattern('/api/shop/{id}');
    expect(matchPathPattern(item, '/api/shop/42')).toEqual({ id: '42' });
    expect(matchPathPattern(item, '/api/shop/')).toBeUndefined();
    expect(matchPathPattern(item, '/api/shop/42/x')).toBeUndefined();
    expect(matchPathPattern(item, '/api/shop')).toBeUndefined();
    const rest = compilePathPattern('/files/{path...}');
    expect(matchPathPattern(rest, '/files/a/b%20c')).toEqual({ path: 'a/b c' });
    expect(matchPathPattern(rest, '/files/')).toEqual({ path: '' });
    expect(matchPathPattern(rest, '/files')).toBeUndefined();
  });

  it('refuses malformed patterns', () => {
    expect(() => compilePathPattern('api')).toThrow(/start with/);
    expect(() => compilePathPattern('/a/{b')).toThrow(/bad segment/);
    expect(() => compilePathPattern('/a/{1x}')).toThrow(/bad segment/);
    expect(() => compilePathPattern('/{a}/{a}')).toThrow(/repeated/);
    expect(() => compilePathPattern('/{a...}/b')).toThrow(/last/);
  });

  it('tells whether a Fastify route serves every path of a pattern', () => {
    const builtIn = compileFastifyPath('/api/collections/:collection/records');
    const probe = (path: string) => samplePath(compilePathPattern(path), '%00');
    expect(matchPathPattern(builtIn, probe('/api/collections/{c}/records'))).toBeDefined();
    expect(matchPathPattern(builtIn, probe('/api/collections/x/records'))).toBeDefined();
    expect(matchPathPattern(builtIn, probe('/api/{x}/y/records'))).toBeUndefined();
  });
});
