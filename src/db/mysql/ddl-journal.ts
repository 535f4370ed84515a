import { sql, type Kysely } from 'kysely';
import type { Executor } from '../adapter.js';
import type { Database } from '../schema-types.js';
import { LOWER_ALPHANUMERIC, randomString } from '../../lib/security/random.js';
import { HIDDEN_PREFIX, JOURNAL_TABLE } from './column-types.js';
import { finishStep, undoStep, type DdlStep } from './ddl-steps.js';

/** How long a journal's owner, or a recovering process, waits for a journal's lock, in s. */
const JOURNAL_LOCK_WAIT_S = 600;

/**
 * A point of a schema change where a test makes the process "crash": the change stops there,
 * its transaction rolls back (as the server does when a connection dies) and nothing is undone
 * or finished, which leaves the database as a kill -9 at that point would.
 */
export type DdlCrashPoint =
  | { readonly at: 'step'; readonly step: number; readonly done: boolean }
  | { readonly at: 'commit' }
  | { readonly at: 'finish'; readonly step: number };

/** Says at which points a schema change stops as if the process died (tests only). */
export type DdlCrashHook = (point: DdlCrashPoint) => boolean;

/** Thrown at a point where a {@link DdlCrashHook} asked for a crash. */
export class SimulatedCrash extends Error {}

/** Creates the journal table when missing (outside any transaction: DDL commits). */
export async function ensureJournalTable(exec: Executor): Promise<void> {
  await sql`create table if not exists ${sql.table(JOURNAL_TABLE)} (
    journal varchar(32) not null,
    seq int not null,
    step longtext null,
    committed boolean not null default 0,
    primary key (journal, seq)
  ) engine = InnoDB`.execute(exec);
}

/** Drops the journal table (of a database being emptied). */
export async function dropJournalTable(exec: Executor): Promise<void> {
  await sql`drop table if exists ${sql.table(JOURNAL_TABLE)}`.execute(exec);
}

/** The server-wide named lock that the owner of a journal holds until it is done with it. */
const lockName = (journal: string) =>
  sql`concat('basalt_ddl:', left(md5(database()), 16), ':', ${journal})`;

/** Takes a journal's lock on the connection `exec`, waiting for its owner at most a while. */
export async function lockJournal(exec: Executor, journal: string): Promise<void> {
  const got = await sql<{ got: number | null }>`
    select get_lock(${lockName(journal)}, ${JOURNAL_LOCK_WAIT_S}) as got`.execute(exec);
  if (got.rows[0]?.got !== 1) {
    throw new Error(`The schema change ${journal} stayed locked for ${JOURNAL_LOCK_WAIT_S} s.`);
  }
}

/** Releases a journal's lock taken on `exec`. */
export async function unlockJournal(exec: Executor, journal: string): Promise<void> {
  await sql`select release_lock(${lockName(journal)})`.execute(exec);
}

/** Deletes a journal's rows, once its changes are undone or finished. */
export async function deleteJournal(exec: Executor, journal: string): Promise<void> {
  await sql`delete from ${sql.table(JOURNAL_TABLE)} where journal = ${journal}`.execute(exec);
}

/** A connection of a pool held until `release` is called. */
interface HeldConnection {
  readonly exec: Executor;
  release(): Promise<void>;
}

function holdConnection(db: Kysely<Database>): Promise<HeldConnection> {
  return new Promise((resolve, reject) => {
    let letGo = (): void => undefined;
    const held = new Promise<void>((r) => {
      letGo = r;
    });
    const done = db.connection().execute(async (exec) => {
      resolve({
        exec,
        release: async () => {
          letGo();
          await done;
        },
      });
      await held;
    });
    // Before `resolve` this is the failure to get a connection; after it, `release` reports it.
    done.catch(reject);
  });
}

/**
 * The durable journal of one transaction's schema changes. The first change takes a connection
 * of the DDL pool and, on it, the journal's named lock; writes the journal's head row
 * (committed there and then); and marks the head committed inside the transaction, so that the
 * mark becomes durable with the transaction's metadata or never, and its row lock makes a
 * recovering process wait while the transaction runs. Each change is written to the journal
 * (committed) before it runs. See `recoverMysqlDdl` for what a later start does with it.
 */
export class DdlJournal {
  readonly #id = randomString(16, LOWER_ALPHANUMERIC);
  readonly #steps: DdlStep[] = [];
  readonly #ddl: Kysely<Database>;
  readonly #tx: Executor;
  readonly #ready: () => Promise<void>;
  readonly #crash: DdlCrashHook | undefined;
  #opening: Promise<Executor> | undefined;
  #held: HeldConnection | undefined;

  constructor(
    ddl: Kysely<Database>,
    tx: Executor,
    ready: () => Promise<void>,
    crash: DdlCrashHook | undefined,
  ) {
    this.#ddl = ddl;
    this.#tx = tx;
    this.#ready = ready;
    this.#crash = crash;
  }

  /** Stops here when the test hook asks for a crash at `point`. */
  crashPoint(point: DdlCrashPoint): void {
    if (this.#crash?.(point))
      throw new SimulatedCrash(`simulated crash at ${JSON.stringify(point)}`);
  }

  /** Journals `step`, then runs `change` on the journal's connection. */
  async run(step: DdlStep, change: (exec: Executor) => Promise<void>): Promise<void> {
    this.#opening ??= this.#open();
    const exec = await this.#opening;
    this.#steps.push(step);
    const seq = this.#steps.length;
    await sql`insert into ${sql.table(JOURNAL_TABLE)} (journal, seq, step)
      values (${this.#id}, ${seq}, ${JSON.stringify(step)})`.execute(exec);
    this.crashPoint({ at: 'step', step: seq, done: false });
    await change(exec);
    this.crashPoint({ at: 'step', step: seq, done: true });
  }

  async #open(): Promise<Executor> {
    await this.#ready();
    const held = await holdConnection(this.#ddl);
    try {
      await lockJournal(held.exec, this.#id);
    } catch (error) {
      await held.release();
      throw error;
    }
    this.#held = held;
    await sql`insert into ${sql.table(JOURNAL_TABLE)} (journal, seq, committed)
      values (${this.#id}, 0, 0)`.execute(held.exec);
    await sql`update ${sql.table(JOURNAL_TABLE)} set committed = 1
      where journal = ${this.#id} and seq = 0`.execute(this.#tx);
    return held.exec;
  }

  /** After a rollback: takes every change back, the last first, and forgets the journal. */
  async undo(): Promise<void> {
    await this.#close(async (exec) => {
      for (const step of this.#steps.toReversed()) await undoStep(exec, step);
    });
  }

  /** After the commit: removes what the changes set aside, and forgets the journal. */
  async finish(): Promise<void> {
    await this.#close(async (exec) => {
      for (const [i, step] of this.#steps.entries()) {
        this.crashPoint({ at: 'finish', step: i + 1 });
        await finishStep(exec, step);
      }
    });
  }

  /** Lets the connection go, leaving the journal for the next start (a simulated crash). */
  async abandon(): Promise<void> {
    await this.#release();
  }

  /** Runs `work`, deletes the journal when it succeeded, and lets the connection go. */
  async #close(work: (exec: Executor) => Promise<void>): Promise<void> {
    const held = this.#held;
    if (!held) return;
    try {
      await work(held.exec);
      await deleteJournal(held.exec, this.#id);
    } finally {
      await this.#release();
    }
  }

  async #release(): Promise<void> {
    const held = this.#held;
    if (!held) return;
    this.#held = undefined;
    try {
      await unlockJournal(held.exec, this.#id);
    } finally {
      await held.release();
    }
  }
}

/**
 * Where a schema change runs. Outside a transaction: on the given executor, for good. Inside
 * one: through `journal`, on a connection of the DDL pool.
 */
export interface DdlTarget {
  readonly exec: Executor;
  readonly journal: DdlJournal | undefined;
}

/** Runs `change` now, or through the transaction's journal as `step`. */
export async function runDdlStep(
  target: DdlTarget,
  step: DdlStep,
  change: (exec: Executor) => Promise<void>,
): Promise<void> {
  if (target.journal) await target.journal.run(step, change);
  else await change(target.exec);
}

/** A fresh name for a table, column or index set aside until its transaction ends. */
export function trashName(): string {
  return HIDDEN_PREFIX.trash + randomString(12, LOWER_ALPHANUMERIC);
}

/**
 * Transactions whose schema changes follow the transaction's outcome, even across a crash.
 * MariaDB commits the open transaction before every DDL statement, which would make a
 * collection's metadata row durable before its table change, and leave half of a failed
 * change behind. So inside a transaction the changes run on a connection of their own, outside
 * the transaction, each journaled durably before it runs (DdlJournal), and written so that
 * they can be taken back: a drop only renames the object aside. When the transaction rolls
 * back, the changes are undone, the last first; when it commits, what was set aside is
 * dropped. A process that dies in between leaves the journal, which the next start undoes or
 * finishes (`recoverMysqlDdl`) before serving.
 */
export class DdlTransactions {
  readonly #ddl: Kysely<Database>;
  readonly #journals = new WeakMap<Executor, DdlJournal>();
  readonly #crash: DdlCrashHook | undefined;
  #tableReady: Promise<void> | undefined;

  constructor(ddl: Kysely<Database>, crash?: DdlCrashHook) {
    this.#ddl = ddl;
    this.#crash = crash;
  }

  /** Where a schema change on `exec` runs. */
  target(exec: Executor): DdlTarget {
    const journal = this.#journals.get(exec);
    return journal ? { exec: this.#ddl, journal } : { exec, journal: undefined };
  }

  #ready = (): Promise<void> => {
    this.#tableReady ??= ensureJournalTable(this.#ddl).catch((error: unknown) => {
      this.#tableReady = undefined;
      throw error;
    });
    return this.#tableReady;
  };

  /** Runs `fn` in a transaction of `db` whose schema changes commit and roll back with it. */
  async run<T>(db: Kysely<Database>, fn: (tx: Executor) => Promise<T>): Promise<T> {
    let journal: DdlJournal | undefined;
    let result: T;
    try {
      result = await db.transaction().execute(async (tx) => {
        journal = new DdlJournal(this.#ddl, tx, this.#ready, this.#crash);
        this.#journals.set(tx, journal);
        const value = await fn(tx);
        journal.crashPoint({ at: 'commit' });
        return value;
      });
    } catch (error) {
      await this.#afterRollback(journal, error);
      throw error;
    }
    // Committed: a failure here leaves only hidden leftovers (and the journal, which the next
    // start finishes), but is not hidden itself.
    try {
      await journal?.finish();
    } catch (error) {
      if (error instanceof SimulatedCrash) await journal?.abandon();
      throw error;
    }
    return result;
  }

  async #afterRollback(journal: DdlJournal | undefined, error: unknown): Promise<void> {
    if (error instanceof SimulatedCrash) {
      await journal?.abandon();
      return;
    }
    try {
      await journal?.undo();
    } catch (undoError) {
      throw new AggregateError(
        [error, undoError],
        'A transaction failed and its schema changes could not all be undone.',
      );
    }
  }
}
