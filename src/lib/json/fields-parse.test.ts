import { describe, expect, it } from 'vitest';
import { FieldsParamError } from './fields-error.js';
import { parseFieldsParam } from './fields-parse.js';
import type { FieldPick, FieldSelection, FieldsProjection } from './fields-types.js';

/** Shorthand tree: `true` keeps a whole value, `'excerpt(10,false)'` with a modifier. */
interface Shown {
  [key: string]: Shown | string | true;
}

function show(projection: FieldsProjection): Shown | null {
  return projection.kind === 'none' ? null : showSelection(projection.root);
}

function showSelection(selection: FieldSelection): Shown {
  const out: Shown = {};
  for (const [key, pick] of selection.keys) out[key] = showPick(pick);
  if (selection.star !== null) out['*'] = showPick(selection.star);
  return out;
}

function showPick(pick: FieldPick): Shown | string | true {
  if (pick.kind === 'nested') return showSelection(pick.selection);
  const m = pick.modifier;
  return m === null ? true : `excerpt(${m.maxChars},${String(m.withEllipsis)})`;
}

function errorOf(text: string): FieldsParamError {
  try {
    parseFieldsParam(text);
  } catch (error) {
    if (error instanceof FieldsParamError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseFieldsParam: valid', () => {
  it.each<[string, Shown | null]>([
    ['', null],
    ['   ', null],
    [' , ,, ', null],
    ['id', { id: true }],
    ['id,title', { id: true, title: true }],
    [' id , title ', { id: true, title: true }],
    ['id,,title,', { id: true, title: true }],
    ['*', { '*': true }],
    ['expand.author.name', { expand: { author: { name: true } } }],
    ['*,expand.author.name', { expand: { author: { name: true } }, '*': true }],
    ['expand.*', { expand: { '*': true } }],
    ['a.b,a.c', { a: { b: true, c: true } }],
    ['a.b,a', { a: true }],
    ['a,a.b', { a: true }],
    ['a.b.c,a.b,a.b.d', { a: { b: true } }],
    ['id,id', { id: true }],
    ['d:excerpt(10)', { d: 'excerpt(10,false)' }],
    ['d:excerpt(10,true)', { d: 'excerpt(10,true)' }],
    ['d : excerpt ( 10 , true )', { d: 'excerpt(10,true)' }],
    ['d:excerpt(10,1),x', { d: 'excerpt(10,true)', x: true }],
    ['d:excerpt(10,F)', { d: 'excerpt(10,false)' }],
    ['d:excerpt(10,true),d', { d: true }],
    ['d,d:excerpt(5)', { d: 'excerpt(5,false)' }],
    ['*:excerpt(3)', { '*': 'excerpt(3,false)' }],
    ['*,description:excerpt(200,true)', { description: 'excerpt(200,true)', '*': true }],
    ['record.id,token', { record: { id: true }, token: true }],
    ['a.b.c.d.e.f', { a: { b: { c: { d: { e: { f: true } } } } } }],
    ['a.b.c.d.e.*', { a: { b: { c: { d: { e: { '*': true } } } } } }],
    [
      'comments_via_post,@collectionId,x-y,1st,é',
      { comments_via_post: true, '@collectionId': true, 'x-y': true, '1st': true, é: true },
    ],
    ['mfa,otp,password,oauth2', { mfa: true, otp: true, password: true, oauth2: true }],
  ])('parses %j', (text, expected) => {
    expect(show(parseFieldsParam(text))).toEqual(expected);
  });

  it('keeps first-seen key order', () => {
    const projection = parseFieldsParam('c,a.x,b,a.y');
    expect(projection.kind === 'pick' && [...projection.root.keys.keys()]).toEqual(['c', 'a', 'b']);
  });

  it('accepts the limits exactly', () => {
    const paths = Array.from({ length: 100 }, (_, i) => `f${i}`).join(',');
    expect(parseFieldsParam(paths).kind).toBe('pick');
    expect(parseFieldsParam('a'.repeat(1000)).kind).toBe('pick');
    // 1000 astral characters are 2000 UTF-16 units but 1000 characters.
    expect(parseFieldsParam('😀'.repeat(1000)).kind).toBe('pick');
  });
});

describe('parseFieldsParam: invalid', () => {
  it.each<[string, RegExp, number]>([
    ['a..b', /empty path segment/, 2],
    ['.a', /empty path segment/, 0],
    ['id, a.', /empty path segment/, 6],
    ['*.id', /"\*" must be the last segment/, 0],
    ['a.*.b', /"\*" must be the last segment/, 2],
    ['a*', /unexpected "\*"/, 1],
    ['a b', /unexpected " "/, 1],
    ['a. b', /unexpected " "/, 2],
    ['a\tb', /unexpected "\\t"/, 1],
    ['a(b)', /unexpected "\("/, 1],
    ['a)', /unmatched "\)"/, 1],
    ['d:excerpt(10', /unclosed "\("/, 9],
    ['d:excerpt((10))', /nested "\("/, 10],
    ['d:', /expected a modifier/, 2],
    ['d:excerpt', /expected a modifier/, 2],
    ['d:excerpt()', /maxChars must be a positive integer, got ""/, 2],
    ['d:excerpt(0)', /maxChars must be a positive integer, got "0"/, 2],
    ['d:excerpt(-5)', /maxChars must be a positive integer/, 2],
    ['d:excerpt(1.5)', /maxChars must be a positive integer/, 2],
    ['d:excerpt(abc)', /maxChars must be a positive integer/, 2],
    ['d:excerpt(99999999999999999999)', /maxChars must be a positive integer/, 2],
    ['d:excerpt(10,yes)', /withEllipsis must be true or false, got "yes"/, 2],
    ['d:excerpt(10,)', /withEllipsis must be true or false, got ""/, 2],
    ['d:excerpt(10,true,1)', /too many excerpt arguments/, 2],
    ['id, d: upper(3)', /unknown modifier "upper"/, 7],
    ['d:excerpt(3) x', /expected a modifier/, 2],
    ['d:excerpt(3):excerpt(4)', /expected a modifier/, 2],
    ['a.b.c.d.e.f.g', /deeper than 6 levels/, 0],
    ['a'.repeat(1001), /longer than 1000 characters/, 1000],
    [Array.from({ length: 101 }, (_, i) => `f${i}`).join(','), /more than 100 paths/, 390],
  ])('rejects %j', (text, message, position) => {
    const error = errorOf(text);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FieldsParamError');
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^Invalid fields param: .* at position \d+\.$/);
    expect(error.position).toBe(position);
  });
});
