import mysql from 'mysql2/promise';
import pg from 'pg';
import { defineConfig } from 'vitest/config';

/** The suites that run on every engine: everything that goes through an App. */
const ENGINE_SUITES = [
  'test/api/**/*.test.ts',
  'test/records/**/*.test.ts',
  'test/hooks/**/*.test.ts',
  'test/rules/**/*.test.ts',
  'test/sdk/**/*.test.ts',
  'test/realtime/**/*.test.ts',
  // basalt/testing, as an app's own tests use it.
  'test/testing/**/*.test.ts',
  // Durable jobs: the outbox, claims, workers in several processes, kill -9.
  'test/jobs/**/*.test.ts',
  'test/migrations/**/*.test.ts',
  // The adapters' methods, on each engine.
  'test/db/**/*.test.ts',
  // kill -9 of the built CLI during collection changes (about a minute an engine).
  'test/crash/**/*.test.ts',
];
/** Suites that need a PostgreSQL server whatever the engine (the CLI's --db). */
const POSTGRES_ONLY = ['test/postgres/**/*.test.ts'];
/** Suites that need a MySQL/MariaDB server whatever the engine (the CLI's --db). */
const MYSQL_ONLY = ['test/mysql/**/*.test.ts'];
/** The SQLite compiler's exact-SQL unit test. */
const SQLITE_ONLY = ['test/rules/rule-sql.test.ts'];

const POSTGRES_URL =
  process.env.BASALT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const MYSQL_URL = process.env.BASALT_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Why an engine's server cannot be reached, or undefined when it answers. */
async function problemOf(connect: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await connect();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function mysqlProblem(): Promise<string | undefined> {
  return problemOf(async () => {
    const conn = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await conn.end();
  });
}

async function postgresProblem(): Promise<string | undefined> {
  return problemOf(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}

/** A server URL for a message, without its password. */
function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * The engines to run: `BASALT_TEST_ENGINES` (comma-separated) when set; otherwise SQLite and
 * every engine whose server answers. With BASALT_REQUIRE_ENGINES=1 (CI) an unreachable engine
 * is run anyway, so its setup fails the run instead of skipping it.
 */
async function selectEngines(): Promise<string[]> {
  const listed = process.env.BASALT_TEST_ENGINES;
  if (listed)
    return listed
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
  const engines = ['sqlite'];
  const servers = [
    { engine: 'postgres', name: 'PostgreSQL', url: POSTGRES_URL, problem: postgresProblem },
    { engine: 'mysql', name: 'MySQL/MariaDB', url: MYSQL_URL, problem: mysqlProblem },
  ];
  const problems = await Promise.all(servers.map((s) => s.problem()));
  for (const [i, server] of servers.entries()) {
    const problem = problems[i];
    if (problem === undefined || process.env.BASALT_REQUIRE_ENGINES === '1') {
      engines.push(server.engine);
      continue;
    }
    const variable = `BASALT_TEST_${server.engine.toUpperCase()}_URL`;
    console.warn(
      `\n[basalt] ${server.name} suites SKIPPED: cannot reach ${redacted(server.url)} (${problem}).\n` +
        `[basalt] Start ${server.name} or set ${variable} to run them; CI requires them.\n`,
    );
  }
  return engines;
}

const engines = await selectEngines();

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

/** The project of an engine with a server: the shared suites plus its own, after its setup. */
function serverProject(engine: 'postgres' | 'mysql', only: string[]) {
  return {
    test: {
      ...shared,
      name: engine,
      include: [...ENGINE_SUITES, ...only],
      exclude: SQLITE_ONLY,
      globalSetup: ['test/global-setup.ts', `test/${engine}-setup.ts`],
      env: { BASALT_TEST_ENGINE: engine },
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      ...(engines.includes('sqlite')
        ? [
            {
              test: {
                ...shared,
                name: 'sqlite',
                include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
                exclude: [...POSTGRES_ONLY, ...MYSQL_ONLY],
                globalSetup: ['test/global-setup.ts'],
                env: { BASALT_TEST_ENGINE: 'sqlite' },
              },
            },
          ]
        : []),
      ...(engines.includes('postgres') ? [serverProject('postgres', POSTGRES_ONLY)] : []),
      ...(engines.includes('mysql') ? [serverProject('mysql', MYSQL_ONLY)] : []),
    ],
  },
});
