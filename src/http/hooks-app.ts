import type { App } from '../core/app.js';
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

/**
 * The HooksApp of `app`, binding hooks with `bind`, routes with `routerAdd` and jobs with
 * `jobAdd` (by default at once, into `app.jobs`).
 */
export function hooksApp(
  app: App,
  routerAdd: RouterAdd,
  bind: HookBinder = (name, args) => bindHook(app.hooks, name, args),
  jobAdd: JobAdd = (name, handler, options) => app.jobs.add(name, handler, options),
): HooksApp {
  return {
    ...hookRegistrar(app.hooks, bind),
    app,
    routerAdd,
    jobAdd,
    hooks: app.hooks,
    realtime: app.realtime,
    mailer: app.mailer,
    logger: app.logger,
  };
}
