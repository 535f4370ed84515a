import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  BASALT_TABLES,
  expectDbUrlAndEnvWork,
  expectRefusedConnections,
  useCliSandbox,
} from '../helpers/cli-sandbox.js';

const cli = useCliSandbox('basalt-pg-cli-');

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
    );
    return res.rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('basalt on PostgreSQL from the CLI', () => {
  it('creates its tables through --db and through BASALT_DATABASE_URL', async () => {
    const url = cli().url;
    await expectDbUrlAndEnvWork(cli(), url, async () => {
      expect(await tables(url)).toEqual(BASALT_TABLES);
    });
  });

  it('refuses an unreachable server, a wrong login and a foreign database, writing nothing', async () => {
    const url = new URL(cli().url);
    expectRefusedConnections(cli(), 'no_such_role');

    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query('create table someone_elses (x int)');
    await client.end();
    const foreign = cli().run(['serve', `--db=${url.toString()}`]);
    expect(foreign.code).not.toBe(0);
    expect(foreign.err).toContain('tables that Basalt does not own (someone_elses)');
    expect(await tables(url.toString())).toEqual(['someone_elses']);
  });
});
