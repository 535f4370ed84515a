import mysql from 'mysql2/promise';
import pg from 'pg';
import { randomString, LOWER_ALPHANUMERIC } from '../../src/lib/security/random.js';

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

async function withPostgresAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
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

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates an empty database for one test app (nothing to do on SQLite). */
export async function createEngineDatabase(): Promise<EngineDatabase> {
  const engine = testEngine();
  if (engine === 'sqlite') return { url: undefined, drop: async () => undefined };
  // The name is generated from [a-z0-9]: safe to quote as an identifier.
  const name = `basalt_t_${randomString(12, LOWER_ALPHANUMERIC)}`;
  if (engine === 'mysql') {
    await withMysql((c) => c.query(`create database \`${name}\` character set utf8mb4`));
    return {
      url: databaseUrl(mysqlAdminUrl(), name),
      drop: () =>
        withMysql(async (c) => {
          await c.query(`drop database if exists \`${name}\``);
        }),
    };
  }
  await withPostgresAdmin((c) => c.query(`create database "${name}"`));
  return {
    url: databaseUrl(postgresAdminUrl(), name),
    drop: () =>
      withPostgresAdmin(async (c) => {
        await c.query(`drop database if exists "${name}" with (force)`);
      }),
  };
}
