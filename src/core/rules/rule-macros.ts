import { formatDateTime } from '../../lib/datetime.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function utc(year: number, month: number, day: number, endOfDay = false): Date {
  return endOfDay
    ? new Date(Date.UTC(year, month, day, 23, 59, 59, 999))
    : new Date(Date.UTC(year, month, day));
}

/** The datetime macros, as PocketBase date text (UTC). */
const DATE_MACROS: Readonly<Record<string, (now: Date) => Date>> = {
  '@now': (now) => now,
  '@yesterday': (now) => new Date(now.getTime() - DAY_MS),
  '@tomorrow': (now) => new Date(now.getTime() + DAY_MS),
  '@todayStart': (now) => utc(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  '@todayEnd': (now) => utc(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), true),
  '@monthStart': (now) => utc(now.getUTCFullYear(), now.getUTCMonth(), 1),
  // Day 0 of the next month is the last day of this one.
  '@monthEnd': (now) => utc(now.getUTCFullYear(), now.getUTCMonth() + 1, 0, true),
  '@yearStart': (now) => utc(now.getUTCFullYear(), 0, 1),
  '@yearEnd': (now) => utc(now.getUTCFullYear(), 11, 31, true),
};

/** The numeric macros (UTC); `@weekday` is 0 for Sunday, `@month` 1 for January. */
const NUMBER_MACROS: Readonly<Record<string, (now: Date) => number>> = {
  '@second': (now) => now.getUTCSeconds(),
  '@minute': (now) => now.getUTCMinutes(),
  '@hour': (now) => now.getUTCHours(),
  '@day': (now) => now.getUTCDate(),
  '@month': (now) => now.getUTCMonth() + 1,
  '@weekday': (now) => now.getUTCDay(),
  '@year': (now) => now.getUTCFullYear(),
};

/**
 * The value of a datetime macro (API.md §2.4) at `now`: date text for `@now`, `@todayStart`,
 * ..., a number for `@second`, `@hour`, ...; undefined when `name` is not a macro.
 */
export function macroValue(name: string, now: Date): string | number | undefined {
  const date = Object.hasOwn(DATE_MACROS, name) ? DATE_MACROS[name] : undefined;
  if (date !== undefined) return formatDateTime(date(now));
  const number = Object.hasOwn(NUMBER_MACROS, name) ? NUMBER_MACROS[name] : undefined;
  return number?.(now);
}
