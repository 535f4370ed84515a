import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// Lints text as if it were a file in a given layer, with the project's config (type-aware
// rules off, since the virtual files are not part of the TypeScript project).
async function lintAs(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: process.cwd(),
    overrideConfig: [tseslint.configs.disableTypeChecked],
  });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? ''}: ${m.message}`);
}

describe('the import-direction rule (lib -> db -> core -> http | cli)', () => {
  it.each([
    ['src/lib/x.ts', "import { App } from '../core/app.js';\nexport const x = App;\n"],
    ['src/lib/filter/x.ts', "import { sql } from '../../db/adapter.js';\nexport const x = sql;\n"],
    ['src/db/x.ts', "import { App } from '../core/app.js';\nexport const x = App;\n"],
    [
      'src/core/x.ts',
      "import { buildServer } from '../http/server.js';\nexport const x = buildServer;\n",
    ],
    ['src/core/record/x.ts', "import Fastify from 'fastify';\nexport const x = Fastify;\n"],
    ['src/http/x.ts', "import { x as y } from '../cli/main.js';\nexport const x = y;\n"],
  ])('fails %s on a wrong arrow', async (file, code) => {
    const messages = await lintAs(file, code);
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });

  it.each([
    [
      'src/core/x.ts',
      "import { sql } from 'kysely';\nimport { isEmail } from '../lib/text/email.js';\nexport const x = [sql, isEmail];\n",
    ],
    [
      'src/http/x.ts',
      "import Fastify from 'fastify';\nimport { App } from '../core/app.js';\nexport const x = [Fastify, App];\n",
    ],
    [
      'src/cli/x.ts',
      "import { buildServer } from '../http/server.js';\nexport const x = buildServer;\n",
    ],
  ])('allows %s to import downwards', async (file, code) => {
    const messages = await lintAs(file, code);
    expect(messages.filter((m) => m.startsWith('no-restricted-imports'))).toEqual([]);
  });
});
