import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { App } from '../core/app.js';
import { cronJob, type CronJob } from '../core/cron/cron-job.js';
import type { AppHooks, HookName } from '../core/hooks/app-hooks.js';
import type { HookTags } from '../lib/hook/index.js';
import { watchTree, type TreeWatcher } from '../lib/watch-tree.js';
import {
  bundleEntries,
  codeEntries,
  importBundle,
  nextImportVersion,
  type BuiltEntry,
} from './code-bundle.js';
import { defineJob, type JobDefinition } from '../core/jobs/job-definition.js';
import {
  hooksApp,
  type CronBinder,
  type HookBinder,
  type HooksModule,
  type JobAdd,
} from './hooks-app.js';
import {
  HooksLoadError,
  locateInStack,
  messageOf,
  shownPath,
  type HooksLocation,
} from './hooks-load-error.js';
import type { RouterAdd } from './route-event.js';
import type { CustomRoute, RouteTable } from './route-table.js';

/** The route group of the hooks folder in the RouteTable. */
export const HOOKS_FOLDER_ROUTES = 'hooks-folder';

/** How long `--dev` waits after the last change in the folder before it reloads. */
const RELOAD_DEBOUNCE_MS = 100;

/** The options of {@link loadHooksFolder}. */
export interface HooksFolderOptions {
  /** The hooks folder (`basalt_hooks`); a missing folder has no hooks. */
  readonly dir: string;
  readonly app: App;
  readonly routes: RouteTable;
  /** Reload on every change in the folder (`--dev`). */
  readonly watch?: boolean | undefined;
  /** Where the bundles are written (default `<dataDir>/.hooks-cache`). */
  readonly cacheDir?: string | undefined;
}

/** The loaded hooks folder. */
export interface HooksFolder {
  /** The entry files loaded, as shown (`basalt_hooks/orders.ts`), in load order. */
  readonly files: readonly string[];
  /** How many loads succeeded (1 after the start, +1 per reload). */
  readonly generation: number;
  /** The error of the last load when it failed (the previous hooks stay), else undefined. */
  readonly lastError: HooksLoadError | undefined;
  /**
   * Builds and runs every entry again, then swaps in one step: the previous load's hooks
   * unbound, the new ones bound, the folder's routes replaced. Rejects with a
   * HooksLoadError, and changes nothing, when a file fails to build, import or register.
   */
  reload(): Promise<void>;
  /** Stops watching. */
  close(): void;
}

/** One hook registration of a hooks file, bound at the swap. */
interface Binding {
  readonly name: HookName;
  readonly args: readonly unknown[];
  readonly source: string;
  readonly id: string;
}

/** One `jobAdd` of a hooks file, registered at the swap. */
interface JobBinding {
  readonly definition: JobDefinition;
  /** Set by jobAdd's returned function: not registered, or unregistered. */
  removed: boolean;
  /** Unregisters it once registered. */
  unregister: (() => void) | undefined;
}

/** A cron registration of a hooks file (checked at once), applied at the swap in order. */
type CronChange = { readonly add: CronJob } | { readonly remove: string };

/** What one load of the folder registers. */
interface Loaded {
  readonly files: readonly string[];
  readonly bindings: readonly Binding[];
  readonly routes: readonly CustomRoute[];
  readonly jobs: readonly JobBinding[];
  readonly crons: readonly CronChange[];
}

const EMPTY: Loaded = { files: [], bindings: [], routes: [], jobs: [], crons: [] };

/** Where a thrown error happened in a hooks file: its stack frame, else the entry file. */
function located(error: unknown, dir: string, entry: BuiltEntry): HooksLoadError {
  if (error instanceof HooksLoadError) return error;
  const location: HooksLocation = locateInStack(error, dir, dirname(dir)) ?? {
    file: entry.shown,
  };
  return new HooksLoadError(location, messageOf(error), { cause: error });
}

/** Binds a collected registration under its id (so that a reload can unbind it). */
function bindCollected(hooks: AppHooks, binding: Binding): void {
  const hook = hooks[binding.name] as unknown as {
    bind(handler: { id: string; tags?: HookTags; fn: unknown; source: string }): string;
  };
  const { args, id, source } = binding;
  const fn = args[args.length - 1];
  const tags = args.length === 2 ? (args[0] as HookTags) : undefined;
  hook.bind({ id, tags, fn, source });
}

/**
 * Removes the cron jobs the previous load added and applies the new load's additions and
 * removals in order (a system job a file removed stays removed until the process restarts).
 */
function swapCrons(app: App, previous: readonly CronChange[], next: readonly CronChange[]): void {
  for (const change of previous) if ('add' in change) app.cron.remove(change.add.id);
  for (const change of next) {
    if ('add' in change) app.cron.put(change.add);
    else app.cron.remove(change.remove);
  }
}

/** Runs every built entry with a collecting HooksApp: nothing is bound yet. */
async function collect(
  app: App,
  routes: RouteTable,
  dir: string,
  built: readonly BuiltEntry[],
  version: number,
): Promise<Loaded> {
  const bindings: Binding[] = [];
  const compiled: CustomRoute[] = [];
  const jobs: JobBinding[] = [];
  // Checked now (a bad option fails the load naming the file), registered at the swap.
  const jobAdd: JobAdd = (name, handler, options) => {
    const binding: JobBinding = {
      definition: defineJob(name, handler, options),
      removed: false,
      unregister: undefined,
    };
    jobs.push(binding);
    return () => {
      binding.removed = true;
      binding.unregister?.();
    };
  };
  const crons: CronChange[] = [];
  const cronBinder: CronBinder = {
    cronAdd: (id, expression, fn) => {
      crons.push({ add: cronJob(id, expression, fn) });
    },
    cronRemove: (id) => {
      crons.push({ remove: id });
    },
  };
  for (const entry of built) {
    let register: unknown;
    try {
      register = await importBundle(entry, version);
    } catch (error) {
      throw located(error, dir, entry);
    }
    if (typeof register !== 'function') {
      throw new HooksLoadError(
        { file: entry.shown },
        'the default export is not a hooks module; write `export default defineHooks((app) => { ... })`',
      );
    }
    let count = 0;
    const bind: HookBinder = (name, args) => {
      const fn: unknown = args[args.length - 1];
      if (typeof fn !== 'function') throw new TypeError(`${name}: the handler is not a function`);
      const id = `${entry.shown}#${String(++count)}@${String(version)}`;
      bindings.push({ name, args, source: entry.shown, id });
      return id;
    };
    const routerAdd: RouterAdd = (method, path, handler, options = {}) => {
      compiled.push(routes.compile(method, path, handler, options));
    };
    try {
      await (register as HooksModule)(
        hooksApp(app, routerAdd, { bind, jobAdd, crons: cronBinder }),
      );
    } catch (error) {
      throw located(error, dir, entry);
    }
  }
  return { files: built.map((b) => b.shown), bindings, routes: compiled, jobs, crons };
}

/**
 * Loads a hooks folder (APP-LOGIC.md §6): each top-level `*.ts|*.js` file, in name order, is
 * bundled with esbuild (subfolders are its helper modules; npm packages and `basalt` are
 * imported at run time) and its default export, a hooks module, registers hooks and routes.
 * Rejects with a HooksLoadError naming `file:line:column` when a file fails to build, import
 * or register. With `watch`, a change in the folder reloads it (see HooksFolder.reload); a
 * failed reload is logged and the previous hooks stay.
 */
export async function loadHooksFolder(options: HooksFolderOptions): Promise<HooksFolder> {
  const { app, routes } = options;
  const dir = resolve(options.dir);
  const cacheDir = options.cacheDir ?? join(app.config.dataDir, '.hooks-cache');
  let current: Loaded = EMPTY;
  let generation = 0;
  let lastError: HooksLoadError | undefined;

  const load = async (): Promise<void> => {
    const entries = codeEntries(dir);
    let next = EMPTY;
    if (entries.length > 0) {
      const version = nextImportVersion();
      const built = await bundleEntries({
        entries,
        dir,
        outDir: cacheDir,
        version,
        keepService: options.watch === true,
        LoadError: HooksLoadError,
      });
      try {
        next = await collect(app, routes, dir, built, version);
      } finally {
        for (const entry of built) rmSync(entry.bundle, { force: true });
      }
    }
    // The swap, in one synchronous step: requests see the old hooks and routes or the new.
    routes.replaceGroup(HOOKS_FOLDER_ROUTES, next.routes);
    for (const binding of current.bindings) app.hooks[binding.name].unbind(binding.id);
    for (const binding of next.bindings) bindCollected(app.hooks, binding);
    for (const job of current.jobs) job.unregister?.();
    for (const job of next.jobs) {
      if (!job.removed) job.unregister = app.jobs.register(job.definition);
    }
    swapCrons(app, current.crons, next.crons);
    current = next;
    generation++;
  };

  let queue: Promise<void> = Promise.resolve();
  const reload = (): Promise<void> => {
    const run = queue.then(load).then(
      () => {
        lastError = undefined;
      },
      (error: unknown) => {
        lastError =
          error instanceof HooksLoadError
            ? error
            : new HooksLoadError({ file: shownPath(dirname(dir), dir) }, messageOf(error), {
                cause: error,
              });
        throw lastError;
      },
    );
    queue = run.catch(() => undefined);
    return run;
  };

  const started = performance.now();
  await reload();
  if (current.files.length > 0) {
    const ms = Math.round(performance.now() - started);
    app.logger.info({ files: current.files, ms }, 'hooks loaded');
  }

  let watcher: TreeWatcher | undefined;
  if (options.watch === true && existsSync(dir)) {
    const onChange = (): void => {
      reload().then(
        () => {
          app.logger.info({ files: current.files }, 'hooks reloaded');
        },
        (error: unknown) => {
          app.logger.error(
            { err: error },
            `hooks reload failed; the previous hooks stay: ${messageOf(error)}`,
          );
        },
      );
    };
    watcher = watchTree(dir, RELOAD_DEBOUNCE_MS, onChange, (error) => {
      app.logger.error({ err: error }, 'watching the hooks folder failed');
    });
  }

  return {
    get files() {
      return current.files;
    },
    get generation() {
      return generation;
    },
    get lastError() {
      return lastError;
    },
    reload,
    close() {
      watcher?.close();
    },
  };
}
