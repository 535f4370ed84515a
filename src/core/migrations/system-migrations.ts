import { sql } from 'kysely';
import type { Executor } from '../../db/adapter.js';
import type { Migration } from '../../db/migrator.js';
import type { App } from '../app.js';
import { authSystemFields, idField, timestampFields } from '../collection/collection-defaults.js';
import { SUPERUSERS } from '../collection/collection-model.js';
import { createCollection } from '../collection/collection-service.js';
import { authSystemCollections } from './auth-system-collections.js';
import { createAuthIdsTable } from '../auth/auth-ids.js';
import { createIdempotencyTable } from '../idempotency/idempotency-store.js';
import { createJobsTable } from '../jobs/job-table.js';
import { createCronTicksTable } from '../cron/cron-ticks.js';

/** What a system migration works with: the app and the migration's transaction. */
export interface SystemMigrationContext {
  readonly app: App;
  readonly tx: Executor;
}

/** Runs a collection change inside the migration's own transaction. */
function scopeOf(ctx: SystemMigrationContext) {
  // Caches are loaded after all migrations, so after-commit reloads are not needed here.
  return { db: ctx.tx, attempt: 1, afterCommit: () => undefined, afterRollback: () => undefined };
}

const createSystemTables: Migration<SystemMigrationContext> = {
  name: '0001_system_tables',
  async up({ app, tx }) {
    await app.db.initialize(tx);
    await tx.schema
      .createTable('_collections')
      .addColumn('id', sql`varchar(100)`, (c) => c.primaryKey().notNull())
      .addColumn('name', sql`varchar(100)`, (c) => c.notNull().unique())
      .addColumn('type', sql`varchar(20)`, (c) => c.notNull())
      .addColumn('system', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('indexes', 'text', (c) => c.notNull())
      .addColumn('listRule', 'text')
      .addColumn('viewRule', 'text')
      .addColumn('createRule', 'text')
      .addColumn('updateRule', 'text')
      .addColumn('deleteRule', 'text')
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('created', sql`varchar(30)`, (c) => c.notNull())
      .addColumn('updated', sql`varchar(30)`, (c) => c.notNull())
      .execute();
    await tx.schema
      .createTable('_params')
      .addColumn('id', sql`varchar(100)`, (c) => c.primaryKey().notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('created', sql`varchar(30)`, (c) => c.notNull())
      .addColumn('updated', sql`varchar(30)`, (c) => c.notNull())
      .execute();
  },
};

const createSuperusers: Migration<SystemMigrationContext> = {
  name: '0002_superusers',
  async up(ctx) {
    await createCollection(
      ctx.app,
      {
        id: SUPERUSERS.id,
        name: SUPERUSERS.name,
        type: 'auth',
        system: true,
        fields: [idField(), ...authSystemFields(), ...timestampFields(true)],
        authToken: { duration: 86400 },
      },
      { trusted: true, scope: scopeOf(ctx) },
    );
  },
};

const ownerRule = 'id = @request.auth.id';

const createUsers: Migration<SystemMigrationContext> = {
  name: '0003_users',
  async up(ctx) {
    await createCollection(
      ctx.app,
      {
        id: '_pb_users_auth_',
        name: 'users',
        type: 'auth',
        fields: [
          idField(),
          ...authSystemFields(),
          { type: 'text', name: 'name', id: 'text1579384326', max: 255 },
          {
            type: 'file',
            name: 'avatar',
            id: 'file376926767',
            maxSelect: 1,
            mimeTypes: ['image/jpeg', 'image/png', 'image/svg+xml', 'image/gif', 'image/webp'],
          },
          ...timestampFields(),
        ],
        listRule: ownerRule,
        viewRule: ownerRule,
        createRule: '',
        updateRule: ownerRule,
        deleteRule: ownerRule,
        oauth2: { mappedFields: { name: 'name', avatarURL: 'avatar' } },
      },
      { trusted: true, scope: scopeOf(ctx) },
    );
  },
};

/**
 * Re-creates the engine's helper functions (they are all "create or replace") for databases
 * created before the functions changed: the 2026-11 PostgreSQL JSON extraction. A later
 * change to those functions adds another migration like this one.
 */
const refreshEngineFunctions: Migration<SystemMigrationContext> = {
  name: '0004_engine_functions',
  async up({ app, tx }) {
    await app.db.initialize(tx);
  },
};

/** `_externalAuths`, `_mfas`, `_otps` and `_authOrigins` (API.md §3.1). */
const createAuthSystemCollections: Migration<SystemMigrationContext> = {
  name: '0005_auth_system_collections',
  async up(ctx) {
    for (const definition of authSystemCollections()) {
      await createCollection(ctx.app, definition, { trusted: true, scope: scopeOf(ctx) });
    }
  },
};

/** `_authIds`: auth record ids unique across auth collections (API.md §1.2, issue 15 S2). */
const createAuthIds: Migration<SystemMigrationContext> = {
  name: '0006_auth_ids',
  async up({ app, tx }) {
    await createAuthIdsTable(app.db, tx);
  },
};

/** `_jobs`: durable jobs (APP-LOGIC.md §5). */
const createJobs: Migration<SystemMigrationContext> = {
  name: '0007_jobs',
  async up({ tx }) {
    await createJobsTable(tx);
  },
};

/** `_cronTicks`: the cron ticks claimed across processes (APP-LOGIC.md §5). */
const createCronTicks: Migration<SystemMigrationContext> = {
  name: '0008_cron',
  async up({ tx }) {
    await createCronTicksTable(tx);
  },
};

/** `_idempotencyKeys`: the Idempotency-Keys of custom routes and record creates (APP-LOGIC.md §5). */
const createIdempotencyKeys: Migration<SystemMigrationContext> = {
  name: '0009_idempotency',
  async up({ app, tx }) {
    await createIdempotencyTable(app.db, tx);
  },
};

/** Basalt's system migrations, in the order they apply. */
export const SYSTEM_MIGRATIONS: readonly Migration<SystemMigrationContext>[] = [
  createSystemTables,
  createSuperusers,
  createUsers,
  refreshEngineFunctions,
  createAuthSystemCollections,
  createAuthIds,
  createJobs,
  createCronTicks,
  createIdempotencyKeys,
];
