import { sql } from 'kysely';
import type { Executor } from '../adapter.js';
import { createStrftimeFunctions } from './strftime.js';

/** `basalt_<type>(text)`: the text cast to `type` (json or jsonb), NULL when it is not JSON. */
function safeJsonCast(type: 'json' | 'jsonb') {
  // `type` is one of two constants, never input.
  return sql`
    create or replace function ${sql.raw(`basalt_${type}`)}(value text) returns ${sql.raw(type)}
    language plpgsql immutable parallel safe as $$
    begin
      return value::${sql.raw(type)};
    exception when others then
      return null;
    end $$`;
}

/**
 * SQL functions the PostgreSQL dialect relies on, created (or replaced) by the system
 * migrations 0001 and 0004. Stored JSON is text that may not be valid JSON (data written
 * outside Basalt); a plain `::jsonb` cast would fail the whole query, so these answer NULL or
 * `[]` instead.
 */
export async function createPostgresFunctions(exec: Executor): Promise<void> {
  await safeJsonCast('jsonb').execute(exec);
  // json, not jsonb: extracting an object or array from json keeps its stored text, which
  // Basalt writes minified, as SQLite's json_extract() answers (jsonb would add spaces).
  await safeJsonCast('json').execute(exec);
  await sql`
    create or replace function basalt_jsonb_array(value text) returns jsonb
    language sql immutable parallel safe as $$
      select case when jsonb_typeof(basalt_jsonb(value)) = 'array'
        then basalt_jsonb(value) else '[]'::jsonb end
    $$`.execute(exec);
  await createStrftimeFunctions(exec);
}
