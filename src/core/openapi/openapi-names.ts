import type { Collection } from '../collection/collection-model.js';

/** The component schema names of one collection's records. */
export interface CollectionNames {
  /** The record as the API answers it. */
  readonly record: string;
  /** The JSON body of a create. */
  readonly create: string;
  /** The JSON body of an update. */
  readonly update: string;
  /** The multipart body of a create (collections with file fields). */
  readonly createForm: string;
  /** The multipart body of an update (collections with file fields). */
  readonly updateForm: string;
  /** The list envelope. */
  readonly list: string;
  /** The auth answer `{token, record}` (auth collections). */
  readonly auth: string;
  /** The prefix of the collection's operation ids (`posts_` + `list`). */
  readonly operationPrefix: string;
}

/** `order_items` -> `OrderItems`, `_superusers` -> `Superusers`. */
function pascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `C${joined}`;
}

/**
 * Component names per collection: PascalCase of the name plus a suffix (`PostsRecord`,
 * `PostsCreate`...). Two names that give the same PascalCase (`order_items`, `orderItems`)
 * both take their collection id as well, so names never collide and stay stable.
 */
export function collectionNames(collections: readonly Collection[]): Map<string, CollectionNames> {
  const counts = new Map<string, number>();
  for (const c of collections) {
    const base = pascalCase(c.name);
    counts.set(base, (counts.get(base) ?? 0) + 1);
  }
  const out = new Map<string, CollectionNames>();
  for (const c of collections) {
    let base = pascalCase(c.name);
    if ((counts.get(base) ?? 0) > 1) base = `${base}_${c.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    out.set(c.id, {
      record: `${base}Record`,
      create: `${base}Create`,
      update: `${base}Update`,
      createForm: `${base}CreateForm`,
      updateForm: `${base}UpdateForm`,
      list: `${base}List`,
      auth: `${base}AuthResponse`,
      operationPrefix: `${c.name}_`,
    });
  }
  return out;
}
