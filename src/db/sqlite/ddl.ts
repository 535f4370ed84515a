import { sql, type RawBuilder } from 'kysely';
import type { ColumnSpec, Executor } from '../adapter.js';
import type { IndexDefinition } from '../index-definition.js';
import { indexWhereSql } from '../index-where-sql.js';
import { SQLITE_COLUMN_TYPES } from './column-types.js';

/** Creates a table whose first column is the text primary key. */
export async function createSqliteTable(
  exec: Executor,
  table: string,
  columns: readonly ColumnSpec[],
): Promise<void> {
  let builder = exec.schema.createTable(table);
  for (const column of columns) {
    if (column.kind === 'primaryKey') {
      builder = builder.addColumn(column.name, 'text', (c) => c.primaryKey().notNull());
      continue;
    }
    const spec = SQLITE_COLUMN_TYPES[column.kind];
    builder = builder.addColumn(column.name, spec.type, (c) => {
      const withDefault = c.defaultTo(spec.default);
      return spec.notNull ? withDefault.notNull() : withDefault;
    });
  }
  await builder.execute();
}

/** Adds a column with its kind's default, which SQLite fills into existing rows. */
export async function addSqliteColumn(
  exec: Executor,
  table: string,
  column: ColumnSpec,
): Promise<void> {
  if (column.kind === 'primaryKey') throw new RangeError('addColumn: cannot add a primary key');
  const spec = SQLITE_COLUMN_TYPES[column.kind];
  await exec.schema
    .alterTable(table)
    .addColumn(column.name, spec.type, (c) => {
      const withDefault = c.defaultTo(spec.default);
      return spec.notNull ? withDefault.notNull() : withDefault;
    })
    .execute();
}

function indexColumnSql(column: IndexDefinition['columns'][number]): RawBuilder<unknown> {
  const collate = column.collate === 'nocase' ? sql` collate nocase` : sql``;
  const direction = column.direction === 'desc' ? sql` desc` : sql``;
  return sql`${sql.ref(column.name)}${collate}${direction}`;
}

/** Creates an index from its parsed definition; identifiers quoted, WHERE literals inlined safely. */
export async function createSqliteIndex(exec: Executor, index: IndexDefinition): Promise<void> {
  const unique = index.unique ? sql`unique ` : sql``;
  const where = index.where ? sql` where ${indexWhereSql(index.where)}` : sql``;
  const columns = sql.join(index.columns.map(indexColumnSql));
  await sql`create ${unique}index ${sql.id(index.name)} on ${sql.table(index.table)} (${columns})${where}`.execute(
    exec,
  );
}
