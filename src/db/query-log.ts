import type { LogEvent } from 'kysely';
import type { QueryListener } from './adapter.js';

/** Adapts a QueryListener to Kysely's `log` option (errors included, so nothing is hidden). */
export function kyselyLog(listener: QueryListener): (event: LogEvent) => void {
  return (event) => {
    listener({
      sql: event.query.sql,
      parameters: event.query.parameters,
      durationMs: event.queryDurationMillis,
    });
  };
}
