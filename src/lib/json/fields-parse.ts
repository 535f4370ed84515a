import { FieldsParamError, quoteFields } from './fields-error.js';
import { parseModifier } from './fields-modifier.js';
import type { FieldModifier, FieldsProjection, WholePick } from './fields-types.js';
import { FIELDS_MAX_DEPTH, FIELDS_MAX_LENGTH, FIELDS_MAX_PATHS } from './fields-types.js';

/** One trimmed piece of the param with the offset where it starts. */
interface Part {
  readonly text: string;
  readonly pos: number;
}

/** The mutable twin of FieldSelection, used while building; it is assignable to the readonly one. */
interface Builder {
  keys: Map<string, BuilderPick>;
  star: WholePick | null;
}

type BuilderPick = WholePick | { kind: 'nested'; selection: Builder };

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
/** Whitespace, control characters and syntax characters are never part of a key. */
const BAD_SEGMENT_CHAR = /[\s\p{Cc}()*:,]/u;

/**
 * Parses the `fields` query param into a projection tree.
 *
 * Syntax: comma-separated paths; dot notation for nesting (`expand.author.name`); a `*` segment
 * keeps every key at its level (only as the last segment); an optional per-path modifier
 * `:excerpt(maxChars, withEllipsis?)`. Blank text, or only commas, means no projection (`none`).
 * Duplicate paths merge; a shorter path keeps the whole value even when longer ones go below it
 * (`expand,expand.author.id` keeps all of `expand`), and the last modifier given for a path wins,
 * as in PocketBase. Limits: {@link FIELDS_MAX_LENGTH} characters, {@link FIELDS_MAX_PATHS}
 * paths, {@link FIELDS_MAX_DEPTH} levels per path.
 *
 * @throws FieldsParamError on bad syntax or a broken limit.
 * @example parseFieldsParam('*,expand.author.name,description:excerpt(200,true)')
 */
export function parseFieldsParam(text: string): FieldsProjection {
  if (text.length > FIELDS_MAX_LENGTH && codePointLength(text) > FIELDS_MAX_LENGTH) {
    throw new FieldsParamError(`longer than ${FIELDS_MAX_LENGTH} characters`, FIELDS_MAX_LENGTH);
  }
  const parts = splitPaths(text);
  if (parts.length === 0) return { kind: 'none' };
  if (parts.length > FIELDS_MAX_PATHS) {
    const extra = parts[FIELDS_MAX_PATHS];
    throw new FieldsParamError(`more than ${FIELDS_MAX_PATHS} paths`, extra?.pos ?? 0);
  }
  const root: Builder = { keys: new Map(), star: null };
  for (const part of parts) addPath(root, part);
  return { kind: 'pick', root };
}

/** Counts code points; an astral character (a surrogate pair) counts once. */
function codePointLength(text: string): number {
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

/**
 * Splits the param on the commas outside parentheses (modifier arguments contain commas),
 * trimming each path and dropping empty ones. Parentheses must pair up and not nest.
 */
function splitPaths(text: string): Part[] {
  const parts: Part[] = [];
  let start = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      if (open >= 0) throw new FieldsParamError('nested "("', i);
      open = i;
    } else if (c === ')') {
      if (open < 0) throw new FieldsParamError('unmatched ")"', i);
      open = -1;
    } else if (c === ',' && open < 0) {
      pushPart(parts, text, start, i);
      start = i + 1;
    }
  }
  if (open >= 0) throw new FieldsParamError('unclosed "("', open);
  pushPart(parts, text, start, text.length);
  return parts;
}

/** Appends `text[start, end)` trimmed, unless it is blank. */
function pushPart(parts: Part[], text: string, start: number, end: number): void {
  const raw = text.slice(start, end);
  const trimmed = raw.trim();
  if (trimmed === '') return;
  parts.push({ text: trimmed, pos: start + raw.length - raw.trimStart().length });
}

/** Parses one `path[:modifier]` and merges it into the tree. */
function addPath(root: Builder, part: Part): void {
  const colon = part.text.indexOf(':');
  const pathText = colon < 0 ? part.text : part.text.slice(0, colon).trimEnd();
  let modifier: FieldModifier | null = null;
  if (colon >= 0) {
    const raw = part.text.slice(colon + 1);
    const leading = raw.length - raw.trimStart().length;
    modifier = parseModifier(raw.trim(), part.pos + colon + 1 + leading);
  }
  const segments = splitSegments(pathText, part.pos);
  insert(root, segments, { kind: 'whole', modifier });
}

/** Splits a path on dots and checks every segment and the depth limit. */
function splitSegments(path: string, pos: number): string[] {
  const segments = path.split('.');
  if (segments.length > FIELDS_MAX_DEPTH) {
    throw new FieldsParamError(
      `path ${quoteFields(path)} is deeper than ${FIELDS_MAX_DEPTH} levels`,
      pos,
    );
  }
  let offset = pos;
  segments.forEach((segment, index) => {
    checkSegment(segment, offset, index === segments.length - 1);
    offset += segment.length + 1;
  });
  return segments;
}

/** A segment is a non-empty key without syntax characters, or `*` as the last segment. */
function checkSegment(segment: string, pos: number, last: boolean): void {
  if (segment === '') throw new FieldsParamError('empty path segment', pos);
  if (segment === '*') {
    if (!last) throw new FieldsParamError('"*" must be the last segment of a path', pos);
    return;
  }
  const bad = BAD_SEGMENT_CHAR.exec(segment);
  if (bad !== null) {
    throw new FieldsParamError(
      `unexpected ${quoteFields(bad[0])} in path segment ${quoteFields(segment)}`,
      pos + bad.index,
    );
  }
}

/** Merges one checked path into the tree: a whole pick wins over a nested one at any level. */
function insert(root: Builder, segments: string[], leaf: WholePick): void {
  let level = root;
  for (const [index, segment] of segments.entries()) {
    if (segment === '*') {
      level.star = leaf;
      return;
    }
    if (index === segments.length - 1) {
      level.keys.set(segment, leaf);
      return;
    }
    const existing = level.keys.get(segment);
    if (existing?.kind === 'whole') return;
    level = existing?.selection ?? nestedChild(level, segment);
  }
}

/** Adds an empty nested selection under `key` and returns it. */
function nestedChild(level: Builder, key: string): Builder {
  const selection: Builder = { keys: new Map(), star: null };
  const pick: BuilderPick = { kind: 'nested', selection };
  level.keys.set(key, pick);
  return selection;
}
