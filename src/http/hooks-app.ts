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
import type { JobHandler, JobOptions, JsonValue } from '../core/jobs/job-types.js';
import type { RouterAdd } from './route-event.js';

/**
 * Registers the handler of a durable job (APP-LOGIC.md §5); the same name again replaces
 * it. Returns a function that removes this registration. Throws for a bad name or option.
 */
export type JobAdd = <P = JsonValue>(
  name: string,
  handler: JobHandler<P>,
  options?: JobOptions,
) => () => void;

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
   * Registers a durable job's handler: `jobAdd('send-receipt', async (e) => {...}, { retries: 5 })`;
   * enqueue with `e.app.enqueue('send-receipt', payload, { runAt, key })`.
   */
  readonly jobAdd: JobAdd;
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
 * How a HooksApp registers hooks, jobs and cron jobs; each at once on the App when omitted
 * (a hooks folder collects them instead, for a reload to swap).
 */
export interface HooksAppBinders {
  readonly bind?: HookBinder | undefined;
  readonly jobAdd?: JobAdd | undefined;
  readonly crons?: CronBinder | undefined;
}

/** The HooksApp of `app`, adding routes with `routerAdd` and registering through `binders`. */
export function hooksApp(app: App, routerAdd: RouterAdd, binders: HooksAppBinders = {}): HooksApp {
  const bind = binders.bind ?? ((name, args) => bindHook(app.hooks, name, args));
  const jobAdd: JobAdd =
    binders.jobAdd ?? ((name, handler, options) => app.jobs.add(name, handler, options));
  const crons = binders.crons ?? cronsOf(app);
  return {
    ...hookRegistrar(app.hooks, bind),
    app,
    routerAdd,
    jobAdd,
    cronAdd: crons.cronAdd,
    cronRemove: crons.cronRemove,
    hooks: app.hooks,
    realtime: app.realtime,
    mailer: app.mailer,
    logger: app.logger,
  };
}
