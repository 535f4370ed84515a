import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import {
  createCollection,
  deleteCollection,
  updateCollection,
} from '../../src/core/collection/collection-service.js';
import { sql } from 'kysely';
import { SimulatedCrash, type DdlCrashPoint } from '../../src/db/mysql/ddl-journal.js';
import { createMysqlAdapter } from '../../src/db/mysql/adapter.js';
import { snapshotRows } from '../helpers/db-rows.js';
import { snapshotDb } from '../helpers/db-snapshot.js';
import { EngineDatabases } from '../helpers/engine-databases.js';
import { schemaMismatches } from '../helpers/schema-match.js';

// MariaDB commits before every DDL statement, so a collection change runs its DDL outside the
// metadata's transaction, journaled. Here a test hook stops a change at each point as a kill
// would (the transaction rolls back, nothing is undone or finished), then a new start must
// bring the tables back to exactly what the committed metadata says.

const dbs = new EngineDatabases();
const dir = mkdtempSync(join(tmpdir(), 'basalt-ddl-recovery-'));
afterAll(async () => {
  await dbs.dropAll();
  rmSync(dir, { recursive: true, force: true });
});

const field = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  type: 'text',
  ...extra,
});

const ITEMS = {
  id: 'pbc_items000001',
  name: 'items',
  fields: [
    field('text3208210256', 'id', {
      primaryKey: true,
      required: true,
      autogeneratePattern: '[a-z0-9]{15}',
      pattern: '^[a-z0-9]+$',
      min: 15,
      max: 15,
    }),
    field('f_title', 'title'),
    field('f_note', 'note'),
    field('f_tag', 'tag', { type: 'select', values: ['a', 'b'], maxSelect: 1 }),
    field('f_a', 'a'),
    field('f_b', 'b'),
  ],
  indexes: [
    'CREATE INDEX idx_items_note ON items (note)',
    "CREATE UNIQUE INDEX idx_items_title ON items (title) WHERE title != ''",
  ],
};

/** Every kind of step at once: indexes, table rename, drop, swapped renames, add, convert. */
async function changeItems(app: App): Promise<void> {
  const [id, title, , tag, a, b] = ITEMS.fields;
  await updateCollection(app, 'items', {
    name: 'things',
    fields: [
      // As stored: the id field is a system field, which an update must send back unchanged.
      { ...id, system: true },
      { ...title, name: 'heading' },
      { ...tag, maxSelect: 2 },
      { ...a, name: 'b' },
      { ...b, name: 'a' },
      { id: 'f_extra', name: 'extra', type: 'number' },
    ],
    indexes: [
      "CREATE UNIQUE INDEX idx_things_heading ON things (heading) WHERE heading != ''",
      'CREATE INDEX idx_things_a ON things (a, extra)',
    ],
  });
}

const CHANGES: Record<string, (app: App) => Promise<void>> = {
  update: changeItems,
  create: async (app) => {
    await createCollection(app, {
      id: 'pbc_fresh000001',
      name: 'fresh',
      fields: [{ id: 'f_x', name: 'x', type: 'number' }],
      indexes: ['CREATE INDEX idx_fresh_x ON fresh (x)'],
    });
  },
  delete: (app) => deleteCollection(app, 'old'),
};

async function openApp(url: string): Promise<App> {
  return App.open({ dataDir: dir, databaseUrl: url });
}

/** A database holding `items` (two records) and `old`. */
async function prepare(): Promise<string> {
  const url = await dbs.create();
  const app = await openApp(url);
  try {
    await createCollection(app, ITEMS);
    await createCollection(app, { id: 'pbc_old00000001', name: 'old' });
    await app.db.db
      .insertInto('items')
      .values([
        { id: 'r00000000000001', title: 't1', note: 'n1', tag: 'a', a: 'a1', b: 'b1' },
        { id: 'r00000000000002', title: 't2', note: 'n2', tag: '', a: 'a2', b: 'b2' },
      ])
      .execute();
    await app.db.db.insertInto('old').values({ id: 'r00000000000003' }).execute();
  } finally {
    await app.close();
  }
  return url;
}

/** Schema, metadata (without times and secrets) and rows, to compare across databases. */
async function state(url: string): Promise<unknown> {
  const app = await openApp(url);
  try {
    expect(await schemaMismatches(app)).toEqual([]);
    const db = (await snapshotDb(app)) as { meta: Record<string, unknown>[] };
    // Times and the auth collections' generated token secrets differ between databases.
    const meta = db.meta.map(({ created: _c, updated: _u, options: _o, ...rest }) => rest);
    return { ...db, meta, rows: await snapshotRows(app) };
  } finally {
    await app.close();
  }
}

/**
 * Runs `change` on a process whose schema changes stop where `crashAt` says, as if killed;
 * returns every point the change went through, and whether it crashed.
 */
async function runCrashing(
  url: string,
  change: (app: App) => Promise<void>,
  crashAt: (point: DdlCrashPoint) => boolean,
): Promise<{ points: DdlCrashPoint[]; crashed: boolean }> {
  const points: DdlCrashPoint[] = [];
  const adapter = createMysqlAdapter({
    url,
    crashHook: (point) => {
      points.push(point);
      return crashAt(point);
    },
  });
  const app = App.over({ dataDir: dir, databaseUrl: url }, adapter);
  let crashed = false;
  try {
    await app.collections.reload(adapter.db);
    await app.settings.load();
    await change(app);
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) throw error;
    crashed = true;
  } finally {
    await app.close();
  }
  return { points, crashed };
}

const stepCount = (points: DdlCrashPoint[]) =>
  points.filter((p) => p.at === 'step' && p.done).length;

describe.each(Object.keys(CHANGES))('a collection %s stopped at any point', (name) => {
  const change = CHANGES[name] ?? changeItems;

  it(
    'is undone at the next start when its transaction had not committed',
    { timeout: 240_000 },
    async () => {
      const url = await prepare();
      const before = await state(url);
      const first = await runCrashing(url, change, (p) => p.at === 'commit');
      expect(first.crashed).toBe(true);
      const steps = stepCount(first.points);
      expect(steps).toBeGreaterThan(0);
      expect(await state(url)).toEqual(before);
      for (let step = 1; step <= steps; step++) {
        for (const done of [false, true]) {
          const run = await runCrashing(
            url,
            change,
            (p) => p.at === 'step' && p.step === step && p.done === done,
          );
          expect(run.crashed).toBe(true);
          expect(await state(url), `crash at step ${String(step)}, done ${String(done)}`).toEqual(
            before,
          );
        }
      }
    },
  );

  it(
    'is finished at the next start when its transaction had committed',
    { timeout: 240_000 },
    async () => {
      const reference = await prepare();
      expect((await runCrashing(reference, change, () => false)).crashed).toBe(false);
      const after = await state(reference);
      const url = await prepare();
      const first = await runCrashing(url, change, (p) => p.at === 'finish' && p.step === 1);
      expect(first.crashed).toBe(true);
      expect(await state(url)).toEqual(after);
      // Crashes before the first finish, one in the middle and before the last.
      const steps = stepCount(first.points);
      for (const step of new Set([Math.ceil(steps / 2), steps].filter((s) => s > 1))) {
        const again = await prepare();
        const run = await runCrashing(again, change, (p) => p.at === 'finish' && p.step === step);
        expect(run.crashed).toBe(true);
        expect(await state(again), `crash before finishing step ${String(step)}`).toEqual(after);
      }
    },
  );
});

describe('recovery at start', () => {
  it('is done once when two processes start at once', async () => {
    const url = await prepare();
    const before = await state(url);
    const run = await runCrashing(url, changeItems, (p) => p.at === 'step' && p.step === 5);
    expect(run.crashed).toBe(true);
    const apps = await Promise.all([openApp(url), openApp(url)]);
    for (const app of apps) await app.close();
    expect(await state(url)).toEqual(before);
  });
});

// Views (view collections): one transaction creates a view and drops another; stopped at any
// point, the next start must leave the views as before, or as committed, with nothing trashed.

const VIEW_QUERY = 'select row_number() over (order by items.id) as id, title from items';

/** A database holding the table `items` (two rows) and the view `v_old` over it. */
async function prepareViews(): Promise<string> {
  const url = await dbs.create();
  const adapter = createMysqlAdapter({ url });
  try {
    await adapter.createTable(adapter.db, 'items', [
      { name: 'id', kind: 'primaryKey' },
      { name: 'title', kind: 'text' },
    ]);
    await adapter.db
      .insertInto('items')
      .values([
        { id: 'r1', title: 't1' },
        { id: 'r2', title: 't2' },
      ])
      .execute();
    await adapter.createView(adapter.db, 'v_old', 'select id, title from items', []);
  } finally {
    await adapter.destroy();
  }
  return url;
}

/** After a start-up recovery: every table and view (trashed ones too) and each view's rows. */
async function viewState(url: string): Promise<unknown> {
  const adapter = createMysqlAdapter({ url });
  try {
    await adapter.recoverSchemaChanges?.();
    const objects = await sql<{ name: string; type: string }>`
      select table_name as name, table_type as type from information_schema.tables
      where table_schema = database() order by table_name`.execute(adapter.db);
    const views = await adapter.listViews(adapter.db);
    const rows: Record<string, unknown> = {};
    for (const view of views) {
      rows[view] = {
        columns: await adapter.listColumns(adapter.db, view),
        rows: await adapter.db.selectFrom(view).selectAll().orderBy('id').execute(),
      };
    }
    return { objects: objects.rows, rows };
  } finally {
    await adapter.destroy();
  }
}

/** Creates `v_new` and drops `v_old` in one transaction, stopping where `crashAt` says. */
async function changeViews(
  url: string,
  crashAt: (point: DdlCrashPoint) => boolean,
): Promise<{ points: DdlCrashPoint[]; crashed: boolean }> {
  const points: DdlCrashPoint[] = [];
  const adapter = createMysqlAdapter({
    url,
    crashHook: (point) => {
      points.push(point);
      return crashAt(point);
    },
  });
  let crashed = false;
  try {
    await adapter.transaction(async (tx) => {
      const columns = await adapter.createView(tx, 'v_new', VIEW_QUERY, ['id']);
      expect(columns.map((c) => [c.name, c.type])).toEqual([
        ['id', 'varchar'],
        ['title', 'longtext'],
      ]);
      await adapter.dropView(tx, 'v_old');
    });
  } catch (error) {
    if (!(error instanceof SimulatedCrash)) throw error;
    crashed = true;
  } finally {
    await adapter.destroy();
  }
  return { points, crashed };
}

describe('a view created and another dropped in a transaction stopped at any point', () => {
  it('are undone at the next start when the transaction had not committed', async () => {
    const url = await prepareViews();
    const before = await viewState(url);
    const first = await changeViews(url, (p) => p.at === 'commit');
    expect(first.crashed).toBe(true);
    expect(stepCount(first.points)).toBe(2);
    expect(await viewState(url)).toEqual(before);
    for (const step of [1, 2]) {
      for (const done of [false, true]) {
        const run = await changeViews(
          url,
          (p) => p.at === 'step' && p.step === step && p.done === done,
        );
        expect(run.crashed).toBe(true);
        expect(await viewState(url), `crash at step ${String(step)}, done ${String(done)}`).toEqual(
          before,
        );
      }
    }
  }, 120_000);

  it('are finished at the next start when the transaction had committed', async () => {
    const reference = await prepareViews();
    expect((await changeViews(reference, () => false)).crashed).toBe(false);
    const after = await viewState(reference);
    expect(after).toMatchObject({ rows: { v_new: { rows: [{ id: '1' }, { id: '2' }] } } });
    for (const step of [1, 2]) {
      const url = await prepareViews();
      const run = await changeViews(url, (p) => p.at === 'finish' && p.step === step);
      expect(run.crashed).toBe(true);
      expect(await viewState(url), `crash before finishing step ${String(step)}`).toEqual(after);
    }
  }, 120_000);
});
