import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appliedAppMigrations } from '../../src/core/migrations/app-migrations.js';
import { createBasalt, type Basalt } from '../../src/index.js';
import type { ApiClient } from '../helpers/api-client.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';
import { MigrationsDir, schemaOf, superuserClient } from './migrations-dir.js';

// `--dev` automigrate: collection changes made through the API write migration files; the
// folder replayed on an empty database gives the same schema (issue 17 part 5), every engine.

let folder: MigrationsDir;
const databases: EngineDatabase[] = [];
const apps: Basalt[] = [];

beforeEach(() => {
  folder = new MigrationsDir();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close({ graceMs: 500 });
  for (const db of databases.splice(0)) await db.drop();
  folder.remove();
});

async function start(name: string, dev: boolean): Promise<Basalt> {
  const database = await createEngineDatabase();
  databases.push(database);
  const basalt = await createBasalt({
    dataDir: folder.dataDir(name),
    db: database.url,
    migrationsDir: folder.dir,
    dev,
  });
  apps.push(basalt);
  return basalt;
}

async function ok(
  res: Promise<{ status: number; body: Record<string, unknown>; text: string }>,
): Promise<Record<string, unknown>> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${String(r.status)} ${r.text}`);
  return r.body;
}

/** A field's id by name in a collection's JSON. */
function fieldId(collection: Record<string, unknown>, name: string): string {
  const fields = collection.fields as { id: string; name: string }[];
  const found = fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found.id;
}

/** The collection changes of the scenario, through the API. */
async function makeChanges(api: ApiClient): Promise<void> {
  const posts = await ok(
    api.post('/api/collections', {
      name: 'posts',
      type: 'base',
      fields: [
        { name: 'title', type: 'text', required: true, max: 200 },
        { name: 'slug', type: 'text', pattern: '^[a-z0-9-]+$' },
        { name: 'views', type: 'number', min: 0, onlyInt: true },
        { name: 'published', type: 'bool' },
        { name: 'flag', type: 'bool' },
        { name: 'contact', type: 'email', onlyDomains: ['example.com'] },
        { name: 'site', type: 'url' },
        { name: 'publishedAt', type: 'date' },
        { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 2 },
        { name: 'meta', type: 'json' },
        { name: 'cover', type: 'file', maxSelect: 1, mimeTypes: ['image/png'] },
        { name: 'author', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
        { name: 'body', type: 'editor' },
        { name: 'place', type: 'geoPoint' },
        { name: 'created', type: 'autodate', onCreate: true },
      ],
      indexes: [
        'CREATE UNIQUE INDEX `idx_posts_slug` ON `posts` (`slug`)',
        'CREATE INDEX `idx_posts_views` ON `posts` (`views`)',
      ],
      listRule: 'published = true || @request.auth.id != ""',
      viewRule: '',
      createRule: '@request.auth.id != ""',
      updateRule: "author = @request.auth.id && title != 'locked'",
      deleteRule: null,
    }),
  );
  await ok(
    api.post('/api/collections', {
      name: 'members',
      type: 'auth',
      fields: [
        { name: 'nickname', type: 'text', max: 50 },
        { name: 'level', type: 'number' },
      ],
      indexes: ['CREATE INDEX `idx_members_level` ON `members` (`level`)'],
      listRule: 'id = @request.auth.id',
      viewRule: 'id = @request.auth.id',
      authRule: 'verified = true',
      manageRule: null,
      passwordAuth: { enabled: true, identityFields: ['email'] },
    }),
  );
  await ok(
    api.post('/api/collections', {
      name: 'post_stats',
      type: 'view',
      viewQuery: 'SELECT id, slug, views FROM posts',
      listRule: '',
    }),
  );
  // Rename a field (same id), then delete one.
  const renamed = (posts.fields as Record<string, unknown>[]).map((f) =>
    f.id === fieldId(posts, 'title') ? { ...f, name: 'headline' } : f,
  );
  const afterRename = await ok(
    api.patch('/api/collections/posts', {
      fields: renamed,
      updateRule: "author = @request.auth.id && headline != 'locked'",
    }),
  );
  const flagId = fieldId(afterRename, 'flag');
  await ok(
    api.patch('/api/collections/posts', {
      fields: (afterRename.fields as { id: string }[]).filter((f) => f.id !== flagId),
    }),
  );
  // A collection created, then deleted.
  await ok(api.post('/api/collections', { name: 'scratch', type: 'base', fields: [] }));
  await ok(api.delete('/api/collections/scratch'));
  // An import: a new collection with a relation to an existing one.
  await ok(
    api.send('PUT', '/api/collections/import', {
      collections: [
        {
          name: 'comments',
          type: 'base',
          fields: [
            { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 },
            { name: 'text', type: 'text' },
          ],
          listRule: '',
        },
      ],
      deleteMissing: false,
    }),
  );
}

// MariaDB's schema changes are slow on a busy machine: generous limits (never asserted).
describe('--dev automigrate', { timeout: 240_000 }, () => {
  it('writes a migration per API change; the folder replayed on an empty database gives the same schema', async () => {
    const dev = await start('dev', true);
    const devApi = await superuserClient(dev);
    await makeChanges(devApi);

    const files = readdirSync(folder.dir).sort();
    expect(files.map((f) => f.replace(/^\d+_/, ''))).toEqual([
      'created_posts.ts',
      'created_members.ts',
      'created_post_stats.ts',
      'updated_posts.ts',
      'updated_posts.ts',
      'created_scratch.ts',
      'deleted_scratch.ts',
      'created_comments.ts',
      'updated_comments.ts',
    ]);
    // Recorded as applied: they already happened here.
    expect([...(await appliedAppMigrations(dev.app))].sort()).toEqual(files);
    const text = readFileSync(join(folder.dir, files[0] ?? ''), 'utf8');
    expect(text).toContain("import { defineMigration } from 'basalt';");
    expect(text).toContain('await app.createCollection({');
    expect(text).not.toContain('"created"');
    // The files are formatted as Prettier would (the project's settings).
    const options = {
      ...(await resolveConfig(join(import.meta.dirname, 'x.ts'))),
      parser: 'typescript',
    };
    for (const file of files) {
      const source = readFileSync(join(folder.dir, file), 'utf8');
      expect(await format(source, options), file).toBe(source);
    }
    const devSchema = await schemaOf(devApi);

    const replay = await start('replay', false);
    expect([...(await appliedAppMigrations(replay.app))].sort()).toEqual(files);
    const replaySchema = await schemaOf(await superuserClient(replay));
    expect(replaySchema).toEqual(devSchema);
    expect(replaySchema.map((c) => c.name)).toContain('post_stats');
    expect(replaySchema.map((c) => c.name)).not.toContain('scratch');
  });

  it('writes nothing for changes that do not come from the API, nor without --dev', async () => {
    const plain = await start('plain', false);
    const api = await superuserClient(plain);
    await ok(api.post('/api/collections', { name: 'posts', type: 'base', fields: [] }));
    expect(readdirSync(folder.dir)).toEqual([]);
    await plain.close({ graceMs: 500 });
    apps.splice(apps.indexOf(plain), 1);

    const dev = await start('dev', true);
    const { createCollection } = await import('../../src/index.js');
    await createCollection(dev.app, { name: 'fromCode', type: 'base', fields: [] });
    expect(readdirSync(folder.dir)).toEqual([]);
    // An update that changes nothing writes nothing either.
    const devApi = await superuserClient(dev);
    await ok(devApi.post('/api/collections', { name: 'posts', type: 'base', fields: [] }));
    await ok(devApi.patch('/api/collections/posts', {}));
    expect(readdirSync(folder.dir).map((f) => f.replace(/^\d+_/, ''))).toEqual([
      'created_posts.ts',
    ]);
  });
});
