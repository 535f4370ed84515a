import mysql from 'mysql2/promise';
import { createFreshDatabase } from '../../src/testing/fresh-database.js';

/** The engines the suites run on. */
export type TestEngine = 'sqlite' | 'postgres' | 'mysql';

const ENGINES: readonly TestEngine[] = ['sqlite', 'postgres', 'mysql'];

function isTestEngine(value: string): value is TestEngine {
  return ENGINES.some((e) => e === value);
}

/** The engine of this test run (`BASALT_TEST_ENGINE`, set per vitest project). */
export function testEngine(): TestEngine {
  const value = process.env.BASALT_TEST_ENGINE ?? 'sqlite';
  if (isTestEngine(value)) return value;
  throw new Error(`Unknown BASALT_TEST_ENGINE "${value}" (${ENGINES.join(', ')}).`);
}

/** The PostgreSQL server the postgres suites use (a database there they may create databases from). */
export function postgresAdminUrl(): string {
  return process.env.BASALT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** The MariaDB server the mysql suites use (as a user that may create databases). */
export function mysqlAdminUrl(): string {
  return process.env.BASALT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
}

/** A database created for one test app on the engine's server, dropped by `drop()`. */
export interface EngineDatabase {
  /** The database URL; undefined on SQLite (the app uses its data directory). */
  readonly url: string | undefined;
  drop(): Promise<void>;
}

/** Runs `run` on a connection to the MariaDB database of `url` (the admin URL by default). */
export async function withMysql<T>(
  run: (conn: mysql.Connection) => Promise<T>,
  url: string = mysqlAdminUrl(),
): Promise<T> {
  const conn = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
  try {
    return await run(conn);
  } finally {
    await conn.end();
  }
}

/** Creates an empty database for one test app (nothing to do on SQLite). */
export function createEngineDatabase(): Promise<EngineDatabase> {
  const engine = testEngine();
  if (engine === 'sqlite') return createFreshDatabase('sqlite');
  return createFreshDatabase(engine, engine === 'mysql' ? mysqlAdminUrl() : postgresAdminUrl());
}
