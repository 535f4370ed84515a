import { isJsonObject } from '../../lib/json-merge.js';

/** The `?options=` of a subscription (API.md §5.3): `@request.query.*` and `@request.headers.*`. */
export interface TopicOptions {
  /** First values as text; `filter`, `expand` and `fields` are read from here. */
  readonly query: Readonly<Record<string, string>>;
  /** Names lower-cased snake_case, as `@request.headers.*` sees them. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One subscription as submitted, parsed once when the client subscribes. */
export interface Subscription {
  /** The full subscription text as submitted: the SSE event name of its messages. */
  readonly raw: string;
  /** The topic without the `?options=...` suffix (`posts/*`, `posts/ID`, `posts`, `@oauth2`). */
  readonly topic: string;
  /** The parsed options; undefined when the suffix is not valid options JSON. */
  readonly options: TopicOptions | undefined;
}

const NO_OPTIONS: TopicOptions = { query: {}, headers: {} };

const OPTIONS_PARAM = 'options';

/** Primitive values as text (first value of arrays), other values dropped. */
function textValues(value: unknown, rename: (key: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isJsonObject(value)) return out;
  for (const [key, raw] of Object.entries(value)) {
    const first: unknown = Array.isArray(raw) ? raw[0] : raw;
    if (typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean')
      out[rename(key)] = String(first);
  }
  return out;
}

function headerName(name: string): string {
  return name.toLowerCase().replace(/-/g, '_');
}

/** `{"query":{...},"headers":{...}}`, or undefined when the text is not such JSON. */
function parseOptions(text: string): TopicOptions | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Unreadable options: the topic then receives no record events (see realtime-records.ts).
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  return {
    query: textValues(value.query, (k) => k),
    headers: textValues(value.headers, headerName),
  };
}

/**
 * Parses a subscription (API.md §5.3): the topic, then an optional query string whose
 * `options` parameter holds URL-encoded JSON. A suffix without `options` is part of no
 * option and ignored, as the SDK only ever appends `options`.
 */
export function parseSubscription(raw: string): Subscription {
  const mark = raw.indexOf('?');
  if (mark < 0) return { raw, topic: raw, options: NO_OPTIONS };
  const topic = raw.slice(0, mark);
  const params = new URLSearchParams(raw.slice(mark + 1));
  const text = params.get(OPTIONS_PARAM);
  return { raw, topic, options: text === null ? NO_OPTIONS : parseOptions(text) };
}

/** What a topic names in terms of records: a collection, and a record of it or all of them. */
export interface RecordTopic {
  /** The collection part, compared with a collection's exact name or id. */
  readonly collection: string;
  /** The record id, or undefined for `coll/*` and bare `coll`. */
  readonly recordId: string | undefined;
}

/** `coll/*` or bare `coll` (listRule), `coll/ID` (viewRule); undefined for `@...` topics. */
export function recordTopicOf(topic: string): RecordTopic | undefined {
  if (topic === '' || topic.startsWith('@')) return undefined;
  const slash = topic.indexOf('/');
  if (slash < 0) return { collection: topic, recordId: undefined };
  const collection = topic.slice(0, slash);
  const rest = topic.slice(slash + 1);
  if (collection === '' || rest === '' || rest.includes('/')) return undefined;
  return { collection, recordId: rest === '*' ? undefined : rest };
}
