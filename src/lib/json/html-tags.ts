/**
 * Elements whose content never reaches an excerpt: scripts and styles, embedded media and
 * graphics, form controls and whole forms, and document metadata. PocketBase's list plus
 * media/canvas/math/noscript and the head-only elements.
 */
export const SKIPPED_ELEMENTS: ReadonlySet<string> = new Set([
  'head',
  'title',
  'meta',
  'link',
  'base',
  'style',
  'script',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'noframes',
  'noembed',
  'embed',
  'applet',
  'object',
  'param',
  'svg',
  'math',
  'canvas',
  'img',
  'picture',
  'source',
  'track',
  'video',
  'audio',
  'map',
  'dialog',
  'form',
  'button',
  'input',
  'select',
  'option',
  'optgroup',
  'datalist',
  'textarea',
  'xmp',
]);

/**
 * Elements whose content is raw text up to their end tag (no tags inside), so `</p>` in a
 * script is not an end tag. All of them are skipped elements.
 */
export const RAW_TEXT_ELEMENTS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
]);

/** Elements that never have content or an end tag. */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Foreign elements, for which `<x/>` really closes the element. */
export const FOREIGN_ELEMENTS: ReadonlySet<string> = new Set(['svg', 'math']);

/**
 * Phrasing elements that do not separate words: `<b>bold</b>er` reads "bolder". Every other
 * element (p, div, li, br, td, ...) counts as whitespace around its content. PocketBase's inline
 * list is shorter and counts `br` as inline; here `br` separates words and u/s/mark/... join.
 */
export const INLINE_ELEMENTS: ReadonlySet<string> = new Set([
  'a',
  'abbr',
  'acronym',
  'b',
  'bdi',
  'bdo',
  'big',
  'cite',
  'code',
  'data',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'ins',
  'kbd',
  'label',
  'mark',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'tt',
  'u',
  'var',
  'wbr',
]);
