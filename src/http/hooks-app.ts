import type { App } from '../core/app.js';
import type { CronHandler } from '../core/cron/cron-job.js';
import {
  bindHook,
  hookRegistrar,
  type AppHooks,
  type HookArgs,
  type HookName,
  type HookRegistrar,
} from '../core/hooks/app-hooks.js';
import type { RouterAdd } from './route-event.js';

/**
 * What app logic registers with and works through (APP-LOGIC.md §2): one method per hook
 * (`onRecordCreate('orders', fn)`...), `routerAdd`, and the app's services. It is the
 * argument of a `defineHooks` module and the object `createBasalt` returns.
 */
export type HooksApp = HookRegistrar & {
  /** The App: records, transactions, collections, settings. */
  readonly app: App;
  /** Adds a custom route (see RouteOptions); the same method and path again replaces it. */
  readonly routerAdd: RouterAdd;
  /**
   * Adds the cron job `id` (APP-LOGIC.md §5): `fn` runs at each tick of `expression` (five
   * fields or a macro as PocketBase, UTC; an optional leading seconds field), once per tick
   * across all processes on the database. The same id again replaces it; an invalid
   * expression throws, naming the id and the expression.
   */
  readonly cronAdd: (id: string, expression: string, fn: CronHandler) => void;
  /** Removes the cron job `id` (system jobs included). */
  readonly cronRemove: (id: string) => void;
  /** Every hook, for binding with an id, a priority or tags: `hooks.onRecordCreate.bind({...})`. */
  readonly hooks: AppHooks;
  readonly realtime: App['realtime'];
  readonly mailer: App['mailer'];
  readonly logger: App['logger'];
};

/** A hooks module: registers hooks and routes on the app it is given. */
export type HooksModule = (app: HooksApp) => void | Promise<void>;

/**
 * Declares a hooks module (the default export of a `basalt_hooks/*.ts` file, or the
 * `hooks` option of createBasalt); it only gives `fn` its types.
 */
export function defineHooks(fn: HooksModule): HooksModule {
  return fn;
}

/** How a HooksApp binds a hook: at once by default, or into a set that a reload swaps. */
export type HookBinder = <K extends HookName>(name: K, args: HookArgs<K>) => string;

/** How a HooksApp registers cron jobs: at once by default, or into a set that a reload swaps. */
export interface CronBinder {
  readonly cronAdd: HooksApp['cronAdd'];
  readonly cronRemove: HooksApp['cronRemove'];
}

/** The CronBinder that registers on `app.cron` at once. */
function cronsOf(app: App): CronBinder {
  return {
    cronAdd: (id, expression, fn) => {
      app.cron.add(id, expression, fn);
    },
    cronRemove: (id) => {
      app.cron.remove(id);
    },
  };
}

/**
 * The HooksApp of `app`, binding hooks with `bind`, routes with `routerAdd` and cron jobs with
 * `crons`.
 */
export function hooksApp(
  app: App,
  routerAdd: RouterAdd,
  bind: HookBinder = (name, args) => bindHook(app.hooks, name, args),
  crons: CronBinder = cronsOf(app),
): HooksApp {
  return {
    ...hookRegistrar(app.hooks, bind),
    app,
    routerAdd,
    cronAdd: crons.cronAdd,
    cronRemove: crons.cronRemove,
    hooks: app.hooks,
    realtime: app.realtime,
    mailer: app.mailer,
    logger: app.logger,
  };
}
