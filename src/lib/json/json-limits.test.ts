import { describe, expect, it } from 'vitest';
import { jsonTextTooDeep, jsonValueProblem, MAX_JSON_DEPTH } from './json-limits.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('jsonTextTooDeep', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonTextTooDeep(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTextTooDeep(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTextTooDeep(`{"a":${nested(5000)}}`)).toBe(true);
    expect(jsonTextTooDeep(JSON.stringify({ s: '['.repeat(5000) }))).toBe(false);
    // An escaped quote does not end the string.
    expect(jsonTextTooDeep(JSON.stringify({ s: `"${'{'.repeat(5000)}` }))).toBe(false);
    expect(jsonTextTooDeep('[{"a":[1]}]', 2)).toBe(true);
    expect(jsonTextTooDeep('[{"a":1}]', 2)).toBe(false);
  });
});

describe('jsonValueProblem', () => {
  it('finds NUL in strings and keys, numbers that are not finite, and deep nesting', () => {
    expect(jsonValueProblem({ a: [1, 'x', null, true] })).toBeUndefined();
    expect(jsonValueProblem({ a: ['x\u0000'] })).toBe('nul');
    expect(jsonValueProblem({ 'k\u0000': 1 })).toBe('nul');
    expect(jsonValueProblem([1, Infinity])).toBe('number');
    expect(jsonValueProblem({ n: NaN })).toBe('number');
    expect(jsonValueProblem(JSON.parse(nested(MAX_JSON_DEPTH)))).toBeUndefined();
    expect(jsonValueProblem(JSON.parse(nested(MAX_JSON_DEPTH + 1)))).toBe('depth');
    expect(jsonValueProblem(JSON.parse(nested(20_000)))).toBe('depth');
  });
});
