import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDatabase } from '../../src/db/sqlite/sqlite-native.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-app.js';

// An engine's strftime() against SQLite's own as the oracle: every format x time x modifier
// combination below must give the same text on both. Not compared: impossible calendar dates
// such as 2024-02-31 or 24:00, which SQLite keeps as written and the engines' ports roll over
// (docs/compatibility.md); Basalt never stores them.

const TIMES = [
  '2024-03-15 10:20:30.456Z',
  '2024-01-31 23:59:59.999Z',
  '2024-02-29',
  '2023-12-31T00:00:00Z',
  '2021-01-03 12:00',
  '2020-12-31 08:00:00+02:00',
  '2020-01-01 01:00:00-05:30',
  '1969-07-20 20:17:40Z',
  '1900-03-01 00:00:00',
  '0000-01-01 00:00:00',
  '9999-12-31 23:59:59',
  '2024-13-01',
  '2024-00-10',
  '2024-01-01 25:00:00',
  '2024-01-01 10:61',
  '2024-1-01',
  '10:30',
  '23:59:59.5',
  '2460000.5',
  '0',
  '1700000000',
  '-1',
  '1e300',
  '-1e300',
  '12345678901234567890',
  'not a date',
  '',
  '2024-03-15 10:20:30.456+15:00',
];

const FORMATS = [
  '%Y-%m-%d %H:%M:%S',
  '%d %e %f %F %H %I %j %k %l %m %M %p %P %R %s %S %T %u %w %Y %%',
  '%U %W %V %G %g',
  'week %W of %Y, day %j',
  'plain text',
  '%',
  '%Q',
  '',
];

const MODIFIERS: readonly (readonly string[])[] = [
  [],
  ['+1 day'],
  ['-1 days'],
  ['+1.5 days'],
  ['+36 hours'],
  ['-90 minutes'],
  ['+30.25 seconds'],
  ['+1 month'],
  ['-1 month'],
  ['+13 months'],
  ['+1.5 months'],
  ['+1 year'],
  ['-4 years'],
  ['start of month'],
  ['start of year'],
  ['start of day'],
  ['start of month', '+1 month', '-1 day'],
  ['weekday 0'],
  ['weekday 3'],
  ['weekday 7'],
  ['+02:30'],
  ['-01:15:30'],
  ['unixepoch'],
  ['auto'],
  ['julianday'],
  ['+1 day', 'unixepoch'],
  ['utc'],
  [' +1 DAY '],
  ['+1 fortnight'],
  ['nonsense'],
];

/**
 * Combinations where SQLite's answer is an accident of its implementation, not a meaning:
 * a number that is no valid Julian day, read with 'utc' or 'localtime', becomes day 0.
 */
function notCompared(time: string, modifiers: readonly string[]): boolean {
  const n = Number(time);
  const outOfRange = time.trim() !== '' && Number.isFinite(n) && (n < 0 || n > 5373484.5);
  return outOfRange && ['utc', 'localtime'].includes(modifiers[0] ?? '');
}

async function engineStrftime(
  t: TestApp,
  format: string,
  time: string | undefined,
  modifiers: readonly string[],
): Promise<unknown> {
  const strftime = t.app.db.dialect.strftime;
  if (!strftime) throw new Error(`the ${t.app.db.engine} dialect implements strftime()`);
  const expr = strftime(
    sql.val(format),
    time === undefined ? undefined : sql.val(time),
    modifiers.map((m) => sql.val(m)),
  );
  const result = await sql<{ v: unknown }>`select ${expr} as v`.execute(t.app.db.db);
  return result.rows[0]?.v;
}

function sqliteStrftime(
  oracle: BetterSqlite3.Database,
  format: string,
  time: string,
  modifiers: readonly string[],
): string {
  const args = [format, time, ...modifiers];
  const placeholders = args.map(() => '?').join(', ');
  const row = oracle
    .prepare(`select coalesce(strftime(${placeholders}), '') as v`)
    .get(...args) as { v: string };
  return row.v;
}

/**
 * The suite of an engine's strftime() (`engine` names it in the titles), on a test app of the
 * run's engine, with SQLite's own strftime() as the oracle.
 */
export function describeStrftimeOracle(engine: string): void {
  describe(`strftime() on ${engine} matches SQLite`, () => {
    let t: TestApp;
    let oracle: BetterSqlite3.Database;

    beforeAll(async () => {
      t = await createTestApp();
      oracle = new SqliteDatabase(':memory:');
    }, 120_000);

    afterAll(async () => {
      oracle.close();
      await t.close();
    });

    it.each(TIMES)('time %j', async (time) => {
      const mismatches: string[] = [];
      for (const format of FORMATS) {
        for (const modifiers of MODIFIERS) {
          if (notCompared(time, modifiers)) continue;
          const expected = sqliteStrftime(oracle, format, time, modifiers);
          const got = await engineStrftime(t, format, time, modifiers);
          if (got !== expected) {
            mismatches.push(
              `${JSON.stringify([format, time, ...modifiers])}: ${String(got)} != ${expected}`,
            );
          }
        }
      }
      expect(mismatches).toEqual([]);
    });

    it('formats the current time without a time argument', async () => {
      const year = String(new Date().getUTCFullYear());
      expect(await engineStrftime(t, '%Y', undefined, [])).toBe(year);
      expect(await engineStrftime(t, '%Y', 'now', [])).toBe(year);
    });
  });
}
