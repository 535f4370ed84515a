/**
 * `basalt/testing`: the real Basalt server for an app's own tests (APP-LOGIC.md §7), on a
 * temporary SQLite database or a fresh PostgreSQL/MariaDB database, with `pocketbase` SDK
 * clients per actor, a fake clock, the jobs and crons run on demand, and the mails sent.
 */
export { FakeClock } from './fake-clock.js';
export { createFreshDatabase, type FreshDatabase, type TestEngineName } from './fresh-database.js';
export {
  ACTOR_PASSWORD,
  createTestServer,
  type TestServer,
  type TestServerOptions,
} from './test-server.js';
