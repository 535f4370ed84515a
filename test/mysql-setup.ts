import { mysqlAdminUrl, withMysql } from './helpers/test-engine.js';

/**
 * Global setup of the mysql project: the MariaDB server must answer. A run that cannot reach
 * it fails here, naming the server and how to point the suite elsewhere; it never skips.
 */
export default async function setup(): Promise<void> {
  try {
    await withMysql((conn) => conn.query('select 1'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const shown = new URL(mysqlAdminUrl());
    if (shown.password) shown.password = '***';
    throw new Error(
      `The MySQL/MariaDB suites cannot reach ${shown.toString()} (${reason}). Start MariaDB, ` +
        'set BASALT_TEST_MYSQL_URL, or run only SQLite with BASALT_TEST_ENGINES=sqlite.',
    );
  }
}
