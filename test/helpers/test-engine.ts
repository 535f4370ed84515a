import pg from 'pg';
import { randomString, LOWER_ALPHANUMERIC } from '../../src/lib/security/random.js';

/** The engines the suites run on. */
export type TestEngine = 'sqlite' | 'postgres';

/** The engine of this test run (`BASALT_TEST_ENGINE`, set per vitest project). */
export function testEngine(): TestEngine {
  const value = process.env.BASALT_TEST_ENGINE ?? 'sqlite';
  if (value === 'sqlite' || value === 'postgres') return value;
  throw new Error(`Unknown BASALT_TEST_ENGINE "${value}" (sqlite or postgres).`);
}

/** The PostgreSQL server the postgres suites use (a database there they may create databases from). */
export function postgresAdminUrl(): string {
  return process.env.BASALT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** A database created for one test app on the engine's server, dropped by `drop()`. */
export interface EngineDatabase {
  /** The database URL; undefined on SQLite (the app uses its data directory). */
  readonly url: string | undefined;
  drop(): Promise<void>;
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database for one test app (nothing to do on SQLite). */
export async function createEngineDatabase(): Promise<EngineDatabase> {
  if (testEngine() === 'sqlite') return { url: undefined, drop: async () => undefined };
  const name = `basalt_t_${randomString(12, LOWER_ALPHANUMERIC)}`;
  // The name is generated from [a-z0-9]: safe to quote as an identifier.
  await withAdmin((c) => c.query(`create database "${name}"`));
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(async (c) => {
        await c.query(`drop database if exists "${name}" with (force)`);
      }),
  };
}
