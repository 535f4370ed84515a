import { sql } from 'kysely';
import type { Executor } from '../adapter.js';

/**
 * SQL functions the PostgreSQL dialect relies on, created (or replaced) by the first system
 * migration. Stored JSON is text that may not be valid JSON (data written outside Basalt);
 * a plain `::jsonb` cast would fail the whole query, so these answer NULL or `[]` instead.
 */
export async function createPostgresFunctions(exec: Executor): Promise<void> {
  await sql`
    create or replace function basalt_jsonb(value text) returns jsonb
    language plpgsql immutable parallel safe as $$
    begin
      return value::jsonb;
    exception when others then
      return null;
    end $$`.execute(exec);
  await sql`
    create or replace function basalt_jsonb_array(value text) returns jsonb
    language sql immutable parallel safe as $$
      select case when jsonb_typeof(basalt_jsonb(value)) = 'array'
        then basalt_jsonb(value) else '[]'::jsonb end
    $$`.execute(exec);
}
