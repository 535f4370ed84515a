import type { ColumnSpec, DbAdapter, Executor } from '../../db/adapter.js';
import {
  formatIndexDefinition,
  parseIndexDefinition,
  renameIndexColumn,
  renameIndexTable,
  type IndexDefinition,
} from '../../db/index-definition.js';
import type { Field } from '../field/field-model.js';
import { columnKindOf } from '../field/field-registry.js';
import type { Collection } from './collection-model.js';

function columnsOf(c: Collection): ColumnSpec[] {
  return c.fields.map((f) => ({ name: f.name, kind: columnKindOf(f) }));
}

/** Creates the table of a new collection and its indexes. */
export async function createCollectionTable(
  adapter: DbAdapter,
  exec: Executor,
  c: Collection,
): Promise<void> {
  await adapter.createTable(exec, c.name, columnsOf(c));
  for (const text of c.indexes) await adapter.createIndex(exec, parseIndexDefinition(text));
}

/** Drops the table of a deleted collection (its indexes go with it). */
export async function dropCollectionTable(
  adapter: DbAdapter,
  exec: Executor,
  c: Collection,
): Promise<void> {
  await adapter.dropTable(exec, c.name);
}

/** How the fields changed between two versions of a collection, matched by field id. */
interface FieldChanges {
  removed: Field[];
  added: Field[];
  renamed: { from: string; to: string }[];
  converted: { field: Field; from: ColumnSpec['kind'] }[];
}

function diffFields(old: Collection, next: Collection): FieldChanges {
  const changes: FieldChanges = { removed: [], added: [], renamed: [], converted: [] };
  for (const o of old.fields) {
    if (!next.fields.some((f) => f.id === o.id)) changes.removed.push(o);
  }
  for (const f of next.fields) {
    const o = old.fields.find((x) => x.id === f.id);
    if (!o) {
      changes.added.push(f);
      continue;
    }
    if (o.name !== f.name) changes.renamed.push({ from: o.name, to: f.name });
    if (columnKindOf(o) !== columnKindOf(f))
      changes.converted.push({ field: f, from: columnKindOf(o) });
  }
  return changes;
}

/** The old indexes as they read after the renames, to compare with the new ones. */
function renamedOldIndexes(
  old: Collection,
  next: Collection,
  changes: FieldChanges,
): Map<string, IndexDefinition> {
  const out = new Map<string, IndexDefinition>();
  for (const text of old.indexes) {
    let def = renameIndexTable(parseIndexDefinition(text), next.name);
    for (const r of changes.renamed) def = renameIndexColumn(def, r.from, r.to);
    out.set(formatIndexDefinition(def), def);
  }
  return out;
}

async function renameColumns(
  adapter: DbAdapter,
  exec: Executor,
  table: string,
  renamed: FieldChanges['renamed'],
): Promise<void> {
  // Two steps through temporary names, so that swaps (a->b, b->a) never collide.
  for (const [i, r] of renamed.entries())
    await adapter.renameColumn(exec, table, r.from, `_basalt_rename_${String(i)}`);
  for (const [i, r] of renamed.entries())
    await adapter.renameColumn(exec, table, `_basalt_rename_${String(i)}`, r.to);
}

/**
 * Alters a collection's table to match its new definition, inside the caller's transaction:
 * indexes that changed (or cover a converted column) are dropped first and created last; the
 * table and columns are renamed, removed, added and converted in between.
 */
export async function syncCollectionTable(
  adapter: DbAdapter,
  exec: Executor,
  old: Collection,
  next: Collection,
): Promise<void> {
  const changes = diffFields(old, next);
  const convertedNames = new Set(changes.converted.map((c) => c.field.name));
  const oldIndexes = renamedOldIndexes(old, next, changes);
  const kept = new Set(
    next.indexes.filter((t) => {
      const def = oldIndexes.get(t);
      return def !== undefined && !def.columns.some((c) => convertedNames.has(c.name));
    }),
  );
  for (const [text, def] of oldIndexes) {
    if (!kept.has(text)) await adapter.dropIndex(exec, old.name, def.name);
  }
  if (old.name !== next.name) await adapter.renameTable(exec, old.name, next.name);
  for (const f of changes.removed) await adapter.dropColumn(exec, next.name, f.name);
  await renameColumns(adapter, exec, next.name, changes.renamed);
  for (const f of changes.added)
    await adapter.addColumn(exec, next.name, { name: f.name, kind: columnKindOf(f) });
  for (const c of changes.converted) {
    await adapter.convertColumn(exec, next.name, c.field.name, c.from, columnKindOf(c.field));
  }
  for (const text of next.indexes) {
    if (!kept.has(text)) await adapter.createIndex(exec, parseIndexDefinition(text));
  }
}
