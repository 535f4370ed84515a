import pg from 'pg';
import { defineConfig } from 'vitest/config';

/** The suites that run on every engine: everything that goes through an App. */
const ENGINE_SUITES = [
  'test/api/**/*.test.ts',
  'test/records/**/*.test.ts',
  'test/rules/**/*.test.ts',
  'test/sdk/**/*.test.ts',
];
/** Suites that need a PostgreSQL server whatever the engine (the CLI's --db). */
const POSTGRES_ONLY = ['test/postgres/**/*.test.ts'];
/** The SQLite compiler's exact-SQL unit test. */
const SQLITE_ONLY = ['test/rules/rule-sql.test.ts'];

const POSTGRES_URL =
  process.env.BASALT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
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
  const problem = await postgresProblem();
  if (problem === undefined || process.env.BASALT_REQUIRE_ENGINES === '1') engines.push('postgres');
  else {
    console.warn(
      `\n[basalt] PostgreSQL suites SKIPPED: cannot reach ${POSTGRES_URL} (${problem}).\n` +
        '[basalt] Start PostgreSQL or set BASALT_TEST_POSTGRES_URL to run them; CI requires them.\n',
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
                exclude: POSTGRES_ONLY,
                globalSetup: ['test/global-setup.ts'],
                env: { BASALT_TEST_ENGINE: 'sqlite' },
              },
            },
          ]
        : []),
      ...(engines.includes('postgres')
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                include: [...ENGINE_SUITES, ...POSTGRES_ONLY],
                exclude: SQLITE_ONLY,
                globalSetup: ['test/global-setup.ts', 'test/postgres-setup.ts'],
                env: { BASALT_TEST_ENGINE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
