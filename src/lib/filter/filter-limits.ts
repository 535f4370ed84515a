/** Default cap on comparisons in one filter or rule (PocketBase's limit for both). */
export const DEFAULT_MAX_EXPRESSIONS = 200;

/** The `filter` query param of list requests is capped at this many UTF-8 bytes. */
export const LIST_FILTER_MAX_LENGTH = 3500;

/** Function calls nest at most this deep: `a(b(c(1)))` is the maximum. */
export const MAX_FUNCTION_DEPTH = 3;

/** A function call takes at most this many arguments. */
export const MAX_FUNCTION_ARGS = 10;

/**
 * Parentheses nest at most this deep. PocketBase has no such cap, but without one a long rule of
 * `((((...` would overflow the JS stack; no real rule comes close.
 */
export const MAX_GROUP_DEPTH = 128;

/** The `sort` query param takes at most this many expressions. */
export const SORT_MAX_EXPRESSIONS = 8;

/** Each `sort` expression is at most this many characters long. */
export const SORT_MAX_EXPRESSION_LENGTH = 255;

/** `expand` paths keep at most this many relation levels; deeper parts are dropped. */
export const EXPAND_MAX_DEPTH = 6;

/** How many distinct parsed filters/rules the shared cache keeps. */
export const FILTER_CACHE_CAPACITY = 1000;
