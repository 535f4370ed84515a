import pg from 'pg';
import { postgresAdminUrl } from './helpers/test-engine.js';

/**
 * Global setup of the postgres project: the server must answer. A run that cannot reach it
 * fails here, naming the server and how to point the suite elsewhere; it never skips.
 */
export default async function setup(): Promise<void> {
  const client = new pg.Client({
    connectionString: postgresAdminUrl(),
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The PostgreSQL suites cannot reach ${postgresAdminUrl()} (${reason}). Start PostgreSQL, ` +
        'set BASALT_TEST_POSTGRES_URL, or run only SQLite with BASALT_TEST_ENGINES=sqlite.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
