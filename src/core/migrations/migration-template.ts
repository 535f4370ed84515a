import { jsLiteral } from '../../lib/text/js-literal.js';
import { collectionToJson } from '../collection/collection-json.js';
import type { Collection } from '../collection/collection-model.js';

/** A migration file to write: its name's action part and its source text. */
export interface MigrationText {
  /** `created_posts`, `updated_posts`, `deleted_posts`, or a snake_case name. */
  readonly action: string;
  readonly text: string;
}

const HEADER = "import { defineMigration } from 'basalt';\n\n";

function migrationModule(comment: string, up: string, down: string): string {
  return (
    HEADER +
    `// ${comment}\n` +
    'export default defineMigration({\n' +
    `  async up(app) {\n${up}\n  },\n\n` +
    `  async down(app) {\n${down}\n  },\n` +
    '});\n'
  );
}

/** The empty migration of `basalt migrate create NAME`. */
export function blankMigration(): string {
  return migrationModule(
    'Created by `basalt migrate create`.',
    '    // add up queries...',
    '    // add down queries...',
  );
}

/**
 * A collection's definition for a migration file: the API JSON without timestamps, and
 * without OAuth2 providers (as PocketBase: their client secrets are not exported, so they stay
 * configured per environment).
 */
export function collectionSnapshot(collection: Collection): Record<string, unknown> {
  const json = collectionToJson(collection);
  delete json.created;
  delete json.updated;
  const oauth2 = json.oauth2;
  if (typeof oauth2 === 'object' && oauth2 !== null) {
    const rest: Record<string, unknown> = { ...oauth2 };
    delete rest.providers;
    json.oauth2 = rest;
  }
  return json;
}

/** `await app.<method>(<args>, <definition>);` at the body's indentation. */
function call(method: string, args: readonly string[], definition?: Collection): string {
  const head = `    await app.${method}(${args.map((a) => jsLiteral(a)).join(', ')}`;
  if (!definition) return `${head});`;
  const sep = args.length > 0 ? ', ' : '';
  return `${head}${sep}${jsLiteral(collectionSnapshot(definition), 4)});`;
}

/** JSON text with object keys sorted (stored and validated definitions differ in key order). */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** PocketBase's file-name part of a collection name (`_` after a final "test"). */
function namePart(name: string): string {
  return name.toLowerCase().endsWith('test') ? `${name}_` : name;
}

/** The migration that records a collection created through the API (up: create; down: delete). */
export function createdMigration(collection: Collection): MigrationText {
  return {
    action: `created_${namePart(collection.name)}`,
    text: migrationModule(
      `basalt serve --dev: the collection "${collection.name}" was created.`,
      call('createCollection', [], collection),
      call('deleteCollection', [collection.id]),
    ),
  };
}

/**
 * The migration that records a collection update (up: the new definition in full; down: the
 * previous one), so that renamed and removed fields replay by their ids; undefined when the
 * update changed nothing a migration holds.
 */
export function updatedMigration(
  collection: Collection,
  original: Collection,
): MigrationText | undefined {
  const same =
    sortedJson(collectionSnapshot(collection)) === sortedJson(collectionSnapshot(original));
  if (same) return undefined;
  return {
    action: `updated_${namePart(original.name)}`,
    text: migrationModule(
      `basalt serve --dev: the collection "${original.name}" was updated.`,
      call('updateCollection', [collection.id], collection),
      call('updateCollection', [original.id], original),
    ),
  };
}

/** The migration that records a collection deleted (up: delete; down: create it again, empty). */
export function deletedMigration(collection: Collection): MigrationText {
  return {
    action: `deleted_${namePart(collection.name)}`,
    text: migrationModule(
      `basalt serve --dev: the collection "${collection.name}" was deleted.`,
      call('deleteCollection', [collection.id]),
      call('createCollection', [], collection),
    ),
  };
}

/** A name for `migrate create NAME` as snake_case (`AddPosts`, `add posts` -> `add_posts`). */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
