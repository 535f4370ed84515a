/**
 * PocketBase's route path syntax (its tools/router): literal segments, `{name}` capturing one
 * segment, and a final `{name...}` capturing the rest of the path (possibly empty). Patterns
 * are compiled once; matching splits the path into segments and compares them in order.
 */

/** One segment of a compiled pattern. */
type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'rest'; readonly name: string };

/** A compiled path pattern. */
export interface PathPattern {
  /** The pattern as written. */
  readonly source: string;
  readonly segments: readonly Segment[];
}

const PARAM = /^\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}$/;

/** Splits a path into its segments (`/a/b/` gives `a`, `b`, ``). */
function splitPath(path: string): string[] {
  return path.slice(1).split('/');
}

/**
 * Compiles a pattern such as `/api/shop/{id}` or `/files/{path...}`; throws on a pattern that
 * does not start with `/`, a malformed `{...}`, a repeated name or a `{name...}` that is not
 * last.
 */
export function compilePathPattern(source: string): PathPattern {
  if (!source.startsWith('/'))
    throw new Error(`Invalid route path "${source}": it must start with "/".`);
  const names = new Set<string>();
  const parts = splitPath(source);
  const segments = parts.map((part, index): Segment => {
    if (!part.includes('{') && !part.includes('}')) return { kind: 'literal', text: part };
    const match = PARAM.exec(part);
    if (!match?.[1]) {
      throw new Error(`Invalid route path "${source}": bad segment "${part}".`);
    }
    const name = match[1];
    if (names.has(name)) throw new Error(`Invalid route path "${source}": "${name}" is repeated.`);
    names.add(name);
    if (match[2] === undefined) return { kind: 'param', name };
    if (index !== parts.length - 1) {
      throw new Error(`Invalid route path "${source}": "{${name}...}" must be the last segment.`);
    }
    return { kind: 'rest', name };
  });
  return { source, segments };
}

/** Decodes a captured segment; undefined when its percent-encoding is malformed. */
function decodeSegment(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Matches a URL path (without its query string) against a pattern: the captured params,
 * percent-decoded, or undefined when the path does not match. Literal segments compare with
 * the raw (still encoded) path.
 */
export function matchPathPattern(
  pattern: PathPattern,
  path: string,
): Record<string, string> | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts = splitPath(path);
  const params: Record<string, string> = {};
  const { segments } = pattern;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (segment === undefined) return undefined;
    if (segment.kind === 'rest') {
      if (index >= parts.length) return undefined;
      const rest = decodeSegment(parts.slice(index).join('/'));
      if (rest === undefined) return undefined;
      params[segment.name] = rest;
      return params;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.text) return undefined;
      continue;
    }
    const value = part === '' ? undefined : decodeSegment(part);
    if (value === undefined) return undefined;
    params[segment.name] = value;
  }
  return parts.length === segments.length ? params : undefined;
}

/**
 * A path that `pattern` matches and that only a pattern with a param (or rest) where
 * `pattern` has one matches too: used to tell whether another router serves every path of a
 * pattern.
 */
export function samplePath(pattern: PathPattern, placeholder: string): string {
  return `/${pattern.segments
    .map((segment) => (segment.kind === 'literal' ? segment.text : placeholder))
    .join('/')}`;
}

/** Compiles a Fastify (find-my-way) route URL (`/a/:b/*`) into the same form. */
export function compileFastifyPath(url: string): PathPattern {
  const segments = splitPath(url).map((part, index, all): Segment => {
    if (part === '*' && index === all.length - 1) return { kind: 'rest', name: '*' };
    if (part.startsWith(':')) return { kind: 'param', name: part.slice(1) };
    return { kind: 'literal', text: part };
  });
  return { source: url, segments };
}
