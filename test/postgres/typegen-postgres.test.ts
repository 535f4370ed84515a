import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliSandbox } from '../helpers/cli-sandbox.js';
import { TYPECHECK_TIMEOUT } from '../helpers/typecheck.js';
import { expectTypesWork } from '../helpers/typegen-checks.js';
import { seedSchema } from '../helpers/typegen-schema.js';

const cli = useCliSandbox('basalt-pg-typegen-');

describe('basalt typegen --db on PostgreSQL', () => {
  it('writes the types of the schema on the server', { timeout: TYPECHECK_TIMEOUT }, async () => {
    expect(cli().url).toMatch(/^postgres/);
    await seedSchema(cli());
    const out = join(cli().dir, 'basalt-types.d.ts');
    const res = cli().run(['typegen', `--out=${out}`, `--db=${cli().url}`]);
    expect(res.err).toBe('');
    expect(res).toMatchObject({ code: 0 });
    expect(res.out).toContain('(10 collections)');
    expectTypesWork(readFileSync(out, 'utf8'), 'types.d.ts');
  });
});
