import { sql, type RawBuilder } from 'kysely';
import type { ColumnKind, ColumnSpec } from '../adapter.js';
import {
  MYSQL_COLUMN_TYPES,
  PRIMARY_KEY_TYPE,
  ROWID_COLUMN,
  ROWID_INDEX,
  TEXT_COLLATION,
} from './column-types.js';
import { runDdlStep, trashName, type DdlTarget } from './ddl-journal.js';
import {
  convertInPlace,
  dropColumnNow,
  dropTableNow,
  renameColumnNow,
  renameTableNow,
} from './ddl-primitives.js';

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
  const create = sql`create table ${sql.table(table)} (${sql.join(parts)})
    engine = InnoDB default charset = utf8mb4 collate = ${sql.raw(TEXT_COLLATION)}`;
  await runDdlStep(target, { op: 'createTable', table }, async (exec) => {
    await create.execute(exec);
  });
}

/** Drops a table; inside a transaction it is renamed aside until the commit. */
export async function dropMysqlTable(target: DdlTarget, table: string): Promise<void> {
  if (!target.journal) return dropTableNow(target.exec, table);
  const trash = trashName();
  await target.journal.run({ op: 'trashTable', table, trash }, (exec) =>
    renameTableNow(exec, table, trash),
  );
}

/** Renames a table. */
export async function renameMysqlTable(target: DdlTarget, from: string, to: string): Promise<void> {
  await runDdlStep(target, { op: 'renameTable', from, to }, (exec) =>
    renameTableNow(exec, from, to),
  );
}

/** Adds a column with its kind's default, which MariaDB fills into existing rows. */
export async function addMysqlColumn(
  target: DdlTarget,
  table: string,
  column: ColumnSpec,
): Promise<void> {
  if (column.kind === 'primaryKey') throw new RangeError('addColumn: cannot add a primary key');
  const add = alter(table, sql`add column ${columnSql(column)}`);
  await runDdlStep(target, { op: 'addColumn', table, column: column.name }, async (exec) => {
    await add.execute(exec);
  });
}

/** Drops a column; inside a transaction it is renamed aside until the commit. */
export async function dropMysqlColumn(
  target: DdlTarget,
  table: string,
  column: string,
): Promise<void> {
  if (!target.journal) return dropColumnNow(target.exec, table, column);
  const trash = trashName();
  await target.journal.run({ op: 'trashColumn', table, column, trash }, (exec) =>
    renameColumnNow(exec, table, column, trash),
  );
}

/** Renames a column (MariaDB renames it in the index columns' expressions too). */
export async function renameMysqlColumn(
  target: DdlTarget,
  table: string,
  from: string,
  to: string,
): Promise<void> {
  await runDdlStep(target, { op: 'renameColumn', table, from, to }, (exec) =>
    renameColumnNow(exec, table, from, to),
  );
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

const singleOrList = (kind: ColumnKind): 'text' | 'jsonArray' =>
  kind === 'jsonArray' ? 'jsonArray' : 'text';

/**
 * Converts a column between a single value and a JSON array in place (both are LONGTEXT):
 * `'a'` <-> `["a"]`, `''` <-> `[]`; going to single keeps the last item. Inside a transaction
 * the old values are first copied to an invisible column, which the undo copies back, and
 * which is dropped after the commit.
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
  const step = { op: 'convertColumn', table, column, from: singleOrList(from), backup } as const;
  await target.journal.run(step, async (exec) => {
    await alter(table, sql`add column ${sql.id(backup)} ${type} null invisible`).execute(exec);
    await sql`update ${sql.table(table)} set ${sql.ref(backup)} = ${sql.ref(column)}`.execute(exec);
    await convertInPlace(exec, table, column, singleOrList(to), value);
  });
}
