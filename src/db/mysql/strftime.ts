import { sql } from 'kysely';
import type { Executor } from '../adapter.js';

// SQLite's strftime() for the filter language on MariaDB, as stored functions. Times are
// milliseconds since the Unix epoch (UTC) in a BIGINT, as SQLite keeps them (its Julian day in
// ms), and dates are computed with integer civil-calendar arithmetic rather than MariaDB's
// DATETIME: SQLite normalises overflowing days (`2024-01-31 +1 month` is March 2nd), has a
// year 0 and years before 1000, which MariaDB's date functions do not.
//
// The bodies are fixed SQL text (no value is ever spliced in): written with String.raw, so
// that a backslash reads here as MariaDB reads it. Texts are declared in Basalt's NO PAD
// binary collation, so that comparisons inside (`%d` against `%D`) are case-sensitive.

const TEXT = 'text character set utf8mb4 collate utf8mb4_nopad_bin';

/** Group `n` of an anchored regular expression that matches `value` whole ('' if it took no part). */
const GROUP = String.raw`
  create or replace function basalt_re_group(value ${TEXT}, pattern ${TEXT}, n int)
  returns ${TEXT} deterministic no sql
  return regexp_replace(value, pattern, concat('\\', n))`;

/**
 * Integer division rounded down (for b > 0). Not floor(a / b): MariaDB's `/` keeps only four
 * more decimals, so floor(-1 / 86400000) would be 0.
 */
const FLOOR_DIV = String.raw`
  create or replace function basalt_floor_div(a bigint, b bigint)
  returns bigint deterministic no sql
  return a div b - if(a mod b < 0, 1, 0)`;

/** Days since 1970-01-01 of a proleptic Gregorian date; days past the month's end roll over. */
const DAYS_FROM_CIVIL = String.raw`
  create or replace function basalt_days_from_civil(y bigint, m bigint, d bigint)
  returns bigint deterministic no sql
  begin
    declare era bigint; declare yoe bigint; declare doy bigint;
    set y = y + basalt_floor_div(m - 1, 12);
    set m = m - 12 * basalt_floor_div(m - 1, 12);
    if m <= 2 then set y = y - 1; end if;
    set era = basalt_floor_div(y, 400);
    set yoe = y - era * 400;
    set doy = (153 * (m + if(m > 2, -3, 9)) + 2) div 5;
    return era * 146097 + yoe * 365 + yoe div 4 - yoe div 100 + doy - 719468 + (d - 1);
  end`;

/** The year (part 1), month (2) or day (3) of a day number of basalt_days_from_civil. */
const CIVIL_FROM_DAYS = String.raw`
  create or replace function basalt_civil_from_days(z bigint, part int)
  returns bigint deterministic no sql
  begin
    declare era bigint; declare doe bigint; declare yoe bigint; declare doy bigint;
    declare mp bigint; declare m bigint;
    set z = z + 719468;
    set era = basalt_floor_div(z, 146097);
    set doe = z - era * 146097;
    set yoe = (doe - doe div 1460 + doe div 36524 - doe div 146096) div 365;
    set doy = doe - (365 * yoe + yoe div 4 - yoe div 100);
    set mp = (5 * doy + 2) div 153;
    set m = mp + if(mp < 10, 3, -9);
    return case part
      when 1 then yoe + era * 400 + if(m <= 2, 1, 0)
      when 2 then m
      else doy - (153 * mp + 2) div 5 + 1 end;
  end`;

/** Whether a text is a plain number, as SQLite reads a time value or a modifier amount. */
const IS_NUMBER = String.raw`
  create or replace function basalt_is_number(value ${TEXT})
  returns boolean deterministic no sql
  return value regexp '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$'`;

/**
 * A time value as SQLite reads one: `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|±HH:MM]`,
 * `HH:MM[:SS[.fff]]` (on 2000-01-01), `now`, or a number (a Julian day). NULL otherwise.
 */
const PARSE_TIME = String.raw`
  create or replace function basalt_parse_time(value ${TEXT})
  returns bigint not deterministic no sql
  begin
    declare p ${TEXT}; declare y bigint default 2000; declare mo bigint default 1;
    declare d bigint default 1; declare h bigint; declare mi bigint;
    declare sec decimal(30, 20); declare ms bigint; declare tz ${TEXT};
    set value = trim(value);
    if lower(value) = 'now' then
      return floor(unix_timestamp(now(3)) * 1000);
    end if;
    if basalt_is_number(value) then
      -- No Julian day or Unix time is that large; BIGINT milliseconds would overflow.
      if abs(cast(value as double)) >= 1e13 then return null; end if;
      return round((cast(value as decimal(40, 20)) - 2440587.5) * 86400000);
    end if;
    set p = '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]+([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:[.][0-9]*)?))?)?[[:space:]]*(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))?$';
    if value regexp p then
      set y = basalt_re_group(value, p, 1);
      set mo = basalt_re_group(value, p, 2);
      set d = basalt_re_group(value, p, 3);
    else
      set p = '^()()()([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:[.][0-9]*)?))?[[:space:]]*(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))?$';
      if not value regexp p then return null; end if;
    end if;
    set h = coalesce(nullif(basalt_re_group(value, p, 4), ''), '0');
    set mi = coalesce(nullif(basalt_re_group(value, p, 5), ''), '0');
    set sec = coalesce(nullif(basalt_re_group(value, p, 6), ''), '0');
    if mo < 1 or mo > 12 or d < 1 or d > 31 or h > 24 or mi > 59 or sec >= 60 then
      return null;
    end if;
    set ms = basalt_days_from_civil(y, mo, d) * 86400000 + h * 3600000 + mi * 60000
      + round(sec * 1000);
    -- Groups 7 to 9 are the zone's sign, hours and minutes (MariaDB has no \10).
    set tz = basalt_re_group(value, p, 7);
    if tz <> '' then
      if basalt_re_group(value, p, 8) > 14 or basalt_re_group(value, p, 9) > 59 then
        return null;
      end if;
      set ms = ms - if(tz = '-', -1, 1) * (basalt_re_group(value, p, 8) * 3600000
        + basalt_re_group(value, p, 9) * 60000);
    end if;
    return ms;
  end`;

/** SQLite's rounding of a modifier amount to whole milliseconds: half away from zero. */
const ROUND_MS = String.raw`
  create or replace function basalt_round_ms(x decimal(65, 20))
  returns bigint deterministic no sql
  return truncate(x + if(x < 0, -0.5, 0.5), 0)`;

/** Applies one modifier (lower-cased) to a time; NULL for an unknown modifier. */
const APPLY_MODIFIER = String.raw`
  create or replace function basalt_time_modifier(ms bigint, m ${TEXT}, first boolean,
    raw_number ${TEXT})
  returns bigint deterministic no sql
  begin
    declare p ${TEXT}; declare n decimal(65, 20); declare day bigint; declare tod bigint;
    declare months bigint; declare wd bigint; declare unit ${TEXT}; declare raw double;
    if m in ('utc', 'localtime', 'subsec', 'subsecond') then
      return ms;  -- Basalt keeps every time in UTC
    end if;
    if m = 'auto' and raw_number is null then
      return ms;  -- a date text stays as it is
    end if;
    if m in ('unixepoch', 'julianday', 'auto') then
      if not first or raw_number is null then return null; end if;
      if m = 'julianday' then return ms; end if;
      set raw = cast(raw_number as double);
      if m = 'auto' and raw >= 0 and raw < 5373484.5 then return ms; end if;
      if raw < -210866760000 or raw > 253402300799 then return null; end if;
      return basalt_round_ms(cast(raw_number as decimal(40, 20)) * 1000);
    end if;
    set day = basalt_floor_div(ms, 86400000);
    set tod = ms - day * 86400000;
    if m = 'start of day' then return day * 86400000; end if;
    if m in ('start of month', 'start of year') then
      return basalt_days_from_civil(basalt_civil_from_days(day, 1),
        if(m = 'start of year', 1, basalt_civil_from_days(day, 2)), 1) * 86400000;
    end if;
    if m regexp '^weekday [0-6]([.]0*)?$' then
      set n = substring(m, 9, 1);
      set wd = mod(day + 4, 7);
      if wd < 0 then set wd = wd + 7; end if;
      if wd > n then set wd = wd - 7; end if;
      return ms + (n - wd) * 86400000;
    end if;
    set p = '^([+-])([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:[.][0-9]*)?))?$';
    if m regexp p then
      if basalt_re_group(m, p, 3) > 59
        or coalesce(nullif(basalt_re_group(m, p, 4), ''), '0') >= 60 then
        return null;
      end if;
      return ms + if(basalt_re_group(m, p, 1) = '-', -1, 1) * (basalt_re_group(m, p, 2) * 3600000
        + basalt_re_group(m, p, 3) * 60000
        + basalt_round_ms(cast(coalesce(nullif(basalt_re_group(m, p, 4), ''), '0')
          as decimal(40, 20)) * 1000));
    end if;
    set p = '^([+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+))[[:space:]]*(second|minute|hour|day|month|year)s?$';
    if not m regexp p then return null; end if;
    if abs(cast(basalt_re_group(m, p, 1) as double)) >= 1e40 then return null; end if;
    set n = cast(basalt_re_group(m, p, 1) as decimal(65, 20));
    set unit = basalt_re_group(m, p, 2);
    case unit
      when 'second' then return ms + basalt_round_ms(n * 1000);
      when 'minute' then return ms + basalt_round_ms(n * 60000);
      when 'hour' then return ms + basalt_round_ms(n * 3600000);
      when 'day' then return ms + basalt_round_ms(n * 86400000);
      else
        set months = truncate(n, 0) * if(unit = 'year', 12, 1);
        set ms = basalt_days_from_civil(basalt_civil_from_days(day, 1),
          basalt_civil_from_days(day, 2) + months, basalt_civil_from_days(day, 3)) * 86400000 + tod;
        return ms + basalt_round_ms((n - truncate(n, 0)) * 86400000 * if(unit = 'year', 365, 30));
    end case;
  end`;

/** An integer as SQLite's printf("%0<width>d") writes it: zero-padded, sign included. */
const PAD = String.raw`
  create or replace function basalt_pad(n bigint, width int)
  returns ${TEXT} deterministic no sql
  return if(n < 0,
    concat('-', lpad(-n, greatest(width - 1, char_length(-n)), '0')),
    lpad(n, greatest(width, char_length(n)), '0'))`;

/** Formats a time with SQLite's strftime() conversions; NULL for an unknown conversion. */
const FORMAT_TIME = String.raw`
  create or replace function basalt_format_time(fmt ${TEXT}, ms bigint)
  returns ${TEXT} deterministic no sql
  begin
    declare out_ ${TEXT} default ''; declare i int default 1; declare c ${TEXT};
    declare day bigint; declare tod bigint; declare y bigint; declare mo bigint; declare d bigint;
    declare h bigint; declare mi bigint; declare s bigint; declare milli bigint;
    declare jan1 bigint; declare sun bigint; declare mon bigint; declare iso_year bigint;
    declare thursday bigint; declare h12 bigint; declare yy ${TEXT};
    set day = basalt_floor_div(ms, 86400000);
    set tod = ms - day * 86400000;
    set y = basalt_civil_from_days(day, 1);
    set mo = basalt_civil_from_days(day, 2);
    set d = basalt_civil_from_days(day, 3);
    set h = tod div 3600000; set mi = tod div 60000 mod 60; set s = tod div 1000 mod 60;
    set milli = tod mod 1000;
    set jan1 = basalt_days_from_civil(y, 1, 1);
    set sun = mod(day + 4, 7);
    if sun < 0 then set sun = sun + 7; end if;
    set mon = mod(sun + 6, 7);
    set h12 = if(h mod 12 = 0, 12, h mod 12);
    set yy = basalt_pad(y, 4);
    conversions: while i <= char_length(fmt) do
      set c = substring(fmt, i, 1);
      set i = i + 1;
      if c <> '%' then
        set out_ = concat(out_, c);
        iterate conversions;
      end if;
      set c = substring(fmt, i, 1);
      set i = i + 1;
      case c
        when 'd' then set out_ = concat(out_, lpad(d, 2, '0'));
        when 'e' then set out_ = concat(out_, lpad(d, 2, ' '));
        when 'f' then set out_ = concat(out_, lpad(s, 2, '0'), '.', lpad(milli, 3, '0'));
        when 'F' then set out_ = concat(out_, yy, '-', lpad(mo, 2, '0'), '-', lpad(d, 2, '0'));
        when 'H' then set out_ = concat(out_, lpad(h, 2, '0'));
        when 'k' then set out_ = concat(out_, lpad(h, 2, ' '));
        when 'I' then set out_ = concat(out_, lpad(h12, 2, '0'));
        when 'l' then set out_ = concat(out_, lpad(h12, 2, ' '));
        when 'j' then set out_ = concat(out_, lpad(day - jan1 + 1, 3, '0'));
        when 'm' then set out_ = concat(out_, lpad(mo, 2, '0'));
        when 'M' then set out_ = concat(out_, lpad(mi, 2, '0'));
        when 'p' then set out_ = concat(out_, if(h >= 12, 'PM', 'AM'));
        when 'P' then set out_ = concat(out_, if(h >= 12, 'pm', 'am'));
        when 'R' then set out_ = concat(out_, lpad(h, 2, '0'), ':', lpad(mi, 2, '0'));
        when 's' then set out_ = concat(out_, basalt_floor_div(ms, 1000));
        when 'S' then set out_ = concat(out_, lpad(s, 2, '0'));
        when 'T' then
          set out_ = concat(out_, lpad(h, 2, '0'), ':', lpad(mi, 2, '0'), ':', lpad(s, 2, '0'));
        when 'u' then set out_ = concat(out_, mon + 1);
        when 'w' then set out_ = concat(out_, sun);
        when 'U' then set out_ = concat(out_, lpad((day - jan1 - sun + 7) div 7, 2, '0'));
        when 'W' then set out_ = concat(out_, lpad((day - jan1 - mon + 7) div 7, 2, '0'));
        when 'Y' then set out_ = concat(out_, yy);
        when '%' then set out_ = concat(out_, '%');
        when 'G' then
          set thursday = day - mon + 3;
          set out_ = concat(out_, basalt_pad(basalt_civil_from_days(thursday, 1), 4));
        when 'g' then
          set thursday = day - mon + 3;
          set out_ = concat(out_, basalt_pad(basalt_civil_from_days(thursday, 1) mod 100, 2));
        when 'V' then
          set thursday = day - mon + 3;
          set iso_year = basalt_civil_from_days(thursday, 1);
          set out_ = concat(out_,
            lpad((thursday - basalt_days_from_civil(iso_year, 1, 1)) div 7 + 1, 2, '0'));
        else return null;
      end case;
    end while conversions;
    return out_;
  end`;

/**
 * strftime(format, time, modifiers): SQLite's semantics, NULL where SQLite answers NULL. The
 * modifiers come as a JSON array of texts (MariaDB has no array type).
 */
const STRFTIME = String.raw`
  create or replace function basalt_strftime(fmt ${TEXT}, value ${TEXT}, mods ${TEXT})
  returns ${TEXT} not deterministic no sql
  begin
    declare ms bigint; declare raw_number ${TEXT}; declare raw double; declare m ${TEXT};
    declare k int default 0;
    if fmt is null or value is null then return null; end if;
    if basalt_is_number(trim(value)) then
      set raw_number = trim(value);
      set raw = cast(raw_number as double);
    end if;
    set ms = basalt_parse_time(value);
    modifiers: while k < coalesce(json_length(mods), 0) do
      set m = json_value(mods, concat('$[', k, ']'));
      -- Between modifiers SQLite only keeps the year within -4713..9999; the final time must
      -- be a valid Julian day (0 to 9999-12-31 23:59:59.999).
      -- A number that is no Julian day (0 to 5373484.5) may only be read as a Unix time.
      if k = 0 and (raw < 0 or raw >= 5373484.5) then
        if lower(m) not in ('unixepoch', 'auto') then return null; end if;
      elseif ms is null or ms < -210895056000000 or ms > 253402300799999 then
        leave modifiers;
      end if;
      set ms = basalt_time_modifier(ms, lower(m), k = 0, raw_number);
      set k = k + 1;
    end while modifiers;
    if ms is null or ms < -210866760000000 or ms > 253402300799999 then return null; end if;
    return basalt_format_time(fmt, ms);
  end`;

/** Creates (or replaces) basalt_strftime() and its helpers. */
export async function createStrftimeFunctions(exec: Executor): Promise<void> {
  for (const statement of [
    GROUP,
    FLOOR_DIV,
    DAYS_FROM_CIVIL,
    CIVIL_FROM_DAYS,
    IS_NUMBER,
    PARSE_TIME,
    ROUND_MS,
    APPLY_MODIFIER,
    PAD,
    FORMAT_TIME,
    STRFTIME,
  ]) {
    await sql.raw(statement).execute(exec);
  }
}
