import { perCollection } from '../collection/collection-memo.js';
import type { Collection } from '../collection/collection-model.js';
import type { Field } from '../field/field-model.js';
import { storedToJsonOf } from '../field/field-registry.js';
import type { RecordJson, RecordRow } from './record-model.js';

/** What the requester may see of a record. */
export interface Visibility {
  /** Superusers see hidden fields. */
  readonly showHidden: boolean;
  /** Auth records: show `email` even when `emailVisibility` is false. */
  readonly showEmail: boolean;
}

/** Converts one stored column value to its JSON value (API.md §1.2 encodings). */
export function fieldToJson(field: Field, value: unknown): unknown {
  return storedToJsonOf(field)(value);
}

/** When a field appears in a record's JSON. */
type Shown = 'always' | 'never' | 'superuser' | 'emailVisible';

function shownWhen(collection: Collection, field: Field): Shown {
  const auth = collection.type === 'auth';
  if (auth && (field.name === 'password' || field.name === 'tokenKey')) return 'never';
  if (field.hidden) return 'superuser';
  if (auth && field.name === 'email') return 'emailVisible';
  return 'always';
}

/** Builds one record's JSON for one collection and visibility. */
type RecordJsonBuilder = (row: RecordRow) => RecordJson;

/** A property key as JavaScript source: a string literal, computed for `__proto__`. */
function keySource(name: string): string {
  const literal = JSON.stringify(name);
  return name === '__proto__' ? `[${literal}]` : literal;
}

/**
 * Compiles the builder of one collection's record JSON for one visibility: a function that
 * returns an object literal with every output key in PocketBase's (alphabetical) order. Every
 * record of the collection then gets the same object shape, built in one step, and each column
 * is read with its own property load instead of a computed key: V8 keeps both monomorphic.
 *
 * The generated source holds no text from the collection but its field names, written as JSON
 * string literals; values and converters come in as parameters.
 */
function compileBuilder(
  collection: Collection,
  showHidden: boolean,
  emailShown: boolean,
): RecordJsonBuilder {
  const shown = collection.fields.filter((field) => {
    const when = shownWhen(collection, field);
    return (
      when === 'always' ||
      (when === 'superuser' && showHidden) ||
      (when === 'emailVisible' && emailShown)
    );
  });
  const properties = [
    { name: 'collectionId', source: 'collectionId' },
    { name: 'collectionName', source: 'collectionName' },
    ...shown.map((field, i) => ({
      name: field.name,
      source: `t${String(i)}(row[${JSON.stringify(field.name)}])`,
    })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const body = `return (row) => ({ ${properties
    .map((p) => `${keySource(p.name)}: ${p.source}`)
    .join(', ')} });`;
  const converters = shown.map((field) => storedToJsonOf(field));
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see the comment above
  const factory = new Function(
    'collectionId',
    'collectionName',
    ...converters.map((_, i) => `t${String(i)}`),
    body,
  ) as (...args: unknown[]) => RecordJsonBuilder;
  return factory(collection.id, collection.name, ...converters);
}

// Per collection version, the four builders (hidden fields shown or not, email shown or not),
// compiled on first use.
const builders = perCollection((): (RecordJsonBuilder | undefined)[] => []);

function builderFor(
  collection: Collection,
  showHidden: boolean,
  emailShown: boolean,
): RecordJsonBuilder {
  const compiled = builders(collection);
  const slot = (showHidden ? 1 : 0) + (emailShown ? 2 : 0);
  return (compiled[slot] ??= compileBuilder(collection, showHidden, emailShown));
}

function emailShown(collection: Collection, row: RecordRow, vis: Visibility): boolean {
  if (collection.type !== 'auth') return false;
  return vis.showEmail || row.emailVisibility === 1 || row.emailVisibility === true;
}

/**
 * The API JSON of a stored record: `collectionId`, `collectionName` and every visible field,
 * with keys in alphabetical order as PocketBase outputs them.
 */
export function recordToJson(collection: Collection, row: RecordRow, vis: Visibility): RecordJson {
  return builderFor(collection, vis.showHidden, emailShown(collection, row, vis))(row);
}
