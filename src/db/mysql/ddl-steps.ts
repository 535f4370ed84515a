import { sql } from 'kysely';
import type { Executor } from '../adapter.js';
import {
  columnExists,
  convertInPlace,
  dropColumnIfExists,
  dropIndexNow,
  dropTableNow,
  dropTrashColumn,
  dropTrashIndex,
  dropViewNow,
  renameColumnBack,
  renameIndexBack,
  renameTableBack,
} from './ddl-primitives.js';

/**
 * One schema change of a transaction, as data: what the journal stores before the change runs,
 * so that a process started after a crash can undo it (the transaction did not commit) or
 * finish it (it did). Drops only rename the object aside (`trash*`) until the commit.
 */
export type DdlStep =
  | { readonly op: 'createTable'; readonly table: string }
  | { readonly op: 'renameTable'; readonly from: string; readonly to: string }
  | { readonly op: 'trashTable'; readonly table: string; readonly trash: string }
  | { readonly op: 'addColumn'; readonly table: string; readonly column: string }
  | {
      readonly op: 'renameColumn';
      readonly table: string;
      readonly from: string;
      readonly to: string;
    }
  | {
      readonly op: 'trashColumn';
      readonly table: string;
      readonly column: string;
      readonly trash: string;
    }
  | {
      readonly op: 'convertColumn';
      readonly table: string;
      readonly column: string;
      readonly from: 'text' | 'jsonArray';
      readonly backup: string;
    }
  | { readonly op: 'createIndex'; readonly table: string; readonly name: string }
  | { readonly op: 'createView'; readonly view: string }
  | { readonly op: 'trashView'; readonly view: string; readonly trash: string }
  | {
      readonly op: 'trashIndex';
      readonly table: string;
      readonly name: string;
      readonly trash: string;
    };

/**
 * Takes a step back. Safe to run for a step that ran partly or not at all, and to run again:
 * each looks at the schema before it changes anything. Steps are undone the last first, so
 * the table and column names a step names are those it saw.
 */
export async function undoStep(exec: Executor, step: DdlStep): Promise<void> {
  switch (step.op) {
    case 'createTable':
      return dropTableNow(exec, step.table);
    case 'renameTable':
      return renameTableBack(exec, step.from, step.to);
    case 'trashTable':
      return renameTableBack(exec, step.table, step.trash);
    case 'addColumn':
      return dropColumnIfExists(exec, step.table, step.column);
    case 'renameColumn':
      return renameColumnBack(exec, step.table, step.from, step.to);
    case 'trashColumn':
      return renameColumnBack(exec, step.table, step.column, step.trash);
    case 'convertColumn':
      if (!(await columnExists(exec, step.table, step.backup))) return;
      // The backup is NULL until the old values were copied into it, and never after.
      await convertInPlace(
        exec,
        step.table,
        step.column,
        step.from,
        sql.ref(step.backup),
        sql`${sql.ref(step.backup)} is not null`,
      );
      return dropColumnIfExists(exec, step.table, step.backup);
    case 'createIndex':
      return dropIndexNow(exec, step.table, step.name);
    case 'trashIndex':
      return renameIndexBack(exec, step.table, step.name, step.trash);
    case 'createView':
      return dropViewNow(exec, step.view);
    case 'trashView':
      // RENAME TABLE renames views too, and information_schema.tables lists them.
      return renameTableBack(exec, step.view, step.trash);
  }
}

/**
 * Removes what a step of a committed transaction set aside. Safe to run again. The table may
 * have been renamed by a later step, so trash is looked for by its unique name alone.
 */
export async function finishStep(exec: Executor, step: DdlStep): Promise<void> {
  switch (step.op) {
    case 'trashTable':
      return dropTableNow(exec, step.trash);
    case 'trashColumn':
      return dropTrashColumn(exec, step.trash);
    case 'convertColumn':
      return dropTrashColumn(exec, step.backup);
    case 'trashIndex':
      return dropTrashIndex(exec, step.trash);
    case 'trashView':
      return dropViewNow(exec, step.trash);
    default:
      return;
  }
}
