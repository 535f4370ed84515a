import type { Collection } from '../collection/collection-model.js';
import { collectionTs, type TsMember } from './collection-ts.js';
import { allocateTypeNames, propertyKey, quoted } from './type-names.js';

/** What `generateTypes` writes besides the collections' types. */
export interface TypegenOptions {
  /** `TypedPocketBase` for the `pocketbase` SDK (imports `pocketbase`); default true. */
  readonly sdk?: boolean;
  /** The `declare module 'basalt'` that types `e.record` in hooks; default true. */
  readonly hooks?: boolean;
}

/** The suffixes of a collection's type names: `PostsRecord`, `PostsResponse`... */
const SUFFIXES = ['Record', 'Response', 'Create', 'Update', 'Values'] as const;

/** The names the file declares besides the collections' (no collection type takes one). */
const HELPER_NAMES = new Set([
  'IsoDateString',
  'RecordIdString',
  'HTMLString',
  'JsonValue',
  'GeoPoint',
  'CollectionName',
  'CollectionResponses',
  'CollectionCreates',
  'CollectionUpdates',
  'TypedRecordService',
  'TypedPocketBase',
  'PocketBase',
  'RecordService',
  'RecordOptions',
  'RecordModel',
]);

const HEADER = `// Types of the collections of a Basalt database, written by \`basalt typegen\`.
// Do not edit: run it again after a schema change (\`basalt serve --dev\` does).
`;

const SDK_IMPORTS = `import type PocketBase from 'pocketbase';
import type { RecordModel, RecordOptions, RecordService } from 'pocketbase';
`;

const HELPERS = `/** A date as the API writes it: \`YYYY-MM-DD HH:MM:SS.sssZ\`, '' when empty. */
export type IsoDateString = string;
/** A record id. */
export type RecordIdString = string;
/** The HTML of an editor field. */
export type HTMLString = string;
/** The value of a json field. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
/** The value of a geoPoint field. */
export interface GeoPoint {
  lon: number;
  lat: number;
}
`;

const TYPED_SERVICE = `/** A RecordService whose create and update take the collection's body types. */
export interface TypedRecordService<
  M,
  C extends Record<string, unknown>,
  U extends Record<string, unknown>,
> extends RecordService<M> {
  create<T = M>(bodyParams: C | FormData, options?: RecordOptions): Promise<T>;
  update<T = M>(id: string, bodyParams: U | FormData, options?: RecordOptions): Promise<T>;
}
`;

function objectType(members: readonly TsMember[]): string {
  if (members.length === 0) return 'Record<string, never>';
  const lines = members.map((m) => `  ${m.key}${m.optional ? '?' : ''}: ${m.type};`);
  return `{\n${lines.join('\n')}\n}`;
}

/** One collection's types. */
function collectionBlock(collection: Collection, base: string): string {
  const ts = collectionTs(collection);
  const name = quoted(collection.name);
  const out = [
    `// ${collection.name} (${collection.type})`,
    '',
    `/** A record of ${collection.name}, as the API shows it. */`,
    `export type ${base}Record = ${objectType(ts.record)};`,
    '',
    `/** A record of ${collection.name} in an API response. */`,
    `export type ${base}Response<Texpand = unknown> = ${base}Record & {`,
    '  collectionId: string;',
    `  collectionName: ${name};`,
    '  expand?: Texpand;',
    '};',
    '',
  ];
  if (ts.create && ts.update) {
    out.push(
      `/** The body that creates a record of ${collection.name}. */`,
      `export type ${base}Create = ${objectType(ts.create)};`,
      '',
      `/** The body that updates a record of ${collection.name} (modifier keys included). */`,
      `export type ${base}Update = ${objectType(ts.update)};`,
      '',
    );
  }
  out.push(
    `/** The values of a record of ${collection.name} in a hook (\`e.record.get(name)\`). */`,
    `export type ${base}Values = ${objectType(ts.values)};`,
    '',
  );
  return out.join('\n');
}

function mapType(title: string, entries: readonly (readonly [string, string])[]): string {
  const lines = entries.map(([key, type]) => `  ${propertyKey(key)}: ${type};`);
  return `${title} {\n${lines.join('\n')}\n}\n`;
}

function sdkBlock(collections: readonly Collection[], names: ReadonlyMap<string, string>): string {
  const overloads = collections.map((c) => {
    const base = names.get(c.name) ?? '';
    const service =
      c.type === 'view'
        ? `RecordService<${base}Response>`
        : `TypedRecordService<${base}Response, ${base}Create, ${base}Update>`;
    return `  collection(idOrName: ${quoted(c.name)}): ${service};`;
  });
  return [
    TYPED_SERVICE,
    '/** The `pocketbase` SDK client, typed: `new PocketBase(url) as TypedPocketBase`. */',
    'export interface TypedPocketBase extends PocketBase {',
    ...overloads,
    '  collection<M = RecordModel>(idOrName: string): RecordService<M>;',
    '}',
    '',
  ].join('\n');
}

function hooksBlock(
  collections: readonly Collection[],
  names: ReadonlyMap<string, string>,
): string {
  const entries = collections.map(
    (c) => `    ${propertyKey(c.name)}: ${names.get(c.name) ?? ''}Values;`,
  );
  return [
    "// Types `e.record` in hooks: app.onRecordCreate('posts', (e) => e.record.get('title')).",
    "declare module 'basalt' {",
    '  interface CollectionRecords {',
    ...entries,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * The TypeScript types of `collections` (APP-LOGIC.md §6): per collection its record as the
 * API shows it (`PostsRecord`), its response (`PostsResponse<Texpand>`), its create and
 * update bodies (`PostsCreate`, `PostsUpdate` with the modifier keys) and its values in hooks
 * (`PostsValues`); then `TypedPocketBase` for the unchanged `pocketbase` SDK and the
 * `declare module 'basalt'` that types `e.record` in hooks (see TypegenOptions).
 */
export function generateTypes(
  collections: readonly Collection[],
  options: TypegenOptions = {},
): string {
  const sorted = [...collections].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = allocateTypeNames(
    sorted.map((c) => c.name),
    SUFFIXES,
    HELPER_NAMES,
  );
  const base = (c: Collection): string => names.get(c.name) ?? '';
  const parts = [HEADER];
  if (options.sdk !== false) parts.push(SDK_IMPORTS);
  parts.push(HELPERS);
  for (const c of sorted) parts.push(collectionBlock(c, base(c)));
  const collectionName =
    sorted.length > 0 ? sorted.map((c) => quoted(c.name)).join(' | ') : 'never';
  parts.push(`/** Every collection's name. */\nexport type CollectionName = ${collectionName};\n`);
  parts.push(
    mapType(
      "/** Each collection's response type. */\nexport interface CollectionResponses",
      sorted.map((c) => [c.name, `${base(c)}Response`]),
    ),
  );
  const writable = sorted.filter((c) => c.type !== 'view');
  parts.push(
    mapType(
      "/** Each writable collection's create body. */\nexport interface CollectionCreates",
      writable.map((c) => [c.name, `${base(c)}Create`]),
    ),
    mapType(
      "/** Each writable collection's update body. */\nexport interface CollectionUpdates",
      writable.map((c) => [c.name, `${base(c)}Update`]),
    ),
  );
  if (options.sdk !== false) parts.push(sdkBlock(sorted, names));
  if (options.hooks !== false) parts.push(hooksBlock(sorted, names));
  return parts.join('\n');
}
