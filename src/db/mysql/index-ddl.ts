import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../adapter.js';
import type { IndexColumn, IndexDefinition } from '../index-definition.js';
import { indexWhereSql } from '../index-where-sql.js';
import { LOWER_ALPHANUMERIC, randomString } from '../../lib/security/random.js';
import { HIDDEN_PREFIX, MAX_KEY_BYTES, MYSQL_COLUMN_TYPES } from './column-types.js';
import { runDdlStep, trashName, type DdlTarget } from './ddl-journal.js';
import { dropIndexNow, indexExists, renameIndexNow } from './ddl-primitives.js';

/** How each column of a table stores its values, as information_schema names the type. */
async function columnTypes(exec: Executor, table: string): Promise<Map<string, string>> {
  const result = await sql<{ name: string; type: string }>`
    select column_name as name, data_type as type from information_schema.columns
    where table_schema = database() and table_name = ${table}`.execute(exec);
  return new Map(result.rows.map((r) => [r.name.toLowerCase(), r.type.toLowerCase()]));
}

/** Bytes a fixed-size column takes in a key; undefined for text, which takes a prefix. */
function fixedKeyBytes(type: string | undefined): number | undefined {
  if (type === 'double' || type === 'bigint') return 8;
  if (type === 'tinyint') return 1;
  return undefined;
}

/**
 * The key parts of a plain index. InnoDB keys hold at most 3072 bytes, so text columns are
 * indexed by a prefix that shares what the fixed-size columns leave (utf8mb4: 4 bytes a
 * character): such an index finds the same rows, it only compares the rest in the row.
 */
function prefixedParts(columns: readonly IndexColumn[], types: Map<string, string>) {
  const fixed = columns.map((c) => fixedKeyBytes(types.get(c.name.toLowerCase())));
  const texts = fixed.filter((bytes) => bytes === undefined).length;
  const fixedBytes = fixed.reduce<number>((sum, bytes) => sum + (bytes ?? 0), 0);
  const prefix = Math.max(1, Math.floor((MAX_KEY_BYTES - fixedBytes) / 4 / Math.max(1, texts)));
  return columns.map((c, i) => {
    const length = fixed[i] === undefined ? sql`(${sql.lit(Math.min(prefix, 768))})` : sql``;
    const direction = c.direction === 'desc' ? sql` desc` : sql``;
    return sql`${sql.ref(c.name)}${length}${direction}`;
  });
}

/** The type of an invisible column that holds a transformed copy of a column of `type`. */
function helperType(type: string | undefined): RawBuilder<unknown> {
  if (type === 'double') return sql`double`;
  if (type === 'tinyint') return sql`boolean`;
  return sql`${MYSQL_COLUMN_TYPES.text.type}`;
}

/**
 * A UNIQUE index with a WHERE condition or a NOCASE column, which MariaDB cannot express
 * directly: each column becomes an invisible generated column holding `lower(column)` for
 * NOCASE, and NULL where the condition does not hold (NULLs never clash in a unique key).
 * Columns, key and all are added by one ALTER TABLE, which either happens whole or not at all.
 */
function helperIndexSql(index: IndexDefinition, types: Map<string, string>): RawBuilder<unknown> {
  const adds: RawBuilder<unknown>[] = [];
  const keyParts = index.columns.map((column) => {
    const helper = HIDDEN_PREFIX.indexColumn + randomString(12, LOWER_ALPHANUMERIC);
    const ref = sql.ref(column.name);
    const value = column.collate === 'nocase' ? sql`lower(${ref})` : sql`${ref}`;
    const expr = index.where
      ? sql`case when ${indexWhereSql(index.where)} then ${value} end`
      : value;
    const type = helperType(types.get(column.name.toLowerCase()));
    adds.push(sql`add column ${sql.id(helper)} ${type} as (${expr}) virtual invisible`);
    return sql.id(helper);
  });
  const key = sql`add unique index ${sql.id(index.name)} (${sql.join(keyParts)})`;
  return sql`alter table ${sql.table(index.table)} ${sql.join([...adds, key])}`;
}

/**
 * Creates an index from its parsed definition. A UNIQUE index compares whole values (MariaDB
 * keys long ones by a hash); a plain one indexes text by a prefix, and its WHERE condition and
 * NOCASE are left out, which changes which rows it covers, not what queries find.
 */
export async function createMysqlIndex(target: DdlTarget, index: IndexDefinition): Promise<void> {
  const step = { op: 'createIndex', table: index.table, name: index.name } as const;
  // Read on the step's own connection: a pool connection could be held by another change.
  await runDdlStep(target, step, async (exec) => {
    await createIndexStatement(index, await columnTypes(exec, index.table)).execute(exec);
  });
}

function createIndexStatement(
  index: IndexDefinition,
  types: Map<string, string>,
): RawBuilder<unknown> {
  const needsHelpers =
    index.unique && (index.where !== undefined || index.columns.some((c) => c.collate));
  if (needsHelpers) return helperIndexSql(index, types);
  const parts = index.unique
    ? index.columns.map((c) => sql.ref(c.name))
    : prefixedParts(index.columns, types);
  const unique = index.unique ? sql`unique ` : sql``;
  return sql`create ${unique}index ${sql.id(index.name)} on ${sql.table(index.table)} (${sql.join(parts)})`;
}

/** Drops an index by name; inside a transaction it is renamed aside until the commit. */
export async function dropMysqlIndex(
  target: DdlTarget,
  table: string,
  name: string,
): Promise<void> {
  if (!target.journal) return dropIndexNow(target.exec, table, name);
  const trash = trashName();
  await target.journal.run({ op: 'trashIndex', table, name, trash }, async (exec) => {
    if (await indexExists(exec, table, name)) await renameIndexNow(exec, table, name, trash);
  });
}
