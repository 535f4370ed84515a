import { quoteSource, syntaxError } from './filter-error.js';
import { EXPAND_MAX_DEPTH } from './filter-limits.js';
import { splitList } from './list-split.js';

/** One relation to expand and the relations to expand inside it. */
export interface ExpandNode {
  /** A relation field name, or a back-relation such as `comments_via_post`. */
  readonly name: string;
  readonly children: ExpandNode[];
}

const SEGMENT = /^[A-Za-z0-9_]+$/;

/**
 * Parses the `expand` query param (`author,comments_via_post.user`) into a tree, merging
 * duplicate paths and keeping first-seen order. Empty items are skipped; segments beyond the
 * sixth level are dropped silently, as PocketBase does. Every kept segment must be a plain name
 * (letters, digits, `_`); anything else, including an empty segment (`a..b`) and the deprecated
 * `collection(field)` form, throws `FilterSyntaxError` with the offset into `text`.
 *
 * @example parseExpand('author,comments_via_post.user')
 */
export function parseExpand(text: string): ExpandNode[] {
  const roots: ExpandNode[] = [];
  for (const item of splitList(text, ',')) {
    if (item.text === '') continue;
    const segments = splitList(item.text, '.', item.pos).slice(0, EXPAND_MAX_DEPTH);
    let level = roots;
    for (const segment of segments) {
      if (!SEGMENT.test(segment.text)) {
        throw syntaxError(`Invalid expand segment ${quoteSource(segment.text)}`, segment.pos);
      }
      level = childNamed(level, segment.text).children;
    }
  }
  return roots;
}

/** Finds the node called `name` among `siblings`, adding it when missing. */
function childNamed(siblings: ExpandNode[], name: string): ExpandNode {
  const existing = siblings.find((node) => node.name === name);
  if (existing !== undefined) return existing;
  const created: ExpandNode = { name, children: [] };
  siblings.push(created);
  return created;
}
