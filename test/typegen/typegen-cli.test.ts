import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliSandbox } from '../helpers/cli-sandbox.js';
import { TYPECHECK_TIMEOUT } from '../helpers/typecheck.js';
import { expectTypesWork } from '../helpers/typegen-checks.js';
import { seedSchema } from '../helpers/typegen-schema.js';

describe('basalt typegen', () => {
  const sandbox = useCliSandbox('basalt-typegen-');

  it(
    'writes types that type a pocketbase SDK client and hooks, and refuse mistakes',
    { timeout: TYPECHECK_TIMEOUT },
    async () => {
      await seedSchema(sandbox());
      const out = join(sandbox().dir, 'gen', 'basalt-types.ts');
      const res = sandbox().run(['typegen', `--out=${out}`]);
      expect(res.err).toBe('');
      expect(res).toMatchObject({ code: 0 });
      expect(res.out).toContain('Wrote');
      const types = readFileSync(out, 'utf8');
      expect(types).toContain('export type OrderItemsRecord');
      expect(types).toContain('export type OrderItems2Record');
      expectTypesWork(types, 'types.ts');

      // The same schema again: the file is left as it is.
      const before = statSync(out).mtimeMs;
      const again = sandbox().run(['typegen', `--out=${out}`]);
      expect(again).toMatchObject({ code: 0 });
      expect(again.out).toContain('Unchanged');
      expect(statSync(out).mtimeMs).toBe(before);
    },
  );

  it('prints to stdout with --out=-, without the SDK or the hooks part when asked', async () => {
    await seedSchema(sandbox());
    const all = sandbox().run(['typegen', '--out=-']);
    expect(all.code).toBe(0);
    expect(all.out).toContain("import type PocketBase from 'pocketbase';");
    expect(all.out).toContain("declare module 'basalt'");
    const bare = sandbox().run(['typegen', '--out=-', '--no-sdk', '--no-hooks']);
    expect(bare.code).toBe(0);
    expect(bare.out).toContain('export type EverythingRecord');
    expect(bare.out).not.toContain('pocketbase');
    expect(bare.out).not.toContain("declare module 'basalt'");
  });

  it('refuses a data directory without a database, and creates none', () => {
    const res = sandbox().run(['typegen', '--out=-']);
    expect(res.code).toBe(1);
    expect(res.err).toContain('No Basalt database in');
    expect(existsSync(join(sandbox().dir, 'data.db'))).toBe(false);
  });
});
