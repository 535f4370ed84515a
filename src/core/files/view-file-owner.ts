import { sql } from 'kysely';
import { checkViewQuery, parseViewQuery } from '../../lib/sql/view-query.js';
import type { App } from '../app.js';
import type { Collection } from '../collection/collection-model.js';
import { columnSource } from '../collection/view-fields.js';
import { isMultiValue } from '../field/field-model.js';

/** How many views that read views a file lookup follows (PocketBase's limit too). */
const MAX_VIEW_DEPTH = 5;

/** Where a file is stored: the record (of a collection that stores records) that holds it. */
export interface FileOwner {
  readonly collection: Collection;
  readonly recordId: string;
}

/** The collection field that a view's column copies, or undefined. */
function copiedFrom(app: App, view: Collection, column: string) {
  if (view.type !== 'view') return undefined;
  const checked = checkViewQuery(view.viewQuery);
  if (!checked.ok) return undefined;
  return columnSource(parseViewQuery(checked.sql), column, app.collections.all());
}

/**
 * The record that stores a file which the view record shows in its file field `fieldName`:
 * the view's column is followed to the collection field it copies (through views that read
 * views), and that collection's record holding `filename` there is looked up. Undefined when
 * the column is not a plain copy of a file field or no record holds the file.
 */
export async function viewFileOwner(
  app: App,
  view: Collection,
  fieldName: string,
  filename: string,
): Promise<FileOwner | undefined> {
  let collection: Collection = view;
  let name = fieldName;
  for (let depth = 0; collection.type === 'view'; depth++) {
    const source = depth < MAX_VIEW_DEPTH ? copiedFrom(app, collection, name) : undefined;
    if (source?.field.type !== 'file') return undefined;
    collection = source.collection;
    name = source.field.name;
  }
  const field = collection.fields.find((f) => f.name === name);
  if (field?.type !== 'file') return undefined;
  const column = sql.ref(`${collection.name}.${field.name}`);
  const holds = isMultiValue(field)
    ? app.db.dialect.jsonArrayContains(column, filename)
    : sql<boolean>`${column} = ${filename}`;
  const row = await app.db.db
    .selectFrom(collection.name)
    .select(sql<string>`${sql.ref('id')}`.as('id'))
    .where(holds)
    .limit(1)
    .executeTakeFirst();
  return row ? { collection, recordId: row.id } : undefined;
}
