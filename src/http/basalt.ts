import { resolve } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import { App } from '../core/app.js';
import type { RealtimeOptions } from '../core/realtime/realtime.js';
import type { JobWorkerOptions } from '../core/jobs/job-types.js';
import { BootstrapEvent, TerminateEvent } from '../core/hooks/app-events.js';
import { hooksApp, type HooksApp, type HooksModule } from './hooks-app.js';
import { loadHooksFolder, type HooksFolder } from './hooks-folder.js';
import { bindAutomigrate } from '../core/migrations/automigrate.js';
import type { TypegenOptions } from '../core/typegen/generate-types.js';
import { watchTypes } from '../core/typegen/types-watch.js';
import { migrateUp } from '../core/migrations/app-migrations.js';
import { migrationsFolder } from './migrations-folder.js';
import type { RouteTable } from './route-table.js';
import { buildServer, closeServer, customRoutesOf, type ServerOptions } from './server.js';

/** The default data directory of {@link createBasalt}, relative to the working directory. */
export const DEFAULT_DATA_DIR = './basalt_data';

/** How long requests in flight may take to finish on `close()`, by default. */
const DEFAULT_CLOSE_GRACE_MS = 10_000;

/** The options of {@link createBasalt}. */
export interface BasaltOptions {
  /** The data directory (default `./basalt_data`): the SQLite file, storage, settings. */
  readonly dataDir?: string | undefined;
  /** A database URL (`postgres://...`, `mysql://...`); SQLite in `dataDir` when omitted. */
  readonly db?: string | undefined;
  /** Encrypts the secret settings at rest (as BASALT_ENCRYPTION_KEY does for the CLI). */
  readonly encryptionKey?: string | undefined;
  /** The logger; a silent one when omitted. */
  readonly logger?: Logger | undefined;
  /** Realtime limits (defaults as PocketBase). */
  readonly realtime?: RealtimeOptions | undefined;
  /** How long a transaction may run before it is rolled back (default 30 s; 0 for no limit). */
  readonly transactionTimeLimitMs?: number | undefined;
  /** Options of the HTTP server (trustProxy). */
  readonly server?: ServerOptions | undefined;
  /** Hooks modules registered before onBootstrap runs (see defineHooks). */
  readonly hooks?: HooksModule | readonly HooksModule[] | undefined;
  /**
   * A hooks folder (`basalt_hooks`): its `*.ts|*.js` files are loaded after `hooks`, before
   * onBootstrap (see loadHooksFolder); createBasalt rejects naming `file:line:column` when
   * one fails to build, import or register.
   */
  readonly hooksDir?: string | undefined;
  /**
   * A migrations folder (`basalt_migrations`): its `*.ts|*.js` files not applied yet are
   * applied in name order, each in its own transaction, right after the App opens (before
   * `hooks`, `hooksDir` and onBootstrap); createBasalt rejects with a MigrationError (or
   * MigrationLoadError) naming the file when one fails, which rolls back.
   */
  readonly migrationsDir?: string | undefined;
  /**
   * Development mode (`--dev`): reload `hooksDir` on change, keeping the previous hooks when a
   * reload fails; with `migrationsDir`, write a migration file for every collection change
   * made through the API (automigrate).
   */
  readonly dev?: boolean | undefined;
  /**
   * A TypeScript file kept holding the collections' types (`basalt typegen`): written at the
   * start and again after every collection change (`basalt serve --dev` writes
   * `basalt_hooks/basalt-types.d.ts`, the hooks' types, unless `--types` names a file).
   */
  readonly types?: { readonly file: string; readonly options?: TypegenOptions } | undefined;
  /** The clock of scheduled work (jobs, cron); the system clock when omitted (tests pass a fake). */
  readonly clock?: Clock | undefined;
  /**
   * Replays the first attempt of every transaction (rolled back, then run again): a test
   * switch that shows hooks which are not safe to re-run (see AppConfig.replayWriteAttempts).
   */
  readonly replayWriteAttempts?: boolean | undefined;
  /** How long an Idempotency-Key claim holds its key while its request runs (default 60 s). */
  readonly idempotencyLeaseMs?: number | undefined;
  /**
   * The job workers, started after onBootstrap: `concurrency` attempts at once (default 4),
   * polling every `pollMs` (default 1000) when idle; `disabled` starts none (jobs can still
   * be enqueued, and run by other processes or `app.jobs.drain()`).
   */
  readonly jobs?: BasaltJobOptions | undefined;
  /**
   * The cron scheduler: started after onBootstrap unless `disabled` (then jobs run only on
   * demand: `POST /api/crons/{id}`, `app.cron.run(id)`, `app.cron.runDue()`).
   */
  readonly cron?: { readonly disabled?: boolean | undefined } | undefined;
}

/** The `jobs` option of {@link createBasalt}. */
export interface BasaltJobOptions extends JobWorkerOptions {
  /** Start no job workers in this process. */
  readonly disabled?: boolean | undefined;
}

/** Where a Basalt server listens. */
export interface ListenOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** Default 8090; 0 picks a free port. */
  readonly port?: number | undefined;
}

/** The address a Basalt server is bound to. */
export interface BoundAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`. */
  readonly url: string;
}

/**
 * A Basalt instance embedded in a process: its App, its server, its custom routes, and the
 * hook registration API (`basalt.onRecordCreate('orders', fn)`, see HooksApp).
 */
export type Basalt = HooksApp & BasaltServer;

/** The server side of a Basalt instance. */
export interface BasaltServer {
  /** The Fastify server (built once; it does not listen until {@link Basalt.listen}). */
  readonly server: FastifyInstance;
  /** The custom routes: add, remove, or replace them all (a reload) while the server runs. */
  readonly routes: RouteTable;
  /** The hooks folder, when `hooksDir` was given. */
  readonly hooksFolder: HooksFolder | undefined;
  /** Starts listening; resolves with the bound address. */
  listen(options?: ListenOptions): Promise<BoundAddress>;
  /** Fastify's inject: a request without a socket (tests). */
  inject(options: InjectOptions | string): Promise<LightMyRequestResponse>;
  /**
   * Stops gracefully: the cron scheduler stops (runs in progress finish), requests and job
   * attempts in flight finish within `graceMs` (default 10 s), open realtime streams end,
   * onTerminate runs, then the App closes.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Opens the App of a data directory (and database, when `db` is given) as `basalt serve`
 * does, applying the migrations, and builds its HTTP server once.
 */
export async function createBasalt(options: BasaltOptions = {}): Promise<Basalt> {
  const app = await App.open({
    dataDir: resolve(options.dataDir ?? DEFAULT_DATA_DIR),
    ...(options.db ? { databaseUrl: options.db } : {}),
    ...(options.encryptionKey ? { encryptionKey: options.encryptionKey } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.realtime ? { realtime: options.realtime } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.replayWriteAttempts ? { replayWriteAttempts: true } : {}),
    ...(options.idempotencyLeaseMs === undefined
      ? {}
      : { idempotencyLeaseMs: options.idempotencyLeaseMs }),
    ...(options.transactionTimeLimitMs === undefined
      ? {}
      : { transactionTimeLimitMs: options.transactionTimeLimitMs }),
  });
  let server: FastifyInstance;
  try {
    if (options.migrationsDir !== undefined) {
      await migrateUp(app, migrationsFolder(app, options.migrationsDir));
      if (options.dev === true) bindAutomigrate(app, resolve(options.migrationsDir));
    }
    if (options.types) watchTypes(app, options.types.file, options.types.options);
    server = await buildServer(app, options.server);
  } catch (error) {
    await app.close();
    throw error;
  }
  const routes = customRoutesOf(server);
  const registrar = hooksApp(app, routes.add);
  let hooksFolder: HooksFolder | undefined;
  try {
    const modules = options.hooks === undefined ? [] : [options.hooks].flat();
    for (const register of modules) await register(registrar);
    if (options.hooksDir !== undefined) {
      hooksFolder = await loadHooksFolder({
        dir: options.hooksDir,
        app,
        routes,
        watch: options.dev,
      });
    }
    await app.hooks.onBootstrap.trigger(new BootstrapEvent(app));
    if (options.jobs?.disabled !== true) app.jobs.start(options.jobs);
    if (options.cron?.disabled !== true) app.cron.start();
  } catch (error) {
    hooksFolder?.close();
    await server.close();
    await app.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const terminate = async (): Promise<void> => {
    try {
      await app.hooks.onTerminate.trigger(new TerminateEvent(app, false));
    } catch (error) {
      app.logger.error({ err: error }, 'an onTerminate hook failed');
    }
  };
  return {
    ...registrar,
    server,
    routes,
    hooksFolder,
    inject: (injectOptions) => server.inject(injectOptions),
    async listen(listenOptions = {}) {
      await server.listen({
        host: listenOptions.host ?? '127.0.0.1',
        port: listenOptions.port ?? 8090,
      });
      const address = server.server.address();
      if (address === null || typeof address === 'string') {
        throw new Error('The server is not bound to a TCP address.');
      }
      const shown = address.address.includes(':') ? `[${address.address}]` : address.address;
      return {
        host: address.address,
        port: address.port,
        url: `http://${shown}:${String(address.port)}`,
      };
    },
    close(closeOptions = {}) {
      hooksFolder?.close();
      const graceMs = closeOptions.graceMs ?? DEFAULT_CLOSE_GRACE_MS;
      // Job attempts in flight finish within the same grace as requests (else their lease
      // expires and another process runs them again), before the App closes the database.
      closing ??= Promise.all([
        app.cron.stop(),
        closeServer(server, graceMs),
        app.jobs.stop({ graceMs }),
      ])
        .then(terminate)
        .then(() => app.close());
      return closing;
    },
  };
}
