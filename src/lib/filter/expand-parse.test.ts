import { describe, expect, it } from 'vitest';
import type { ExpandNode } from './expand-parse.js';
import { parseExpand } from './expand-parse.js';

/** Shorthand tree: `{author: {}, comments: {user: {}}}`. */
interface Tree {
  [name: string]: Tree;
}

function tree(nodes: ExpandNode[]): Tree {
  return Object.fromEntries(nodes.map((node) => [node.name, tree(node.children)]));
}

describe('parseExpand', () => {
  it.each([
    ['', {}],
    [' , ,', {}],
    ['author', { author: {} }],
    ['author,tags', { author: {}, tags: {} }],
    ['author.team', { author: { team: {} } }],
    [
      'author,comments_via_post.user,comments_via_post.post',
      { author: {}, comments_via_post: { user: {}, post: {} } },
    ],
    ['a.b,a,a.b.c,a.b', { a: { b: { c: {} } } }],
    [' author , comments_via_post . user ', { author: {}, comments_via_post: { user: {} } }],
    ['a.b.c.d.e.f.g.h', { a: { b: { c: { d: { e: { f: {} } } } } } }],
    ['a.b.c.d.e.f.g!!.h(x)', { a: { b: { c: { d: { e: { f: {} } } } } } }],
    ['1st,_x', { '1st': {}, _x: {} }],
  ])('parses %j', (text, expected) => {
    expect(tree(parseExpand(text))).toEqual(expected);
  });

  it('keeps first-seen order of siblings', () => {
    const names = parseExpand('c,a.x,b,a.y,c.z').map((node) => node.name);
    expect(names).toEqual(['c', 'a', 'b']);
    expect(parseExpand('c,a.x,b,a.y')[1]!.children.map((node) => node.name)).toEqual(['x', 'y']);
  });

  it.each([
    ['a..b', 'Invalid expand segment "" at position 2.', 2],
    ['a.', 'Invalid expand segment "" at position 2.', 2],
    ['.a', 'Invalid expand segment "" at position 0.', 0],
    ['author, comments(post)', 'Invalid expand segment "comments(post)" at position 8.', 8],
    ['a.b-c', 'Invalid expand segment "b-c" at position 2.', 2],
    ['@request', 'Invalid expand segment "@request" at position 0.', 0],
    ['a b', 'Invalid expand segment "a b" at position 0.', 0],
    ['x.y:z', 'Invalid expand segment "y:z" at position 2.', 2],
  ])('rejects %j', (text, message, position) => {
    expect(() => parseExpand(text)).toThrow(message);
    expect(() => parseExpand(text)).toThrow(expect.objectContaining({ position }));
  });
});
