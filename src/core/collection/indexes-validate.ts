import {
  formatIndexDefinition,
  IndexDefinitionError,
  parseIndexDefinition,
  renameIndexTable,
  type IndexDefinition,
} from '../../db/index-definition.js';
import type { Field } from '../field/field-model.js';
import { fieldError } from '../validation-errors.js';
import type { ValidationRun } from './validate-context.js';

/** A parsed index with its position in the input (undefined for indexes Basalt adds). */
interface IndexEntry {
  readonly def: IndexDefinition;
  readonly position: number | undefined;
}

function readIndexes(run: ValidationRun, input: unknown): IndexEntry[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input) || input.length > 100) {
    run.errors.add(['indexes'], fieldError('validation_invalid_type'));
    return [];
  }
  const entries: IndexEntry[] = [];
  input.forEach((item: unknown, i) => {
    if (typeof item !== 'string') {
      run.errors.add(['indexes', String(i)], fieldError('validation_invalid_index'));
      return;
    }
    try {
      entries.push({ def: parseIndexDefinition(item), position: i });
    } catch (error) {
      if (!(error instanceof IndexDefinitionError)) throw error;
      run.errors.add(
        ['indexes', String(i)],
        fieldError('validation_invalid_index', {}, error.message),
      );
    }
  });
  return entries;
}

/** The index's table must be this collection (by its new or its old name). */
function checkTable(run: ValidationRun, entry: IndexEntry): IndexDefinition {
  const table = entry.def.table.toLowerCase();
  const names = [run.name, run.ctx.old?.name ?? run.name].map((n) => n.toLowerCase());
  if (!names.includes(table)) {
    run.errors.add(
      ['indexes', String(entry.position)],
      fieldError('validation_invalid_index', {}, 'The index must be on this collection.'),
    );
  }
  return renameIndexTable(entry.def, run.name);
}

function checkColumns(run: ValidationRun, entry: IndexEntry, fields: readonly Field[]): void {
  const missing = entry.def.columns.find((c) => !fields.some((f) => f.name === c.name));
  if (missing) {
    run.errors.add(
      ['indexes', String(entry.position)],
      fieldError('validation_invalid_index', {}, `Unknown column "${missing.name}".`),
    );
  }
}

/** Index names must be unique in the whole database (SQLite has one namespace for them). */
function checkNames(run: ValidationRun, entries: readonly IndexEntry[]): void {
  const others = run.ctx.existing
    .filter((c) => c.id !== run.ctx.old?.id)
    .flatMap((c) => c.indexes.map((text) => parseIndexDefinition(text).name.toLowerCase()));
  const seen = new Set<string>();
  for (const entry of entries) {
    const name = entry.def.name.toLowerCase();
    if (seen.has(name) || others.includes(name)) {
      run.errors.add(
        ['indexes', String(entry.position)],
        fieldError('validation_invalid_index', {}, 'The index name must be unique.'),
      );
    }
    seen.add(name);
  }
}

function hasUniqueIndexOn(entries: readonly IndexEntry[], column: string): boolean {
  return entries.some(
    (e) => e.def.unique && e.def.columns.length === 1 && e.def.columns[0]?.name === column,
  );
}

/** Auth collections always keep unique indexes on `tokenKey` and on non-empty `email`. */
function addAuthIndexes(run: ValidationRun, entries: IndexEntry[]): IndexEntry[] {
  if (run.type !== 'auth') return entries;
  const added: IndexEntry[] = [];
  if (!hasUniqueIndexOn(entries, 'tokenKey')) {
    added.push({
      position: undefined,
      def: {
        name: `idx_tokenKey_${run.id}`,
        table: run.name,
        unique: true,
        columns: [{ name: 'tokenKey' }],
      },
    });
  }
  if (!hasUniqueIndexOn(entries, 'email')) {
    added.push({
      position: undefined,
      def: parseIndexDefinition(
        `CREATE UNIQUE INDEX \`idx_email_${run.id}\` ON \`${run.name}\` (\`email\`) WHERE \`email\` != ''`,
      ),
    });
  }
  return [...entries, ...added];
}

/** Reads, checks and normalises a collection's indexes; returns their canonical texts. */
export function validateIndexes(
  run: ValidationRun,
  input: unknown,
  fields: readonly Field[],
): {
  texts: string[];
  defs: IndexDefinition[];
} {
  const entries = readIndexes(run, input).map((entry) => ({
    ...entry,
    def: checkTable(run, entry),
  }));
  entries.forEach((entry) => {
    checkColumns(run, entry, fields);
  });
  const all = addAuthIndexes(run, entries);
  checkNames(run, all);
  return { texts: all.map((e) => formatIndexDefinition(e.def)), defs: all.map((e) => e.def) };
}

/** True when `column` has a single-column UNIQUE index among `defs`. */
export function hasUniqueIndex(defs: readonly IndexDefinition[], column: string): boolean {
  return hasUniqueIndexOn(
    defs.map((def) => ({ def, position: undefined })),
    column,
  );
}
