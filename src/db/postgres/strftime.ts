import { sql } from 'kysely';
import type { Executor } from '../adapter.js';

// SQLite's strftime() for the filter language on PostgreSQL. Times are milliseconds since the
// Unix epoch (UTC) in a bigint, as SQLite keeps them (its Julian day in ms), and dates are
// computed with integer civil-calendar arithmetic rather than PostgreSQL's timestamp type:
// SQLite normalises overflowing days (`2024-01-31 +1 month` is March 2nd) and has a year 0,
// where PostgreSQL's intervals clamp and its calendar has no year 0.

/** Days since 1970-01-01 of a proleptic Gregorian date; days past the month's end roll over. */
const DAYS_FROM_CIVIL = sql`
  create or replace function basalt_days_from_civil(y bigint, m bigint, d bigint) returns bigint
  language plpgsql immutable parallel safe as $$
  declare
    era bigint; yoe bigint; doy bigint;
  begin
    y := y + floor((m - 1)::numeric / 12)::bigint;
    m := m - 12 * floor((m - 1)::numeric / 12)::bigint;
    if m <= 2 then y := y - 1; end if;
    era := floor(y::numeric / 400)::bigint;
    yoe := y - era * 400;
    doy := (153 * (m + case when m > 2 then -3 else 9 end) + 2) / 5;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468 + (d - 1);
  end $$`;

/** The {year, month, day} of a day number of basalt_days_from_civil. */
const CIVIL_FROM_DAYS = sql`
  create or replace function basalt_civil_from_days(z bigint) returns bigint[]
  language plpgsql immutable parallel safe as $$
  declare
    era bigint; doe bigint; yoe bigint; doy bigint; mp bigint; y bigint; m bigint; d bigint;
  begin
    z := z + 719468;
    era := floor(z::numeric / 146097)::bigint;
    doe := z - era * 146097;
    yoe := (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy := doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp := (5 * doy + 2) / 153;
    d := doy - (153 * mp + 2) / 5 + 1;
    m := mp + case when mp < 10 then 3 else -9 end;
    y := yoe + era * 400 + case when m <= 2 then 1 else 0 end;
    return array[y, m, d];
  end $$`;

/**
 * A time value as SQLite reads one: `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|±HH:MM]`,
 * `HH:MM[:SS[.fff]]` (on 2000-01-01), `now`, or a number (a Julian day). NULL otherwise.
 */
const PARSE_TIME = sql`
  create or replace function basalt_parse_time(value text) returns bigint
  language plpgsql stable parallel safe as $$
  declare
    p text[]; y bigint := 2000; mo bigint := 1; d bigint := 1; h bigint := 0; mi bigint := 0;
    sec numeric := 0; ms bigint;
  begin
    value := btrim(value);
    if lower(value) = 'now' then
      return floor(extract(epoch from statement_timestamp()) * 1000)::bigint;
    end if;
    if value ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' then
      -- No Julian day or Unix time is that large; bigint milliseconds would overflow.
      if abs(value::numeric) >= 1e13 then return null; end if;
      return round((value::numeric - 2440587.5) * 86400000)::bigint;
    end if;
    p := regexp_match(value,
      '^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]+([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:[.][0-9]*)?))?)?\\s*(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))?$');
    if p is not null then
      y := p[1]::bigint; mo := p[2]::bigint; d := p[3]::bigint;
      h := coalesce(p[4], '0')::bigint; mi := coalesce(p[5], '0')::bigint;
      sec := coalesce(p[6], '0')::numeric;
    else
      p := regexp_match(value,
        '^()()()([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:[.][0-9]*)?))?\\s*(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))?$');
      if p is null then return null; end if;
      h := p[4]::bigint; mi := p[5]::bigint; sec := coalesce(p[6], '0')::numeric;
    end if;
    if mo < 1 or mo > 12 or d < 1 or d > 31 or h > 24 or mi > 59 or sec >= 60 then
      return null;
    end if;
    ms := basalt_days_from_civil(y, mo, d) * 86400000 + h * 3600000 + mi * 60000
      + round(sec * 1000)::bigint;
    if p[8] is not null then
      if p[9]::bigint > 14 or p[10]::bigint > 59 then return null; end if;
      ms := ms - (case when p[8] = '-' then -1 else 1 end)
        * (p[9]::bigint * 3600000 + p[10]::bigint * 60000);
    end if;
    return ms;
  end $$`;

/** SQLite's rounding of a modifier amount to whole milliseconds: half away from zero. */
const ROUND_MS = sql`
  create or replace function basalt_round_ms(x numeric) returns bigint
  language sql immutable parallel safe as $$
    select trunc(x + case when x < 0 then -0.5 else 0.5 end)::bigint
  $$`;

/** Applies one modifier (lower-cased) to a time; NULL for an unknown modifier. */
const APPLY_MODIFIER = sql`
  create or replace function basalt_time_modifier(ms bigint, m text, first boolean,
    raw_number numeric) returns bigint
  language plpgsql stable parallel safe as $$
  declare
    p text[]; n numeric; ymd bigint[]; day bigint; tod bigint; months bigint; wd bigint;
  begin
    if m in ('utc', 'localtime', 'subsec', 'subsecond') then
      return ms;  -- Basalt keeps every time in UTC
    end if;
    if m = 'auto' and raw_number is null then
      return ms;  -- a date text stays as it is
    end if;
    if m in ('unixepoch', 'julianday', 'auto') then
      if not first or raw_number is null then return null; end if;
      if m = 'julianday' then return ms; end if;
      if m = 'auto' and raw_number >= 0 and raw_number < 5373484.5 then return ms; end if;
      if raw_number < -210866760000 or raw_number > 253402300799 then return null; end if;
      return basalt_round_ms(raw_number * 1000);
    end if;
    day := floor(ms::numeric / 86400000)::bigint;
    tod := ms - day * 86400000;
    if m = 'start of day' then return day * 86400000; end if;
    if m in ('start of month', 'start of year') then
      ymd := basalt_civil_from_days(day);
      return basalt_days_from_civil(ymd[1], case when m = 'start of year' then 1 else ymd[2] end, 1)
        * 86400000;
    end if;
    p := regexp_match(m, '^weekday ([0-6])([.]0*)?$');
    if p is not null then
      wd := (day + 4) % 7;
      if wd < 0 then wd := wd + 7; end if;
      if wd > p[1]::bigint then wd := wd - 7; end if;
      return ms + (p[1]::bigint - wd) * 86400000;
    end if;
    p := regexp_match(m, '^([+-])([0-9]{2}):([0-9]{2})(?::([0-9]{2}(?:[.][0-9]*)?))?$');
    if p is not null then
      if p[3]::bigint > 59 or coalesce(p[4], '0')::numeric >= 60 then return null; end if;
      return ms + (case when p[1] = '-' then -1 else 1 end) * (p[2]::bigint * 3600000
        + p[3]::bigint * 60000 + basalt_round_ms(coalesce(p[4], '0')::numeric * 1000));
    end if;
    p := regexp_match(m, '^([+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+))\\s*(second|minute|hour|day|month|year)s?$');
    if p is null then return null; end if;
    n := p[1]::numeric;
    case p[2]
      when 'second' then return ms + basalt_round_ms(n * 1000);
      when 'minute' then return ms + basalt_round_ms(n * 60000);
      when 'hour' then return ms + basalt_round_ms(n * 3600000);
      when 'day' then return ms + basalt_round_ms(n * 86400000);
      else
        ymd := basalt_civil_from_days(day);
        months := trunc(n)::bigint * case when p[2] = 'year' then 12 else 1 end;
        ms := basalt_days_from_civil(ymd[1], ymd[2] + months, ymd[3]) * 86400000 + tod;
        return ms + basalt_round_ms((n - trunc(n)) * 86400000
          * case when p[2] = 'year' then 365 else 30 end);
    end case;
  end $$`;

/** An integer as SQLite's printf("%0<width>d") writes it: zero-padded, sign included. */
const PAD = sql`
  create or replace function basalt_pad(n bigint, width int) returns text
  language sql immutable parallel safe as $$
    select case when n < 0
      then '-' || lpad((-n)::text, greatest(width - 1, length((-n)::text)), '0')
      else lpad(n::text, greatest(width, length(n::text)), '0') end
  $$`;

/** Formats a time with SQLite's strftime() conversions; NULL for an unknown conversion. */
const FORMAT_TIME = sql`
  create or replace function basalt_format_time(fmt text, ms bigint) returns text
  language plpgsql immutable parallel safe as $$
  declare
    out text := ''; i int := 1; c text; day bigint; tod bigint; ymd bigint[];
    h bigint; mi bigint; s bigint; milli bigint; jan1 bigint; sun bigint; mon bigint;
    iso_year bigint; thursday bigint; h12 bigint; yy text;
  begin
    day := floor(ms::numeric / 86400000)::bigint;
    tod := ms - day * 86400000;
    ymd := basalt_civil_from_days(day);
    h := tod / 3600000; mi := tod / 60000 % 60; s := tod / 1000 % 60; milli := tod % 1000;
    jan1 := basalt_days_from_civil(ymd[1], 1, 1);
    sun := (day + 4) % 7; if sun < 0 then sun := sun + 7; end if;
    mon := (sun + 6) % 7;
    h12 := case when h % 12 = 0 then 12 else h % 12 end;
    yy := basalt_pad(ymd[1], 4);
    while i <= length(fmt) loop
      c := substr(fmt, i, 1);
      i := i + 1;
      if c <> '%' then
        out := out || c;
        continue;
      end if;
      c := substr(fmt, i, 1);
      i := i + 1;
      case c
        when 'd' then out := out || lpad(ymd[3]::text, 2, '0');
        when 'e' then out := out || lpad(ymd[3]::text, 2, ' ');
        when 'f' then out := out || lpad(s::text, 2, '0') || '.' || lpad(milli::text, 3, '0');
        when 'F' then out := out || yy || '-' || lpad(ymd[2]::text, 2, '0') || '-'
          || lpad(ymd[3]::text, 2, '0');
        when 'H' then out := out || lpad(h::text, 2, '0');
        when 'k' then out := out || lpad(h::text, 2, ' ');
        when 'I' then out := out || lpad(h12::text, 2, '0');
        when 'l' then out := out || lpad(h12::text, 2, ' ');
        when 'j' then out := out || lpad((day - jan1 + 1)::text, 3, '0');
        when 'm' then out := out || lpad(ymd[2]::text, 2, '0');
        when 'M' then out := out || lpad(mi::text, 2, '0');
        when 'p' then out := out || case when h >= 12 then 'PM' else 'AM' end;
        when 'P' then out := out || case when h >= 12 then 'pm' else 'am' end;
        when 'R' then out := out || lpad(h::text, 2, '0') || ':' || lpad(mi::text, 2, '0');
        when 's' then out := out || floor(ms::numeric / 1000)::bigint::text;
        when 'S' then out := out || lpad(s::text, 2, '0');
        when 'T' then out := out || lpad(h::text, 2, '0') || ':' || lpad(mi::text, 2, '0')
          || ':' || lpad(s::text, 2, '0');
        when 'u' then out := out || (mon + 1)::text;
        when 'w' then out := out || sun::text;
        when 'U' then out := out || lpad(((day - jan1 - sun + 7) / 7)::text, 2, '0');
        when 'W' then out := out || lpad(((day - jan1 - mon + 7) / 7)::text, 2, '0');
        when 'G', 'g', 'V' then
          thursday := day - mon + 3;
          iso_year := (basalt_civil_from_days(thursday))[1];
          if c = 'V' then
            out := out || lpad(((thursday - basalt_days_from_civil(iso_year, 1, 1)) / 7 + 1)::text,
              2, '0');
          elsif c = 'G' then
            out := out || basalt_pad(iso_year, 4);
          else
            out := out || basalt_pad(iso_year % 100, 2);
          end if;
        when 'Y' then out := out || yy;
        when '%' then out := out || '%';
        else return null;
      end case;
    end loop;
    return out;
  end $$`;

/** strftime(format, time, modifiers): SQLite's semantics, NULL where SQLite answers NULL. */
const STRFTIME = sql`
  create or replace function basalt_strftime(fmt text, value text, mods text[]) returns text
  language plpgsql stable parallel safe as $$
  declare
    ms bigint; raw_number numeric; m text; k int := 0;
  begin
    if fmt is null or value is null then return null; end if;
    if btrim(value) ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' then
      raw_number := btrim(value)::numeric;
    end if;
    ms := basalt_parse_time(value);
    foreach m in array coalesce(mods, array[]::text[]) loop
      -- Between modifiers SQLite only keeps the year within -4713..9999; the final time must
      -- be a valid Julian day (0 to 9999-12-31 23:59:59.999).
      -- A number that is no Julian day (0 to 5373484.5) may only be read as a Unix time.
      if k = 0 and (raw_number < 0 or raw_number >= 5373484.5) then
        if lower(m) not in ('unixepoch', 'auto') then return null; end if;
      else
        exit when ms is null or ms < -210895056000000 or ms > 253402300799999;
      end if;
      ms := basalt_time_modifier(ms, lower(m), k = 0, raw_number);
      k := k + 1;
    end loop;
    if ms is null or ms < -210866760000000 or ms > 253402300799999 then return null; end if;
    return basalt_format_time(fmt, ms);
  end $$`;

/** Creates (or replaces) basalt_strftime() and its helpers. */
export async function createStrftimeFunctions(exec: Executor): Promise<void> {
  for (const statement of [
    DAYS_FROM_CIVIL,
    CIVIL_FROM_DAYS,
    PARSE_TIME,
    ROUND_MS,
    APPLY_MODIFIER,
    PAD,
    FORMAT_TIME,
    STRFTIME,
  ]) {
    await statement.execute(exec);
  }
}
