import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { build as esbuildBuild, Message, Plugin } from 'esbuild';
import { messageOf, shownPath, type CodeLoadErrorClass } from './hooks-load-error.js';

/** One bundled entry of a folder of app code (hooks, migrations). */
export interface BuiltEntry {
  /** The entry file, absolute. */
  readonly file: string;
  /** The file as shown in messages and as hook `source`, e.g. `basalt_hooks/orders.ts`. */
  readonly shown: string;
  /** The bundle, absolute (an ES module with an inline source map), removed once imported. */
  readonly bundle: string;
}

/**
 * The entry files of a folder of app code: its top-level `*.ts|*.js` files (not dotfiles,
 * not `.d.ts`), sorted by name; none when the folder does not exist.
 */
export function codeEntries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.startsWith('.') && /\.[cm]?[jt]s$/.test(d.name))
    .filter((d) => !/\.d\.[cm]?ts$/.test(d.name))
    .map((d) => d.name)
    .sort()
    .map((name) => join(dir, name));
}

/** Bumped on every import, so that a reload imports the new bundles (`?v=N`). */
let importVersion = 0;

/** A new version number for a build (bundle names and `?v=N` imports). */
export function nextImportVersion(): number {
  return ++importVersion;
}

/** Imports a bundle's default export (then removes its file: module and source map stay in memory). */
export async function importBundle(entry: BuiltEntry, version: number): Promise<unknown> {
  try {
    const url = `${pathToFileURL(entry.bundle).href}?v=${String(version)}`;
    return ((await import(url)) as { default?: unknown }).default;
  } finally {
    rmSync(entry.bundle, { force: true });
  }
}

/** The global under which this copy of Basalt exposes its public API to hooks bundles. */
const API_KEY = `basalt.hooks.api.${String(process.pid)}.${Math.random().toString(36).slice(2)}`;

/**
 * `import ... from 'basalt'` in a hooks file is this running Basalt, not a second copy from
 * node_modules: the error classes thrown by hooks are then the ones the server recognizes
 * (`instanceof ApiError`), whether Basalt runs from the CLI bundle, from dist/ or from source.
 */
function basaltApiPlugin(api: Readonly<Record<string, unknown>>): Plugin {
  const names = Object.keys(api).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
  (globalThis as Record<string, unknown>)[API_KEY] = api;
  const contents =
    `const api = globalThis[${JSON.stringify(API_KEY)}];\n` +
    `export const { ${names.join(', ')} } = api;\n`;
  return {
    name: 'basalt-api',
    setup(build) {
      build.onResolve({ filter: /^basalt$/ }, () => ({ path: 'basalt', namespace: 'basalt-api' }));
      build.onLoad({ filter: /.*/, namespace: 'basalt-api' }, () => ({
        contents,
        loader: 'js',
      }));
    },
  };
}

const RESOLVING = Symbol('resolving');

/** Builds in progress in this process (esbuild's service is stopped only when none is). */
let buildsRunning = 0;

/**
 * Packages stay external (as `packages: 'external'`), imported by their absolute file URL as
 * resolved from the importing file, so the bundle finds the app's node_modules wherever it
 * is written.
 */
function externalPackagesPlugin(): Plugin {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const found = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: RESOLVING,
        });
        if (found.errors.length > 0) return { errors: found.errors };
        if (found.external) return { path: found.path, external: true };
        return { path: pathToFileURL(found.path).href, external: true };
      });
    },
  };
}

/** The first esbuild error as a load error naming its source location. */
function buildError(
  LoadError: CodeLoadErrorClass,
  messages: readonly Message[],
  base: string,
  fallback: string,
): Error {
  const first = messages[0];
  if (first === undefined) return new LoadError({ file: fallback }, 'the build failed');
  const location = first.location;
  if (location === null) return new LoadError({ file: fallback }, first.text);
  return new LoadError(
    { file: shownPath(base, location.file), line: location.line, column: location.column + 1 },
    first.text,
  );
}

function isBuildFailure(error: unknown): error is { errors: Message[] } {
  return (
    typeof error === 'object' &&
    error !== null &&
    Array.isArray((error as { errors?: unknown }).errors)
  );
}

/** What to bundle: see bundleEntries. */
export interface BundleOptions {
  /** The entry files, absolute, in order. */
  readonly entries: readonly string[];
  /** Their folder (`basalt_hooks`, `basalt_migrations`); files are shown relative to its parent. */
  readonly dir: string;
  /** Where the bundles are written (created when missing). */
  readonly outDir: string;
  readonly version: number;
  /** Keep esbuild's service running afterwards (`--dev` rebuilds). */
  readonly keepService: boolean;
  /** The error class of a failed build (HooksLoadError, MigrationLoadError). */
  readonly LoadError: CodeLoadErrorClass;
}

/**
 * Bundles each entry of a folder of app code into `outDir`, named
 * `<file>.<pid>.<version>.mjs` so that no other load (another process on the same data
 * directory) overwrites it before it is imported (TypeScript and helper modules included, npm
 * packages and `basalt` left to import at run time: `basalt` is this running Basalt's public
 * API). esbuild is imported only here, so a server without such files never loads it. Turns
 * source maps on for stack traces. Rejects with `LoadError` naming the first error's file,
 * line and column.
 */
export async function bundleEntries(options: BundleOptions): Promise<BuiltEntry[]> {
  // Stack traces of app code name the .ts files (the bundles carry source maps).
  process.setSourceMapsEnabled(true);
  mkdirSync(options.outDir, { recursive: true });
  const api = { ...(await import('../index.js')) } as Record<string, unknown>;
  buildsRunning++;
  const esbuild = await import('esbuild');
  try {
    return await buildEach(esbuild.build, options, api);
  } finally {
    // Without --dev, esbuild's child process is not needed once the files are built.
    if (--buildsRunning === 0 && !options.keepService) await esbuild.stop();
  }
}

async function buildEach(
  build: typeof esbuildBuild,
  options: BundleOptions,
  api: Readonly<Record<string, unknown>>,
): Promise<BuiltEntry[]> {
  const { outDir, version, LoadError } = options;
  const base = dirname(options.dir);
  const built: BuiltEntry[] = [];
  for (const file of options.entries) {
    const shown = shownPath(base, file);
    const bundle = join(outDir, `${basename(file)}.${String(process.pid)}.${String(version)}.mjs`);
    try {
      await build({
        entryPoints: [file],
        outfile: bundle,
        absWorkingDir: base,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        sourcemap: 'inline',
        plugins: [basaltApiPlugin(api), externalPackagesPlugin()],
        // CommonJS code in the bundle (a helper's require) needs a real `require`.
        banner: {
          js: "import { createRequire as __basaltHooksRequire } from 'node:module';\nconst require = __basaltHooksRequire(import.meta.url);",
        },
        logLevel: 'silent',
      });
    } catch (error) {
      for (const done of built) rmSync(done.bundle, { force: true });
      if (isBuildFailure(error)) throw buildError(LoadError, error.errors, base, shown);
      throw new LoadError({ file: shown }, messageOf(error), { cause: error });
    }
    built.push({ file, shown, bundle });
  }
  return built;
}
