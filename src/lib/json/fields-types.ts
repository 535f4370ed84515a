/** The `:excerpt(maxChars, withEllipsis?)` modifier: turns an HTML/text string into plain text. */
export interface ExcerptModifier {
  readonly kind: 'excerpt';
  /** Longest excerpt, in code points (not counting the ellipsis); a positive integer. */
  readonly maxChars: number;
  /** Whether `...` is appended when the text was cut. */
  readonly withEllipsis: boolean;
}

/** A per-field value modifier (`field:name(args)`). Only `excerpt` exists. */
export type FieldModifier = ExcerptModifier;

/** Keeps a key's whole value (a path ended here), optionally passed through a modifier. */
export interface WholePick {
  readonly kind: 'whole';
  readonly modifier: FieldModifier | null;
}

/** Keeps a key but narrows its value (object, or each object of an array) to a sub-selection. */
export interface NestedPick {
  readonly kind: 'nested';
  readonly selection: FieldSelection;
}

/** What to keep of one key's value. */
export type FieldPick = WholePick | NestedPick;

/** What to keep at one object level. */
export interface FieldSelection {
  /** Keys named explicitly at this level, in first-seen order. */
  readonly keys: ReadonlyMap<string, FieldPick>;
  /** `*` at this level: every key not in `keys` is kept whole (with this modifier), else null. */
  readonly star: WholePick | null;
}

/**
 * A parsed `fields` query param: `none` keeps everything (the param was absent or blank),
 * `pick` keeps only what `root` selects.
 */
export type FieldsProjection =
  { readonly kind: 'none' } | { readonly kind: 'pick'; readonly root: FieldSelection };

/** The longest accepted `fields` param, in characters (code points). */
export const FIELDS_MAX_LENGTH = 1000;

/** The most comma-separated paths one `fields` param may list. */
export const FIELDS_MAX_PATHS = 100;

/** The most dot-separated segments (levels) in one path, `*` included. */
export const FIELDS_MAX_DEPTH = 6;
