import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import {
  appliedAppMigrations,
  migrateDown,
  migrateUp,
  syncMigrationHistory,
} from '../../src/core/migrations/app-migrations.js';
import {
  createBasalt,
  MigrationError,
  MigrationLoadError,
  migrationsFolder,
  type Basalt,
} from '../../src/index.js';
import { createEngineDatabase, testEngine, type EngineDatabase } from '../helpers/test-engine.js';
import { MigrationsDir, migrationSource } from './migrations-dir.js';

// App migrations (basalt_migrations/) applied by createBasalt and the runner, every engine.

let folder: MigrationsDir;
let database: EngineDatabase;
const apps: Basalt[] = [];

beforeEach(async () => {
  folder = new MigrationsDir();
  database = await createEngineDatabase();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close({ graceMs: 500 });
  await database.drop();
  folder.remove();
});

async function start(): Promise<Basalt> {
  const basalt = await createBasalt({
    dataDir: folder.dataDir('data'),
    db: database.url,
    migrationsDir: folder.dir,
  });
  apps.push(basalt);
  return basalt;
}

async function stop(basalt: Basalt): Promise<void> {
  apps.splice(apps.indexOf(basalt), 1);
  await basalt.close({ graceMs: 500 });
}

/** An App on the test database, to look at it after a start failed. */
async function inspect<T>(fn: (app: App) => Promise<T>): Promise<T> {
  const app = await App.open({ dataDir: folder.dataDir('data'), databaseUrl: database.url });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** Tables and each collection's columns: what a failed migration must leave as it was. */
async function schemaState(app: App): Promise<unknown> {
  const tables = (await app.db.listTables(app.db.db)).filter((t) => !t.startsWith('_migrations'));
  const columns: Record<string, string[]> = {};
  for (const t of tables) columns[t] = (await app.db.listColumns(app.db.db, t)).map((c) => c.name);
  const collections = app.collections.all().map((c) => ({
    name: c.name,
    fields: c.fields.map((f) => f.name),
    indexes: c.indexes,
  }));
  return { tables: tables.sort(), columns, collections };
}

const CREATE_NOTES = migrationSource(
  [
    "    await app.createCollection({ name: 'notes', type: 'base', fields: [{ name: 'text', type: 'text' }] });",
    "    await app.records('notes').create({ text: 'first' });",
  ].join('\n'),
  "    await app.deleteCollection('notes');",
);

const ADD_PRIORITY = migrationSource(
  [
    "    const notes = app.findCollection('notes');",
    "    if (!notes) throw new Error('notes missing');",
    "    await app.updateCollection('notes', { fields: [...notes.fields, { name: 'priority', type: 'number' }] });",
    "    await app.records('notes').create({ text: 'second', priority: 2 });",
  ].join('\n'),
  [
    "    const notes = app.findCollection('notes');",
    "    await app.updateCollection('notes', { fields: notes?.fields.filter((f) => f.name !== 'priority') });",
  ].join('\n'),
);

describe('app migrations', { timeout: 240_000 }, () => {
  it('are applied at start in file name order, each once', async () => {
    folder.write('1700000002_add_priority.ts', ADD_PRIORITY);
    folder.write('1700000001_create_notes.ts', CREATE_NOTES);
    folder.write('.hidden.ts', 'throw new Error("not an entry");');
    folder.write('types.d.ts', 'export type X = 1;');
    let basalt = await start();
    expect(await appliedAppMigrations(basalt.app)).toEqual([
      '1700000002_add_priority.ts',
      '1700000001_create_notes.ts',
    ]);
    const notes = await basalt.app.records('notes').list({ sort: 'text' });
    expect(notes.items.map((r) => [r.text, r.priority])).toEqual([
      ['first', 0],
      ['second', 2],
    ]);
    // The bundles are removed once imported.
    await stop(basalt);

    // A new start applies nothing again (a second create of `notes` would fail).
    folder.write(
      '1700000003_seed.js',
      migrationSource("    await app.records('notes').create({ text: 'third' });"),
    );
    basalt = await start();
    expect((await basalt.app.records('notes').list({})).totalItems).toBe(3);
    expect(await appliedAppMigrations(basalt.app)).toHaveLength(3);
  });

  // Two SQLite apps in one process cannot wait for each other (the driver's busy wait blocks
  // the event loop the other needs): migrate-cli.test.ts runs two processes on every engine.
  it.skipIf(testEngine() === 'sqlite')(
    'two apps starting at once on one database apply each migration once',
    async () => {
      folder.write('1700000001_create_notes.ts', CREATE_NOTES);
      folder.write('1700000002_add_priority.ts', ADD_PRIORITY);
      // Both start at once (the first start also runs the system migrations under the lock).
      const [a, b] = await Promise.all([start(), start()]);
      expect(await appliedAppMigrations(a.app)).toHaveLength(2);
      expect((await b.app.records('notes').list({})).totalItems).toBe(2);
    },
  );

  it('a failing migration rolls back, is not recorded and stops the start naming the file', async () => {
    folder.write('1700000001_create_notes.ts', CREATE_NOTES);
    await stop(await start());
    const before = await inspect(schemaState);
    folder.write(
      '1700000002_broken.ts',
      migrationSource(
        [
          "    await app.createCollection({ name: 'tags', type: 'base', fields: [{ name: 'label', type: 'text' }] });",
          "    await app.records('tags').create({ label: 'x' });",
          "    const users = app.findCollection('users');",
          "    await app.updateCollection('users', { fields: [...(users?.fields ?? []), { name: 'bio', type: 'text' }] });",
          "    await app.updateCollection('notes', { indexes: ['CREATE INDEX `idx_notes_text` ON `notes` (`text`)'] });",
          "    await app.deleteCollection('notes');",
          "    throw new Error('boom');",
        ].join('\n'),
      ),
    );
    const failure: unknown = await start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toMatch(
      /^basalt_migrations\/1700000002_broken\.ts:11:\d+: failed to apply the migration: boom$/,
    );
    await inspect(async (app) => {
      expect(await schemaState(app)).toEqual(before);
      expect(await appliedAppMigrations(app)).toEqual(['1700000001_create_notes.ts']);
      expect((await app.records('notes').list({})).totalItems).toBe(1);
    });
  });

  it('a migration refused by validation names the file and the field error', async () => {
    folder.write(
      '1700000001_bad.ts',
      migrationSource(
        "    await app.createCollection({ name: 'users', type: 'base', fields: [] });",
      ),
    );
    const failure: unknown = await start().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toContain('basalt_migrations/1700000001_bad.ts:');
    expect((failure as Error).message).toContain('name:');
  });

  it('a file that does not build or has no migration export stops the start', async () => {
    folder.write('1700000001_syntax.ts', 'export default defineMigration({ up( });\n');
    const built: unknown = await start().catch((error: unknown) => error);
    expect(built).toBeInstanceOf(MigrationLoadError);
    expect((built as Error).message).toMatch(/^basalt_migrations\/1700000001_syntax\.ts:1:\d+: /);
    rmSync(join(folder.dir, '1700000001_syntax.ts'));
    folder.write('1700000001_shape.ts', 'export default { down() {} };\n');
    const shape: unknown = await start().catch((error: unknown) => error);
    expect(shape).toBeInstanceOf(MigrationLoadError);
    expect((shape as Error).message).toContain('defineMigration');
  });

  it('down reverts the last applied ones, last first; history-sync forgets missing files', async () => {
    folder.write('1700000001_create_notes.ts', CREATE_NOTES);
    folder.write('1700000002_add_priority.ts', ADD_PRIORITY);
    const basalt = await start();
    const { app } = basalt;
    const source = () => migrationsFolder(app, folder.dir);
    expect(await migrateDown(app, source(), 1)).toEqual(['1700000002_add_priority.ts']);
    expect(app.collections.find('notes')?.fields.map((f) => f.name)).toEqual(['id', 'text']);
    expect(await appliedAppMigrations(app)).toEqual(['1700000001_create_notes.ts']);
    // up applies it again; down 5 reverts both.
    expect(await migrateUp(app, source())).toEqual(['1700000002_add_priority.ts']);
    expect(await migrateDown(app, source(), 5)).toEqual([
      '1700000002_add_priority.ts',
      '1700000001_create_notes.ts',
    ]);
    expect(app.collections.find('notes')).toBeUndefined();
    expect(await migrateDown(app, source(), 1)).toEqual([]);

    expect(await migrateUp(app, source())).toHaveLength(2);
    rmSync(join(folder.dir, '1700000002_add_priority.ts'));
    expect(await syncMigrationHistory(app, source())).toEqual(['1700000002_add_priority.ts']);
    expect(await appliedAppMigrations(app)).toEqual(['1700000001_create_notes.ts']);
    // The system migrations stay recorded.
    const rows = await app.db.db.selectFrom('_migrations').select('file').execute();
    expect(rows.map((r) => r.file)).toContain('0001_system_tables');
    expect(await syncMigrationHistory(app, source())).toEqual([]);
  });
});
