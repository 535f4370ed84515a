import { rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { build as esbuildBuild, Message, Plugin } from 'esbuild';
import { HooksLoadError, messageOf, shownPath } from './hooks-load-error.js';

/** One bundled entry of the hooks folder. */
export interface BuiltEntry {
  /** The entry file, absolute. */
  readonly file: string;
  /** The file as shown in messages and as hook `source`, e.g. `basalt_hooks/orders.ts`. */
  readonly shown: string;
  /** The bundle, absolute (an ES module with an inline source map), removed once imported. */
  readonly bundle: string;
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

/** The first esbuild error as a HooksLoadError naming its source location. */
function buildError(messages: readonly Message[], base: string, fallback: string): HooksLoadError {
  const first = messages[0];
  if (first === undefined) return new HooksLoadError({ file: fallback }, 'the build failed');
  const location = first.location;
  if (location === null) return new HooksLoadError({ file: fallback }, first.text);
  return new HooksLoadError(
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

/**
 * Bundles each entry of the hooks folder into `outDir`, named `<file>.<pid>.<version>.mjs` so
 * that no other load (another process on the same data directory) overwrites it before it is
 * imported (TypeScript and helper modules
 * included, npm packages and `basalt` left to import at run time). esbuild is imported only
 * here, so a server without hooks files never loads it. Rejects with a HooksLoadError naming
 * the first error's file, line and column.
 */
export async function buildHookEntries(
  entries: readonly string[],
  hooksDir: string,
  outDir: string,
  api: Readonly<Record<string, unknown>>,
  version: number,
  keepService: boolean,
): Promise<BuiltEntry[]> {
  buildsRunning++;
  const esbuild = await import('esbuild');
  try {
    return await buildEach(esbuild.build, entries, hooksDir, outDir, api, version);
  } finally {
    // Without --dev, esbuild's child process is not needed once the hooks are built.
    if (--buildsRunning === 0 && !keepService) await esbuild.stop();
  }
}

async function buildEach(
  build: typeof esbuildBuild,
  entries: readonly string[],
  hooksDir: string,
  outDir: string,
  api: Readonly<Record<string, unknown>>,
  version: number,
): Promise<BuiltEntry[]> {
  const base = dirname(hooksDir);
  const built: BuiltEntry[] = [];
  for (const file of entries) {
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
      if (isBuildFailure(error)) throw buildError(error.errors, base, shown);
      throw new HooksLoadError({ file: shown }, messageOf(error), { cause: error });
    }
    built.push({ file, shown, bundle });
  }
  return built;
}
