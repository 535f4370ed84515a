import { sql, type RawBuilder } from 'kysely';
import type { ColumnKind, ColumnSpec, Executor } from '../adapter.js';
import {
  MYSQL_COLUMN_TYPES,
  PRIMARY_KEY_TYPE,
  ROWID_COLUMN,
  ROWID_INDEX,
  TEXT_COLLATION,
} from './column-types.js';
import { trashName, type DdlTarget } from './ddl-journal.js';

function columnSql(column: ColumnSpec): RawBuilder<unknown> {
  if (column.kind === 'primaryKey') {
    return sql`${sql.id(column.name)} ${PRIMARY_KEY_TYPE} not null primary key`;
  }
  const spec = MYSQL_COLUMN_TYPES[column.kind];
  const notNull = spec.notNull ? sql` not null` : sql``;
  return sql`${sql.id(column.name)} ${spec.type} default ${spec.default}${notNull}`;
}

const alter = (table: string, change: RawBuilder<unknown>) =>
  sql`alter table ${sql.table(table)} ${change}`;

async function renameTableNow(exec: Executor, from: string, to: string): Promise<void> {
  await sql`rename table ${sql.table(from)} to ${sql.table(to)}`.execute(exec);
}

async function dropTableNow(exec: Executor, table: string): Promise<void> {
  await sql`drop table if exists ${sql.table(table)}`.execute(exec);
}

async function renameColumnNow(
  exec: Executor,
  table: string,
  from: string,
  to: string,
): Promise<void> {
  await alter(table, sql`rename column ${sql.id(from)} to ${sql.id(to)}`).execute(exec);
}

async function dropColumnNow(exec: Executor, table: string, column: string): Promise<void> {
  await alter(table, sql`drop column ${sql.id(column)}`).execute(exec);
}

/** Drops a column set aside under a unique trash name, in whichever table now holds it. */
async function dropTrashColumn(exec: Executor, column: string): Promise<void> {
  const result = await sql<{ name: string }>`
    select table_name as name from information_schema.columns
    where table_schema = database() and column_name = ${column}`.execute(exec);
  for (const row of result.rows) await dropColumnNow(exec, row.name, column);
}

/**
 * Creates a table whose first column is the text primary key, plus the invisible
 * insertion-order column, in the NO PAD binary collation whatever the database's default.
 */
export async function createMysqlTable(
  target: DdlTarget,
  table: string,
  columns: readonly ColumnSpec[],
): Promise<void> {
  const rowid = sql`${sql.id(ROWID_COLUMN)} bigint not null auto_increment invisible`;
  const rowidKey = sql`unique key ${sql.id(ROWID_INDEX)} (${sql.id(ROWID_COLUMN)})`;
  const parts = [...columns.map(columnSql), rowid, rowidKey];
  await sql`create table ${sql.table(table)} (${sql.join(parts)})
    engine = InnoDB default charset = utf8mb4 collate = ${sql.raw(TEXT_COLLATION)}`.execute(
    target.exec,
  );
  target.journal?.record({ undo: (exec) => dropTableNow(exec, table) });
}

/** Drops a table; inside a transaction it is renamed aside until the commit. */
export async function dropMysqlTable(target: DdlTarget, table: string): Promise<void> {
  if (!target.journal) return dropTableNow(target.exec, table);
  const trash = trashName();
  await renameTableNow(target.exec, table, trash);
  target.journal.record({
    undo: (exec) => renameTableNow(exec, trash, table),
    finish: (exec) => dropTableNow(exec, trash),
  });
}

/** Renames a table. */
export async function renameMysqlTable(target: DdlTarget, from: string, to: string): Promise<void> {
  await renameTableNow(target.exec, from, to);
  target.journal?.record({ undo: (exec) => renameTableNow(exec, to, from) });
}

/** Adds a column with its kind's default, which MariaDB fills into existing rows. */
export async function addMysqlColumn(
  target: DdlTarget,
  table: string,
  column: ColumnSpec,
): Promise<void> {
  if (column.kind === 'primaryKey') throw new RangeError('addColumn: cannot add a primary key');
  await alter(table, sql`add column ${columnSql(column)}`).execute(target.exec);
  target.journal?.record({ undo: (exec) => dropColumnNow(exec, table, column.name) });
}

/** Drops a column; inside a transaction it is renamed aside until the commit. */
export async function dropMysqlColumn(
  target: DdlTarget,
  table: string,
  column: string,
): Promise<void> {
  if (!target.journal) return dropColumnNow(target.exec, table, column);
  const trash = trashName();
  await renameColumnNow(target.exec, table, column, trash);
  target.journal.record({
    undo: (exec) => renameColumnNow(exec, table, trash, column),
    finish: (exec) => dropTrashColumn(exec, trash),
  });
}

/** Renames a column (MariaDB renames it in the index columns' expressions too). */
export async function renameMysqlColumn(
  target: DdlTarget,
  table: string,
  from: string,
  to: string,
): Promise<void> {
  await renameColumnNow(target.exec, table, from, to);
  target.journal?.record({ undo: (exec) => renameColumnNow(exec, table, to, from) });
}

/** The JSON text, or NULL when it is not valid JSON. */
const validJson = (value: RawBuilder<unknown>) =>
  sql`(case when json_valid(${value}) then ${value} end)`;

/** The converted value of a column going from one kind to the other. */
function convertedValue(column: string, from: ColumnKind, to: ColumnKind): RawBuilder<unknown> {
  const ref = sql.ref(column);
  if (from === 'jsonArray' && to === 'text') {
    const json = validJson(sql`${ref}`);
    const last = sql`concat('$[', json_length(${json}) - 1, ']')`;
    return sql`coalesce(case when json_length(${json}) > 0 then json_value(${json}, ${last}) end, '')`;
  }
  if (from === 'text' && to === 'jsonArray') {
    return sql`case when ${ref} is null or ${ref} = '' then '[]' else json_array(${ref}) end`;
  }
  throw new RangeError(`convertColumn: cannot convert ${from} to ${to}`);
}

async function convertInPlace(
  exec: Executor,
  table: string,
  column: string,
  to: 'text' | 'jsonArray',
  value: RawBuilder<unknown>,
): Promise<void> {
  await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${value}`.execute(exec);
  const def = MYSQL_COLUMN_TYPES[to].default;
  await alter(table, sql`alter column ${sql.id(column)} set default ${def}`).execute(exec);
}

const singleOrList = (kind: ColumnKind): 'text' | 'jsonArray' =>
  kind === 'jsonArray' ? 'jsonArray' : 'text';

/**
 * Converts a column between a single value and a JSON array in place (both are LONGTEXT):
 * `'a'` <-> `["a"]`, `''` <-> `[]`; going to single keeps the last item. Inside a transaction
 * the old values are first copied to an invisible column, which the undo copies back.
 */
export async function convertMysqlColumn(
  target: DdlTarget,
  table: string,
  column: string,
  from: ColumnKind,
  to: ColumnKind,
): Promise<void> {
  const value = convertedValue(column, from, to);
  if (!target.journal) return convertInPlace(target.exec, table, column, singleOrList(to), value);
  const backup = trashName();
  const type = MYSQL_COLUMN_TYPES.json.type;
  await alter(table, sql`add column ${sql.id(backup)} ${type} null invisible`).execute(target.exec);
  let copied = false;
  target.journal.record({
    undo: async (exec) => {
      if (copied) await convertInPlace(exec, table, column, singleOrList(from), sql.ref(backup));
      await dropColumnNow(exec, table, backup);
    },
    finish: (exec) => dropTrashColumn(exec, backup),
  });
  await sql`update ${sql.table(table)} set ${sql.ref(backup)} = ${sql.ref(column)}`.execute(
    target.exec,
  );
  copied = true;
  await convertInPlace(target.exec, table, column, singleOrList(to), value);
}
