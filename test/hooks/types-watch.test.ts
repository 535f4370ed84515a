import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createCollection,
  deleteCollection,
  updateCollection,
} from '../../src/core/collection/collection-service.js';
import { createBasalt, type Basalt } from '../../src/http/basalt.js';
import { typesOf } from '../../src/cli/serve.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// `--dev` keeps the types current: `createBasalt({ types })` writes them at the start and
// after every collection change, whoever makes it.
let basalt: Basalt | undefined;
let database: EngineDatabase | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await basalt?.close({ graceMs: 100 });
  await database?.drop();
  basalt = undefined;
  database = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'basalt-types-'));
  dirs.push(dir);
  return dir;
}

describe('the types file of --dev', () => {
  it('is written at the start and rewritten after each collection change', async () => {
    const dir = tempDir();
    const file = join(dir, 'hooks', 'basalt-types.d.ts');
    database = await createEngineDatabase();
    basalt = await createBasalt({
      dataDir: join(dir, 'data'),
      db: database.url,
      types: { file, options: { sdk: false } },
      jobs: { disabled: true },
      cron: { disabled: true },
    });
    const first = readFileSync(file, 'utf8');
    expect(first).toContain('UsersRecord');
    expect(first).not.toContain('PostsRecord');
    // No SDK part: a hooks folder needs no `pocketbase` package.
    expect(first).not.toContain("from 'pocketbase'");

    await createCollection(basalt.app, {
      name: 'posts',
      fields: [{ name: 'title', type: 'text' }],
    });
    expect(readFileSync(file, 'utf8')).toMatch(/PostsRecord[\s\S]*title\??: string/);

    await updateCollection(basalt.app, 'posts', {
      fields: [
        ...(basalt.app.collections.find('posts')?.fields ?? []),
        { name: 'views', type: 'number' },
      ],
    });
    expect(readFileSync(file, 'utf8')).toMatch(/views\??: number/);

    await deleteCollection(basalt.app, 'posts');
    expect(readFileSync(file, 'utf8')).not.toContain('PostsRecord');
  });

  it('serve keeps basalt_hooks/basalt-types.d.ts with --dev when the folder exists, or --types', () => {
    const dir = tempDir();
    const hooksDir = join(dir, 'basalt_hooks');
    const base = { dir: join(dir, 'data'), http: '', shutdownGrace: '1' };
    // No hooks folder: --dev creates none.
    expect(typesOf({ ...base, dev: true }, hooksDir)).toBeUndefined();
    mkdirSync(hooksDir);
    expect(typesOf({ ...base, dev: true }, hooksDir)).toEqual({
      file: join(hooksDir, 'basalt-types.d.ts'),
      options: { sdk: false },
    });
    // Without --dev nothing, unless --types names a file (then with the SDK part).
    expect(typesOf({ ...base }, hooksDir)).toBeUndefined();
    expect(typesOf({ ...base, types: join(dir, 't.ts') }, hooksDir)).toEqual({
      file: join(dir, 't.ts'),
    });
  });
});
