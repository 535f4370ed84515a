import { sql, type RawBuilder } from 'kysely';
import type { ColumnInfo, Executor } from '../adapter.js';
import { columnsToCast, viewSelect } from '../view-select.js';
import { HIDDEN_PREFIX, TEXT_COLLATION } from './column-types.js';
import { runDdlStep, trashName, type DdlTarget } from './ddl-journal.js';
import { dropViewNow, renameTableNow, tableExists, viewExists } from './ddl-primitives.js';
import { listMysqlColumns } from './introspect.js';

/** information_schema's names of MariaDB's text types. */
const TEXT_TYPES: ReadonlySet<string> = new Set([
  'char',
  'varchar',
  'text',
  'tinytext',
  'mediumtext',
  'longtext',
]);

// information_schema sorts by its own case-insensitive collation; names sort here as on
// SQLite (by code unit), as listTables does.
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The text of a value in Basalt's NO PAD binary collation: a bare CAST AS CHAR would take
 * utf8mb4_bin, which MariaDB refuses to compare with the tables' text columns (a mix of
 * collations).
 */
const castText = (column: RawBuilder<unknown>): RawBuilder<unknown> =>
  sql`cast(${column} as char character set utf8mb4) collate ${sql.raw(TEXT_COLLATION)}`;

/**
 * Creates the view on `exec` and reads its columns there (in a transaction, `exec` is the
 * journal's DDL connection, where the view exists); made again with casts when needed.
 */
async function createOn(
  exec: Executor,
  name: string,
  query: string,
  textColumns: readonly string[],
): Promise<ColumnInfo[]> {
  await sql`create view ${sql.table(name)} as ${viewSelect(query)}`.execute(exec);
  const columns = await listMysqlColumns(exec, name);
  const cast = columnsToCast(columns, textColumns, (type) => TEXT_TYPES.has(type));
  if (cast.size === 0) return columns;
  await dropViewNow(exec, name);
  const select = viewSelect(query, columns, cast, castText);
  await sql`create view ${sql.table(name)} as ${select}`.execute(exec);
  return listMysqlColumns(exec, name);
}

/**
 * Creates the view `name` over `query`, the columns of `textColumns` cast to text. Inside a
 * transaction it is journaled (`createView`), so that a rollback or a crash before the commit
 * drops it again.
 */
export async function createMysqlView(
  target: DdlTarget,
  name: string,
  query: string,
  textColumns: readonly string[],
): Promise<ColumnInfo[]> {
  const create = (exec: Executor) => createOn(exec, name, query, textColumns);
  // The name is taken: fail with the engine's error before journaling a step whose undo
  // would drop what holds the name.
  if (target.journal && (await tableExists(target.exec, name))) return create(target.exec);
  let columns: ColumnInfo[] = [];
  await runDdlStep(target, { op: 'createView', view: name }, async (exec) => {
    columns = await create(exec);
  });
  return columns;
}

/** Drops a view when it exists; inside a transaction it is renamed aside until the commit. */
export async function dropMysqlView(target: DdlTarget, name: string): Promise<void> {
  if (!target.journal) return dropViewNow(target.exec, name);
  if (!(await viewExists(target.exec, name))) return;
  const trash = trashName();
  await target.journal.run({ op: 'trashView', view: name, trash }, (exec) =>
    renameTableNow(exec, name, trash),
  );
}

/** Views of the current database, without those dropped by a transaction still running. */
export async function listMysqlViews(exec: Executor): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = database() and table_type = 'VIEW'`.execute(exec);
  return result.rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith(HIDDEN_PREFIX.trash))
    .sort(byName);
}
