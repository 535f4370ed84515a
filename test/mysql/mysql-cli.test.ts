import type { RowDataPacket } from 'mysql2';
import { describe, expect, it } from 'vitest';
import {
  BASALT_TABLES,
  expectDbUrlAndEnvWork,
  expectRefusedConnections,
  useCliSandbox,
} from '../helpers/cli-sandbox.js';
import { withMysql } from '../helpers/test-engine.js';

// This project runs with BASALT_TEST_ENGINE=mysql: each sandbox holds a MariaDB database.
const cli = useCliSandbox('basalt-mysql-cli-');

/** The tables of the database at `url`, and its default collation. */
async function state(url: string): Promise<{ tables: string[]; collation: string }> {
  return withMysql(async (conn) => {
    const [tables] = await conn.query<({ name: string } & RowDataPacket)[]>(
      'select table_name as name from information_schema.tables where table_schema = database()',
    );
    const [schema] = await conn.query<({ collation: string } & RowDataPacket)[]>(
      'select default_collation_name as collation from information_schema.schemata where schema_name = database()',
    );
    const names = tables.map((r) => r.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { tables: names, collation: schema[0]?.collation ?? '' };
  }, url);
}

describe('basalt on MariaDB from the CLI', () => {
  it('creates its tables through --db (mysql://) and BASALT_DATABASE_URL (mariadb://)', async () => {
    const url = cli().url;
    await expectDbUrlAndEnvWork(cli(), url.replace(/^mysql:/, 'mariadb:'), async () => {
      expect(await state(url)).toEqual({
        // Plus the journal of schema changes that MariaDB's start-up recovery reads.
        tables: [...BASALT_TABLES, '_basalt_ddl_journal'].sort(),
        collation: 'utf8mb4_nopad_bin',
      });
    });
  });

  it('refuses an unreachable server, a wrong login and a foreign database, writing nothing', async () => {
    const url = new URL(cli().url);
    expectRefusedConnections(cli(), 'no_such_user');

    const missing = new URL(url);
    missing.pathname = '/basalt_t_no_such_database';
    const unknown = cli().run(['serve', `--db=${missing.toString()}`]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('basalt_t_no_such_database');

    const before = await state(url.toString());
    await withMysql((conn) => conn.query('create table someone_elses (x int)'), url.toString());
    const foreign = cli().run(['serve', `--db=${url.toString()}`]);
    expect(foreign.code).not.toBe(0);
    expect(foreign.err).toContain('tables that Basalt does not own (someone_elses)');
    expect(await state(url.toString())).toEqual({ ...before, tables: ['someone_elses'] });
  });
});
