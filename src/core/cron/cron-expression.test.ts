import { describe, expect, it } from 'vitest';
import { isCronExpression, parseCronExpression } from './cron-expression.js';
import { cronJob } from './cron-job.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** The next `n` scheduled times after `from`. */
function nextRuns(expression: string, from: string, n: number): string[] {
  const schedule = parseCronExpression(expression);
  const runs: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    t = schedule.nextAfter(t);
    runs.push(iso(t));
  }
  return runs;
}

describe('cron expressions (PocketBase tools/cron/schedule.go)', () => {
  it.each([
    '* * * * *',
    '*/5 * * * *',
    '0 0 1 1 *',
    '1-30/5 2,4,6 1-31 1-12 0-6',
    '5/1 * * * *', // a single value with step 1: PocketBase accepts it
    '0 */3 * * 1-5',
    '59 23 31 12 6',
    '*/10 * * * * *', // Basalt: seconds first
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
  ])('accepts %s', (expression) => {
    expect(() => parseCronExpression(expression)).not.toThrow();
  });

  it.each([
    ['', 'fields'],
    ['* * * *', 'fields'],
    ['* * * * * * *', 'fields'],
    ['60 * * * *', 'not between 0 and 59'],
    ['* 24 * * *', 'not between 0 and 23'],
    ['* * 0 * *', 'not between 1 and 31'],
    ['* * * 13 *', 'not between 1 and 12'],
    ['* * * * 7', 'not between 0 and 6'],
    ['5-1 * * * *', 'range end'],
    ['*/0 * * * *', 'step'],
    ['*/60 * * * *', 'step'],
    ['5/2 * * * *', 'a step needs'],
    ['1,,2 * * * *', 'not a number'],
    ['a * * * *', 'not a number'],
    ['MON * * * *', 'not a number'],
    ['* * * * MON', 'not a number'],
    ['1-2-3 * * * *', 'not a range'],
    ['*/2/2 * * * *', 'more than one step'],
    ['@reboot', 'fields'],
    ['@every 5m', 'fields'],
  ])('refuses %j (%s)', (expression, why) => {
    expect(() => parseCronExpression(expression)).toThrow(why);
  });

  it('lists a macro expanded, as PocketBase does', () => {
    expect(parseCronExpression('@hourly').expression).toBe('0 * * * *');
    expect(parseCronExpression('@weekly').expression).toBe('0 0 * * 0');
    expect(parseCronExpression('*/5 * * * *').expression).toBe('*/5 * * * *');
  });

  it('schedules in UTC, strictly after the given time', () => {
    expect(nextRuns('*/15 * * * *', '2026-03-01T10:00:00.000Z', 3)).toEqual([
      '2026-03-01T10:15:00.000Z',
      '2026-03-01T10:30:00.000Z',
      '2026-03-01T10:45:00.000Z',
    ]);
    expect(nextRuns('@daily', '2026-03-01T10:00:00.000Z', 2)).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
    expect(nextRuns('* * * * * *', '2026-03-01T10:00:00.300Z', 2)).toEqual([
      '2026-03-01T10:00:01.000Z',
      '2026-03-01T10:00:02.000Z',
    ]);
  });

  it('needs day of month AND day of week to match (PocketBase), not either', () => {
    // The 1st of a month that is a Monday: June 2026, February 2027, March 2027.
    expect(nextRuns('0 0 1 * 1', '2026-01-01T00:00:00.000Z', 3)).toEqual([
      '2026-06-01T00:00:00.000Z',
      '2027-02-01T00:00:00.000Z',
      '2027-03-01T00:00:00.000Z',
    ]);
  });

  it('never schedules a date that does not exist', () => {
    expect(parseCronExpression('0 0 31 2 *').nextAfter(at('2026-01-01T00:00:00Z'))).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('settings accept five fields and macros only (PocketBase backups cron)', () => {
    expect(isCronExpression('0 3 * * 1-5')).toBe(true);
    expect(isCronExpression('@daily')).toBe(true);
    expect(isCronExpression('0 0 3 * * 1-5')).toBe(false);
    expect(isCronExpression('61 * * * *')).toBe(false);
  });

  it('a registration names the job and the expression when the expression is invalid', () => {
    const fn = () => undefined;
    expect(() => cronJob('nightly', '0 25 * * *', fn)).toThrow(
      'Invalid cron expression "0 25 * * *" of the cron job "nightly": the value 25 is not between 0 and 23.',
    );
    expect(() => cronJob('', '* * * * *', fn)).toThrow('1 to 100 characters');
    expect(() => cronJob('x'.repeat(101), '* * * * *', fn)).toThrow('1 to 100 characters');
  });
});

describe('the latest scheduled time', () => {
  it('is at or before the given time', () => {
    const schedule = parseCronExpression('*/15 * * * *');
    expect(iso(schedule.latestUntil(at('2026-03-01T10:15:00.000Z')) ?? 0)).toBe(
      '2026-03-01T10:15:00.000Z',
    );
    expect(iso(schedule.latestUntil(at('2026-03-01T10:29:59.999Z')) ?? 0)).toBe(
      '2026-03-01T10:15:00.000Z',
    );
  });
});
