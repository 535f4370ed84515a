import { sql } from 'kysely';
import type { App } from '../../src/core/app.js';
import { loadCollections } from '../../src/core/collection/collection-store.js';
import { columnKindOf } from '../../src/core/field/field-registry.js';
import type { ColumnKind } from '../../src/db/adapter.js';
import { parseIndexDefinition } from '../../src/db/index-definition.js';

/** The column types each column kind may be reported as, on any engine. */
const TYPE_OF_KIND: Record<ColumnKind, RegExp> = {
  primaryKey: /text|char/i,
  text: /text|char/i,
  number: /double|real|numeric|float/i,
  bool: /bool|tinyint|integer/i,
  json: /text|json/i,
  jsonArray: /text|json/i,
  geoPoint: /text|json/i,
};

const sorted = (names: readonly string[]): string[] =>
  [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Every way the tables and views disagree with the committed `_collections` metadata: a
 * missing or extra table, view, column or index, a column of the wrong type, and (on MariaDB, where
 * introspection hides them) Basalt's set-aside objects left behind and schema changes still
 * journaled. Empty when every table matches its collection exactly.
 */
export async function schemaMismatches(app: App): Promise<string[]> {
  const db = app.db.db;
  const problems: string[] = [];
  const tables = new Set(await app.db.listTables(db));
  const views = new Set(await app.db.listViews(db));
  const collections = await loadCollections(db);
  for (const c of collections) {
    if (c.type === 'view') {
      problems.push(...(await viewMismatches(app, views, c.name, c.fields)));
      continue;
    }
    if (!tables.has(c.name)) {
      problems.push(`${c.name}: no table`);
      continue;
    }
    const columns = await app.db.listColumns(db, c.name);
    const want = sorted(c.fields.map((f) => f.name));
    const have = sorted(columns.map((col) => col.name));
    if (JSON.stringify(want) !== JSON.stringify(have)) {
      problems.push(`${c.name}: columns ${have.join(',')} instead of ${want.join(',')}`);
    }
    for (const f of c.fields) {
      const column = columns.find((col) => col.name === f.name);
      const kind = columnKindOf(f);
      if (column && !TYPE_OF_KIND[kind].test(column.type)) {
        problems.push(`${c.name}.${f.name}: type ${column.type} for a ${kind} column`);
      }
    }
    const wantIndexes = sorted(c.indexes.map((text) => parseIndexDefinition(text).name));
    const haveIndexes = sorted(await app.db.listIndexes(db, c.name));
    if (JSON.stringify(wantIndexes) !== JSON.stringify(haveIndexes)) {
      problems.push(
        `${c.name}: indexes ${haveIndexes.join(',')} instead of ${wantIndexes.join(',')}`,
      );
    }
  }
  for (const table of tables) {
    if (table.startsWith('_basalt')) problems.push(`leftover table ${table}`);
  }
  for (const view of views) {
    if (!collections.some((c) => c.type === 'view' && c.name === view)) {
      problems.push(`leftover view ${view}`);
    }
  }
  if (app.db.engine === 'mysql') problems.push(...(await hiddenMysqlLeftovers(app)));
  return problems;
}

/** A view collection's SQL view: it must exist with a column per field, in order. */
async function viewMismatches(
  app: App,
  views: ReadonlySet<string>,
  name: string,
  fields: readonly { name: string }[],
): Promise<string[]> {
  if (!views.has(name)) return [`${name}: no view`];
  const have = (await app.db.listColumns(app.db.db, name)).map((col) => col.name);
  const want = fields.map((f) => f.name);
  return JSON.stringify(have) === JSON.stringify(want)
    ? []
    : [`${name}: view columns ${have.join(',')} instead of ${want.join(',')}`];
}

async function journalExists(app: App): Promise<boolean> {
  const found = await sql<{ one: number }>`
    select 1 as one from information_schema.tables
    where table_schema = database() and table_name = '_basalt_ddl_journal'`.execute(app.db.db);
  return found.rows.length > 0;
}

/** MariaDB's set-aside tables, columns and indexes, and journaled changes, left behind. */
async function hiddenMysqlLeftovers(app: App): Promise<string[]> {
  const db = app.db.db;
  const found = await sql<{ what: string }>`
    select concat('leftover table ', table_name) as what from information_schema.tables
    where table_schema = database() and table_name like '\\_basalt\\_%'
      and table_name <> '_basalt_ddl_journal'
    union all
    select concat('leftover column ', table_name, '.', column_name) from information_schema.columns
    where table_schema = database() and column_name like '\\_basalt\\_%'
      and column_name not like '\\_basalt\\_ix\\_%'
    union all
    select distinct concat('leftover index ', table_name, '.', index_name)
    from information_schema.statistics
    where table_schema = database() and index_name like '\\_basalt\\_trash%'
`.execute(db);
  const problems = found.rows.map((r) => r.what);
  if (await journalExists(app)) {
    const journaled = await sql<{ what: string }>`
      select concat('journaled change ', journal, '#', seq) as what
      from _basalt_ddl_journal`.execute(db);
    problems.push(...journaled.rows.map((r) => r.what));
  }
  return problems;
}
