import { rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { App } from '../core/app.js';
import type { AppMigration, MigrationSource } from '../core/migrations/app-migrations.js';
import type { MigrationDefinition } from '../core/migrations/migration-app.js';
import {
  bundleEntries,
  codeEntries,
  importBundle,
  nextImportVersion,
  type BuiltEntry,
} from './code-bundle.js';
import {
  formatLocation,
  locateInStack,
  messageOf,
  MigrationLoadError,
  shownPath,
} from './hooks-load-error.js';

/** Whether a module's default export is a migration (`defineMigration({ up, down })`). */
function isMigration(value: unknown): value is MigrationDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const { up, down } = value as { up?: unknown; down?: unknown };
  return typeof up === 'function' && (down === undefined || typeof down === 'function');
}

/** Imports a built migration file and checks its default export. */
async function importMigration(
  entry: BuiltEntry,
  dir: string,
  version: number,
): Promise<AppMigration> {
  let definition: unknown;
  try {
    definition = await importBundle(entry, version);
  } catch (error) {
    const location = locateInStack(error, dir, dirname(dir)) ?? { file: entry.shown };
    throw new MigrationLoadError(location, messageOf(error), { cause: error });
  }
  if (!isMigration(definition)) {
    throw new MigrationLoadError(
      { file: entry.shown },
      'the default export is not a migration; write `export default defineMigration({ async up(app) { ... }, async down(app) { ... } })`',
    );
  }
  return { file: basename(entry.file), definition };
}

/**
 * An app's migrations folder (`basalt_migrations`, APP-LOGIC.md §6) for the migration runner:
 * its top-level `*.ts|*.js` files by name, as they are now (a missing folder has none). Files
 * are built with esbuild (as the hooks folder's, `basalt` is the running Basalt) into
 * `<dataDir>/.migrations-cache` only when loaded, i.e. when some are pending; a file that fails
 * to build or import is a MigrationLoadError naming `file:line:column`.
 */
export function migrationsFolder(app: App, dir: string): MigrationSource {
  const abs = resolve(dir);
  const base = dirname(abs);
  return {
    files: codeEntries(abs).map((file) => basename(file)),
    async load(files) {
      if (files.length === 0) return [];
      const version = nextImportVersion();
      const built = await bundleEntries({
        entries: files.map((file) => join(abs, file)),
        dir: abs,
        outDir: join(app.config.dataDir, '.migrations-cache'),
        version,
        keepService: false,
        LoadError: MigrationLoadError,
      });
      try {
        const loaded: AppMigration[] = [];
        for (const entry of built) loaded.push(await importMigration(entry, abs, version));
        return loaded;
      } finally {
        for (const entry of built) rmSync(entry.bundle, { force: true });
      }
    },
    locate(file, error) {
      const where = locateInStack(error, abs, base) ?? { file: shownPath(base, join(abs, file)) };
      return formatLocation(where);
    },
  };
}
