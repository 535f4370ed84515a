/**
 * HTTP entity-tags (RFC 9110 §8.8.3) and the two conditional request headers that list them,
 * If-Match (§13.1.1) and If-None-Match (§13.1.2). Domain-free: a tag is opaque text here.
 */

/** One entity-tag of a header: its opaque text (without quotes) and whether it was `W/`. */
export interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

/**
 * A parsed If-Match / If-None-Match value: `*` (any current representation), a list of tags,
 * or `malformed` (not the header's syntax; callers fail closed: it matches nothing).
 */
export type EntityTagCondition =
  | { readonly kind: 'any' }
  | { readonly kind: 'list'; readonly tags: readonly EntityTag[] }
  | { readonly kind: 'malformed' };

// etagc = %x21 / %x23-7E / obs-text: anything visible but DQUOTE (RFC 9110 §8.8.3).
const ELEMENT = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;
const OWS = /^[ \t]*|[ \t]*$/g;

/** Formats a strong entity-tag from its opaque text (which must hold no `"`). */
export function strongEntityTag(opaque: string): string {
  return `"${opaque}"`;
}

/**
 * Parses an If-Match or If-None-Match value: `*`, or a comma-separated list of entity-tags
 * (empty list elements are skipped, as RFC 9110 §5.6.1 asks of recipients). Entity-tags hold
 * no comma, so splitting on commas is exact. Anything else, an empty value included, is
 * `malformed`.
 */
export function parseEntityTagCondition(value: string): EntityTagCondition {
  const trimmed = value.replace(OWS, '');
  if (trimmed === '*') return { kind: 'any' };
  const tags: EntityTag[] = [];
  for (const part of trimmed.split(',')) {
    const element = part.replace(OWS, '');
    if (element === '') continue;
    const m = ELEMENT.exec(element);
    if (!m) return { kind: 'malformed' };
    tags.push({ weak: m[1] !== undefined, opaque: m[2] ?? '' });
  }
  return tags.length === 0 ? { kind: 'malformed' } : { kind: 'list', tags };
}

/**
 * Whether an If-Match value passes for the current strong tag (`current` the opaque text, or
 * undefined when there is no current representation): `*` when one exists, a list when one
 * of its tags is equal by the strong comparison (a weak tag never matches). A malformed value
 * never passes.
 */
export function ifMatchPasses(value: string, current: string | undefined): boolean {
  if (current === undefined) return false;
  const condition = parseEntityTagCondition(value);
  if (condition.kind === 'any') return true;
  if (condition.kind === 'malformed') return false;
  return condition.tags.some((tag) => !tag.weak && tag.opaque === current);
}

/**
 * Whether an If-None-Match value matches the current tag (then a GET answers 304): `*` when
 * a representation exists, a list when one of its tags is equal by the weak comparison
 * (RFC 9110 §13.1.2: `W/` is ignored). A malformed value matches nothing (the full answer).
 */
export function ifNoneMatchMatches(value: string, current: string | undefined): boolean {
  if (current === undefined) return false;
  const condition = parseEntityTagCondition(value);
  if (condition.kind === 'any') return true;
  if (condition.kind === 'malformed') return false;
  return condition.tags.some((tag) => tag.opaque === current);
}
