import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSuperuser } from '../../src/core/auth/superuser-admin.js';
import type { Basalt } from '../../src/index.js';
import { ApiClient, login } from '../helpers/api-client.js';

/** A temporary app directory: `basalt_migrations/` and data directories beside it. */
export class MigrationsDir {
  readonly root = mkdtempSync(join(tmpdir(), 'basalt-migrations-'));
  readonly dir = join(this.root, 'basalt_migrations');

  constructor() {
    mkdirSync(this.dir);
  }

  /** A data directory of its own (one per app started on this folder). */
  dataDir(name: string): string {
    return join(this.root, name);
  }

  /** Writes a migration file. */
  write(file: string, text: string): void {
    writeFileSync(join(this.dir, file), text);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A superuser client of an embedded Basalt (the superuser is created first). */
export async function superuserClient(basalt: Basalt): Promise<ApiClient> {
  await createSuperuser(basalt.app, 'admin@example.com', 'correct-horse-1');
  const client = new ApiClient(basalt.server);
  client.token = await login(client, '_superusers', 'admin@example.com', 'correct-horse-1');
  return client;
}

/** Every collection as GET /api/collections shows it, without timestamps, by name. */
export async function schemaOf(client: ApiClient): Promise<Record<string, unknown>[]> {
  const res = await client.get('/api/collections?perPage=500&sort=name');
  if (res.status !== 200) throw new Error(`list failed: ${res.text}`);
  const items = res.body.items as Record<string, unknown>[];
  return items.map(({ created: _c, updated: _u, ...rest }) => rest);
}

/** A migration module's source from the bodies of `up` and `down`. */
export function migrationSource(up: string, down = ''): string {
  return [
    "import { defineMigration } from 'basalt';",
    '',
    'export default defineMigration({',
    '  async up(app) {',
    up,
    '  },',
    '  async down(app) {',
    down,
    '  },',
    '});',
    '',
  ].join('\n');
}
