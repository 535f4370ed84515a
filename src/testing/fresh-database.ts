import { LOWER_ALPHANUMERIC, randomString } from '../lib/security/random.js';

/** The engines a test server runs on. */
export type TestEngineName = 'sqlite' | 'postgres' | 'mysql';

/** A database created for one test server, dropped by `drop()`. */
export interface FreshDatabase {
  /** Its URL; undefined on SQLite (the server uses its data directory). */
  readonly url: string | undefined;
  drop(): Promise<void>;
}

/** The server URLs used when none is given: the local servers of Basalt's own suites. */
export const DEFAULT_ADMIN_URLS: Readonly<Record<'postgres' | 'mysql', string>> = {
  postgres: 'postgres://postgres@127.0.0.1:5432/postgres',
  mysql: 'mysql://root@127.0.0.1:3306/mysql',
};

function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onPostgres(adminUrl: string, statement: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function onMysql(adminUrl: string, statement: string): Promise<void> {
  const { default: mysql } = await import('mysql2/promise');
  const conn = await mysql.createConnection({ uri: adminUrl, connectTimeout: 5000 });
  try {
    await conn.query(statement);
  } finally {
    await conn.end();
  }
}

/**
 * Creates an empty database named `basalt_t_<random>` on the server of `adminUrl` (as a user
 * that may create databases), or nothing on SQLite. The name is generated from [a-z0-9] only,
 * so it is safe to quote as an identifier in the CREATE and DROP statements.
 */
export async function createFreshDatabase(
  engine: TestEngineName,
  adminUrl?: string,
): Promise<FreshDatabase> {
  if (engine === 'sqlite') return { url: undefined, drop: async () => undefined };
  const admin = adminUrl ?? DEFAULT_ADMIN_URLS[engine];
  const name = `basalt_t_${randomString(12, LOWER_ALPHANUMERIC)}`;
  if (engine === 'mysql') {
    await onMysql(admin, `create database \`${name}\` character set utf8mb4`);
    return {
      url: withDatabase(admin, name),
      drop: () => onMysql(admin, `drop database if exists \`${name}\``),
    };
  }
  await onPostgres(admin, `create database "${name}"`);
  return {
    url: withDatabase(admin, name),
    drop: () => onPostgres(admin, `drop database if exists "${name}" with (force)`),
  };
}
