import { describe, expect, it } from 'vitest';
import { toExcerpt } from './html-excerpt.js';

/** Long enough that nothing is cut. */
const ALL = 1_000_000;

describe('toExcerpt: tags and text', () => {
  it.each<[string, string]>([
    ['', ''],
    ['plain text', 'plain text'],
    ['<p>Hello</p>', 'Hello'],
    ['<p>Hello <b>big</b> world</p>', 'Hello big world'],
    ['<b>bold</b>er <i>it</i><span>al</span>ic', 'bolder italic'],
    ['<p>one</p><p>two</p>', 'one two'],
    ['<li>a</li><li>b</li>', 'a b'],
    ['line<br>break<br/>here', 'line break here'],
    ['<div>a<div>b</div>c</div>', 'a b c'],
    ['<h1 class="t">Title</h1>Body', 'Title Body'],
    ['<a href="/x?a=1&b=2" title="a > b">link</a>', 'link'],
    ["<a title='it's'>x</a>", 'x'],
    ['<a title=">">x</a>y', 'xy'],
    ['<P>Upper</P><BR>Case', 'Upper Case'],
    ['<!-- hidden --> shown', 'shown'],
    ['a<!-->b', 'ab'],
    ['a<!--->b', 'ab'],
    ['<!DOCTYPE html><html><body>x</body></html>', 'x'],
    ['<?xml version="1.0"?>x', 'x'],
    ['a < b and c > d', 'a < b and c > d'],
    ['I <3 you', 'I <3 you'],
    ['a </> b', 'a b'],
    ['a </3 b> c', 'a c'],
    ['ends with </', 'ends with </'],
    ['ends with <', 'ends with <'],
    ['unclosed <b', 'unclosed'],
    ['unclosed <a href="x>y', 'unclosed'],
    ['<custom-tag>x</custom-tag>y', 'x y'],
  ])('%j -> %j', (html, expected) => {
    expect(toExcerpt(html, ALL, false)).toBe(expected);
  });
});

describe('toExcerpt: skipped elements', () => {
  it.each<[string, string]>([
    ['a<script>alert("<p>x</p>")</script>b', 'ab'],
    ['a<SCRIPT type="x">var s = "</scr" + "ipt>";</SCRIPT >b', 'ab'],
    ['a<style>p { color: red }</style>b', 'ab'],
    ['a<img src="x.png" alt="pic">b', 'ab'],
    ['a<svg><text>no</text><svg>deeper</svg>still</svg>b', 'ab'],
    ['a<svg/>b', 'ab'],
    ['a<iframe src="x">fallback <b>text</b></iframe>b', 'ab'],
    ['a<video controls><source src="v.mp4">Your browser</video>b', 'ab'],
    ['a<audio>sound</audio>b', 'ab'],
    ['a<object><object>inner</object>outer</object>b', 'ab'],
    ['a<input value="v">b', 'ab'],
    ['a<select><option>one</option><option>two</option></select>b', 'ab'],
    ['a<textarea>typed <b>text</b></textarea>b', 'ab'],
    ['a<button>Click</button>b', 'ab'],
    ['a<form><label>Name</label><input></form>b', 'ab'],
    ['a<form><script>"</form>"</script>inside</form>b', 'ab'],
    ['a<form><!-- </form> -->inside</form>b', 'ab'],
    ['a<template><p>t</p></template>b', 'ab'],
    ['a<noscript>enable js</noscript>b', 'ab'],
    ['a<canvas>no canvas</canvas>b', 'ab'],
    ['<p>a</p><img src=x><p>b</p>', 'a b'],
    ['stray </form> end', 'stray end'],
    ['never closed <script>x', 'never closed'],
    ['never closed <form>x<p>y', 'never closed'],
  ])('%j -> %j', (html, expected) => {
    expect(toExcerpt(html, ALL, false)).toBe(expected);
  });
});

describe('toExcerpt: entities and whitespace', () => {
  it.each<[string, string]>([
    ['a &amp; b', 'a & b'],
    ['&lt;p&gt; is a tag', '<p> is a tag'],
    ['&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
    ['&quot;q&quot; &#39;s&#39; &apos;a&apos;', "\"q\" 's' 'a'"],
    ['a&nbsp;&nbsp;&nbsp;b', 'a b'],
    ['&#65;&#x42;&#X43;&#0068', 'ABCD'],
    ['&#x1F600; smile', '\u{1F600} smile'],
    ['&#0; &#xD800; &#99999999999;', '\ufffd \ufffd \ufffd'],
    ['&copy; &mdash; &hellip;', '\u00a9 \u2014 \u2026'],
    ['&unknown; &amp &; & alone', '&unknown; &amp &; & alone'],
    ['&#; &#x;', '&#; &#x;'],
    ['  \n\t lots   of\r\n space \u00a0 ', 'lots of space'],
    ['<p>\n  indented\n</p>\n<p>\n  more\n</p>', 'indented more'],
  ])('%j -> %j', (html, expected) => {
    expect(toExcerpt(html, ALL, false)).toBe(expected);
  });
});

describe('toExcerpt: cutting', () => {
  it.each<[string, number, boolean, string]>([
    ['Hello world', 5, false, 'Hello'],
    ['Hello world', 5, true, 'Hello...'],
    ['Hello world', 6, true, 'Hello...'],
    ['Hello world', 11, true, 'Hello world'],
    ['Hello world', 100, true, 'Hello world'],
    ['<p>Hello</p>   <p>world</p>', 6, true, 'Hello...'],
    ['<p>Hello <b>big</b>&nbsp;world</p>', 9, true, 'Hello big...'],
    ['😀😀😀😀', 2, true, '😀😀...'],
    ['😀😀', 2, true, '😀😀'],
    ['héllo wörld', 4, false, 'héll'],
    ['e\u0301e\u0301e\u0301', 2, false, 'e\u0301'],
    ['&amp;&amp;&amp;', 2, true, '&&...'],
    ['a', 1, true, 'a'],
    ['ab', 1, true, 'a...'],
  ])('%j at %i (ellipsis %j) -> %j', (html, max, withEllipsis, expected) => {
    expect(toExcerpt(html, max, withEllipsis)).toBe(expected);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects maxChars %d', (max) => {
    expect(() => toExcerpt('x', max, false)).toThrow(RangeError);
  });
});

describe('toExcerpt: linear time on adversarial input', () => {
  const MB = 1 << 20;
  const repeatTo = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length));

  it.each<[string, string]>([
    ['unclosed tags', repeatTo('<a')],
    ['bare <', repeatTo('<')],
    ['unclosed end tags', repeatTo('</a')],
    ['end tag openers', repeatTo('</')],
    ['unclosed quoted attributes', repeatTo('<a href="')],
    ['attributes without quotes', repeatTo('<a b=c ')],
    ['unclosed comments', repeatTo('<!--')],
    ['unclosed declarations', repeatTo('<!')],
    ['script openers', repeatTo('<script>')],
    ['script end lookalikes', `<script>${repeatTo('</scrip')}`],
    ['nested skipped elements', repeatTo('<form>')],
    ['entity lookalikes', repeatTo('&amp')],
    ['numeric entity lookalikes', repeatTo('&#')],
    ['long numeric entity', `&#${'9'.repeat(MB)}`],
    ['long text, early stop', repeatTo('word ')],
  ])('handles 1 MB of %s quickly', (_label, html) => {
    const started = performance.now();
    toExcerpt(html, 200, true);
    toExcerpt(html, MB, true);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
