import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/core/app.js';
import { createCollection } from '../../src/core/collection/collection-service.js';
import { newRow } from '../../src/core/record/record-defaults.js';
import { buildServer, closeServer } from '../../src/http/server.js';
import { randomString } from '../../src/lib/security/random.js';
import { ApiClient } from '../helpers/api-client.js';
import { createEngineDatabase, type EngineDatabase } from '../helpers/test-engine.js';

// Issue 15 S2: a database from before `_authIds` registers its auth record ids on upgrade, so
// the ids stored then are protected too.

let dir: string;
let database: EngineDatabase;
let app: App | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function insertAccount(collection: string, id: string, email: string): Promise<void> {
  const c = app?.collections.findAuth(collection);
  if (!app || !c) throw new Error(`no auth collection ${collection}`);
  const row = { ...newRow(c), id, email, password: 'x', tokenKey: randomString(50) };
  await app.db.db.insertInto(c.name).values(row).execute();
}

describe('migration 0006_auth_ids', () => {
  it('registers the stored auth ids, the older collection keeping a shared one', async () => {
    dir = mkdtempSync(join(tmpdir(), 'basalt-authids-'));
    database = await createEngineDatabase();
    const open = () => App.open({ dataDir: dir, databaseUrl: database.url });
    app = await open();
    await createCollection(app, { name: 'members', type: 'auth', createRule: '' });
    // Written as a database before the migration held them: one id in two collections.
    await insertAccount('users', 'sharedid0000001', 'u1@x.io');
    await insertAccount('members', 'sharedid0000001', 'm1@x.io');
    await insertAccount('users', 'usersonly000001', 'u2@x.io');
    await app.db.dropTable(app.db.db, '_authIds');
    await app.db.db.deleteFrom('_migrations').where('file', '=', '0006_auth_ids').execute();
    await app.close();
    app = await open();
    const rows = await app.db.db
      .selectFrom('_authIds')
      .select(['id', 'collectionRef'])
      .orderBy('id')
      .execute();
    const members = app.collections.findAuth('members');
    expect(members).toBeDefined();
    expect(rows).toEqual([
      { id: 'sharedid0000001', collectionRef: '_pb_users_auth_' },
      { id: 'usersonly000001', collectionRef: '_pb_users_auth_' },
    ]);
    const server = await buildServer(app);
    try {
      const guest = new ApiClient(server);
      const taken = await guest.post('/api/collections/members/records', {
        id: 'usersonly000001',
        email: 'm2@x.io',
        password: 'password-123',
        passwordConfirm: 'password-123',
      });
      expect(taken.status).toBe(400);
      expect(taken.body.data).toMatchObject({ id: { code: 'validation_invalid_auth_id' } });
    } finally {
      await closeServer(server, 500);
    }
  });
});
