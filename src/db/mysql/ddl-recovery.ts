import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema-types.js';
import type { Executor, SchemaRecovery } from '../adapter.js';
import { JOURNAL_TABLE } from './column-types.js';
import { deleteJournal, ensureJournalTable, lockJournal, unlockJournal } from './ddl-journal.js';
import { finishStep, undoStep, type DdlStep } from './ddl-steps.js';

// The journal holds only what Basalt wrote: its steps are trusted when read back.
const parseStep = (text: string): DdlStep => JSON.parse(text) as DdlStep;

/**
 * Finishes or undoes one journal left by a process that stopped. Its lock is free only once
 * its owner is gone (and any statement the server was still running for it has ended); the
 * locking read of its head waits for the owner's transaction to end, so `committed` is final.
 */
async function recoverJournal(
  exec: Executor,
  journal: string,
): Promise<'finished' | 'undone' | 'gone'> {
  await lockJournal(exec, journal);
  try {
    const head = await sql<{ committed: number }>`
      select committed from ${sql.table(JOURNAL_TABLE)}
      where journal = ${journal} and seq = 0 for update`.execute(exec);
    const rows = await sql<{ step: string }>`
      select step from ${sql.table(JOURNAL_TABLE)}
      where journal = ${journal} and seq > 0 order by seq`.execute(exec);
    // Its owner was alive after all, and done with it while this waited for the lock.
    if (head.rows.length === 0) return 'gone';
    const steps = rows.rows.map((r) => parseStep(r.step));
    // The transaction marked its head committed: only then is its metadata the new one.
    const committed = head.rows[0]?.committed === 1;
    if (committed) {
      for (const step of steps) await finishStep(exec, step);
    } else {
      for (const step of steps.toReversed()) await undoStep(exec, step);
    }
    await deleteJournal(exec, journal);
    return committed ? 'finished' : 'undone';
  } finally {
    await unlockJournal(exec, journal);
  }
}

/**
 * Brings every schema change that a stopped process left half made to the state of the
 * committed metadata: a change whose transaction committed is finished (what it set aside is
 * dropped), any other is undone step by step, the last first, so that each table matches its
 * collection again. Runs at start, before the server listens, under the migration lock (so two
 * starting processes never recover at once); a change that a live process is still making is
 * waited for, never touched.
 */
export async function recoverMysqlDdl(ddl: Kysely<Database>): Promise<SchemaRecovery> {
  await ensureJournalTable(ddl);
  return ddl.connection().execute(async (exec) => {
    const journals = await sql<{ journal: string }>`
      select distinct journal from ${sql.table(JOURNAL_TABLE)} order by journal`.execute(exec);
    let finished = 0;
    let undone = 0;
    for (const { journal } of journals.rows) {
      const outcome = await recoverJournal(exec, journal);
      if (outcome === 'finished') finished++;
      if (outcome === 'undone') undone++;
    }
    return { finished, undone };
  });
}
