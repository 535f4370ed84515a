import { mkdirSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { DbAdapter, QueryListener } from '../db/adapter.js';
import { recoverSchemaChanges, runMigrations } from '../db/migrator.js';
import { openAdapter } from '../db/open-adapter.js';
import { ambientScope } from '../db/ambient-transaction.js';
import { runInSavepoint } from '../db/savepoint.js';
import {
  runInTransaction,
  type AfterCommit,
  type TransactionOptions,
  type TransactionTimeLimitError,
  type TxScope,
} from '../db/transaction.js';
import { systemClock, type Clock } from '../lib/clock.js';
import { SecretBox } from '../lib/security/secret-box.js';
import { CollectionRegistry } from './collection/collection-registry.js';
import { SchemaGate } from './collection/schema-gate.js';
import type { FileStorage } from './files/file-storage.js';
import { openFileStorage } from './files/open-storage.js';
import { ThumbMaker } from './files/file-thumbs.js';
import { Mailer } from './mail/mailer.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { SendThrottle } from './auth/send-throttle.js';
import { FixedWindowLimiter } from './rate-limit/rate-limit-window.js';
import { AppHooks } from './hooks/app-hooks.js';
import { DEFAULT_IDEMPOTENCY_LEASE_MS } from './idempotency/idempotency-store.js';
import { CronScheduler } from './cron/cron-scheduler.js';
import { registerSystemCrons } from './cron/system-crons.js';
import { EmptyListGuard } from './record/empty-list-guard.js';
import { loadRecordEtagKey } from './record/record-etag-key.js';
import { recordsApi, type RecordData, type RecordsApi } from './record/record-api.js';
import type { RecordJson } from './record/record-model.js';
import { getForUpdate, lockRecords, updateWhere } from './record/record-guarded.js';
import type { RecordFilter } from './record/record-trusted.js';
import type { FilterParams } from './rules/rule-compiler.js';
import { Realtime, type RealtimeOptions } from './realtime/realtime.js';
import { SYSTEM_MIGRATIONS } from './migrations/system-migrations.js';
import type { S3Settings } from './settings/settings-model.js';
import { SettingsStore } from './settings/settings-store.js';
import { Jobs } from './jobs/jobs.js';
import type { EnqueueOptions } from './jobs/job-types.js';
import { isScope, type TransactionCallOptions } from './transaction-call.js';

/** How to start an App. */
export interface AppConfig {
  /** The data directory: the SQLite file, and later uploaded files and mail. */
  readonly dataDir: string;
  /** A database server URL (`postgres://...`, `mysql://...`); the SQLite file in `dataDir` when omitted. */
  readonly databaseUrl?: string | undefined;
  /** The logger; a silent one when omitted. */
  readonly logger?: Logger;
  /** Encrypts the secret settings at rest when set (BASALT_ENCRYPTION_KEY); any string. */
  readonly encryptionKey?: string | undefined;
  /** Called with every executed query (diagnostics and tests). */
  readonly onQuery?: QueryListener;
  /** Realtime limits: idle timeout, maximum lifetime, per-client queue (defaults as PocketBase). */
  readonly realtime?: RealtimeOptions;
  /**
   * Milliseconds an `app.transaction(...)` may run (DEFAULT_TRANSACTION_TIME_LIMIT_MS, 30 s,
   * when omitted; 0 for no limit). Past it the transaction is rolled back, its code gets a
   * TransactionTimeLimitError (its later queries too) and a warning is logged. Collection
   * (schema) changes have no limit.
   */
  readonly transactionTimeLimitMs?: number;
  /** The clock of scheduled work (jobs, cron); the system clock when omitted. */
  readonly clock?: Clock;
  /**
   * Runs the first attempt of every transaction, rolls it back and runs it again (as a
   * retry after a deadlock would): a test switch that shows code which is not safe to
   * re-run (`basalt/testing`). Off by default.
   */
  readonly replayWriteAttempts?: boolean;
  /**
   * Milliseconds an Idempotency-Key claim holds its key while its request runs
   * (DEFAULT_IDEMPOTENCY_LEASE_MS, 60 s, when omitted): after a crash, a retry with the key
   * gets 409 until then, and runs afterwards.
   */
  readonly idempotencyLeaseMs?: number;
}

/** The default of AppConfig.transactionTimeLimitMs: 30 seconds. */
export const DEFAULT_TRANSACTION_TIME_LIMIT_MS = 30_000;

/**
 * The App container: configuration, database, collections and settings. Everything that
 * needs them receives the App explicitly; there are no module-level singletons, so a test can
 * run several apps in one process.
 */
export class App {
  readonly collections = new CollectionRegistry();
  /** Record requests hold it shared, collection changes alone (see SchemaGate). */
  readonly schemaGate = new SchemaGate();
  readonly emptyListGuard = new EmptyListGuard();
  readonly accountMailThrottle = new SendThrottle();
  /** OTP sign-in attempts per record (API.md §4: more than five in 180 s answer 429). */
  readonly otpAttempts = new FixedWindowLimiter(10_000);
  /** When each collection's expired OTPs were last deleted (at most once a minute). */
  readonly otpSweeps = new SendThrottle(60_000);
  /** Failed sign-ins per identity and per client IP (settings `authThrottle`). */
  readonly loginThrottle = new LoginThrottle();
  readonly settings: SettingsStore;
  readonly mailer: Mailer;
  /** Seals secrets at rest (settings, OAuth2 client secrets) when BASALT_ENCRYPTION_KEY is set. */
  readonly secretBox: SecretBox | undefined;
  /** The hooks (APP-LOGIC.md §2): record writes, requests, output, start and stop, mail. */
  readonly hooks = new AppHooks();
  /** The realtime broker (SSE clients, subscriptions, custom topics via `send`). */
  readonly realtime: Realtime;
  /** The clock of scheduled work: jobs' `runAt`, leases and backoff, cron ticks. */
  readonly clock: Clock;
  /**
   * The cron jobs (app's and system's) and their scheduler: `add`, `remove`, `list`, `run(id)`,
   * `runDue()`, `start()`/`stop()` (createBasalt starts it after onBootstrap).
   */
  readonly cron: CronScheduler;

  /** How long an Idempotency-Key claim holds its key (AppConfig.idempotencyLeaseMs). */
  get idempotencyLeaseMs(): number {
    return this.config.idempotencyLeaseMs ?? DEFAULT_IDEMPOTENCY_LEASE_MS;
  }
  /**
   * Durable jobs (APP-LOGIC.md §5): handlers by name (`jobs.add`, `jobAdd` in hooks), the
   * workers (`start`/`stop`, started by createBasalt), `drain()` for tests.
   */
  readonly jobs: Jobs = new Jobs(this);

  /** Thumbs made on demand (API.md §6), one rendering per thumb at a time. */
  readonly thumbs = new ThumbMaker();
  private etagKey: string | undefined;
  private storage:
    | { readonly key: string; readonly s3: Readonly<S3Settings>; readonly storage: FileStorage }
    | undefined;

  private constructor(
    readonly config: AppConfig,
    readonly db: DbAdapter,
    readonly logger: Logger,
  ) {
    const box = config.encryptionKey ? new SecretBox(config.encryptionKey) : undefined;
    this.secretBox = box;
    this.settings = new SettingsStore(db, box);
    this.mailer = new Mailer(this);
    this.realtime = new Realtime(this);
    this.clock = config.clock ?? systemClock;
    this.cron = new CronScheduler(this);
    registerSystemCrons(this, this.cron);
  }

  /**
   * An App over a database that is already open, neither migrated nor loaded: for tools that
   * apply the system migrations inside a transaction of their own (`migrate-data`).
   */
  static over(config: AppConfig, db: DbAdapter): App {
    return new App(config, db, config.logger ?? pino({ level: 'silent' }));
  }

  /**
   * Opens the database, recovers schema changes a stopped process left half made, applies
   * pending system migrations and loads the collections.
   */
  static async open(config: AppConfig): Promise<App> {
    mkdirSync(config.dataDir, { recursive: true });
    const logger = config.logger ?? pino({ level: 'silent' });
    const db = await openAdapter({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      onQuery: config.onQuery,
      onConnectionError: (error) => {
        // The request that used the connection fails with the same error; this is the trace.
        logger.warn({ err: error }, 'database connection lost');
      },
    });
    const app = new App(config, db, logger);
    try {
      const recovered = await recoverSchemaChanges(db);
      if (recovered && recovered.finished + recovered.undone > 0) {
        logger.warn(recovered, 'recovered schema changes interrupted by a stop');
      }
      const applied = await runMigrations(db, SYSTEM_MIGRATIONS, (tx) => ({ app, tx }));
      if (applied.length > 0) logger.info({ migrations: applied }, 'applied system migrations');
      await app.collections.reload(db.db);
      await app.settings.load();
      app.etagKey = await loadRecordEtagKey(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
    return app;
  }

  /**
   * The key of record ETags (`core/record/record-etag.ts`), loaded by `open` (made on the
   * first start). An App made by `over` (migrate-data) has none and serves no records.
   */
  get recordEtagKey(): string {
    if (this.etagKey === undefined) throw new Error('this App was not opened: no record ETag key');
    return this.etagKey;
  }

  /**
   * Runs `fn` once the transaction the caller runs inside (a hook, a route with
   * `transaction`, `app.transaction`) has committed, and never if it rolls back; outside a
   * transaction, on the next turn of the event loop. Its errors are logged.
   */
  afterCommit(fn: AfterCommit): void {
    const scope = ambientScope(this.db.db);
    if (scope) {
      scope.afterCommit(fn);
      return;
    }
    setImmediate(() => {
      Promise.resolve()
        .then(fn)
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'an after-commit callback failed');
        });
    });
  }

  /**
   * Runs `fn` in a database transaction (or inside `outer`, else the ambient transaction the
   * caller runs in), with after-commit callbacks whose failures are logged: they cannot undo a
   * commit. An outermost transaction is aborted after `config.transactionTimeLimitMs`; pass
   * `{ outer, timeLimitMs }` instead of `outer` to choose another limit (0 for none), e.g.
   * `noTimeLimit(outer)`.
   */
  transaction<T>(
    fn: (scope: TxScope) => Promise<T>,
    outer?: TxScope | TransactionCallOptions,
  ): Promise<T> {
    const call: TransactionCallOptions = outer === undefined || isScope(outer) ? { outer } : outer;
    return runInTransaction(this.db, fn, this.transactionOptions(call));
  }

  private transactionOptions(call: TransactionCallOptions): TransactionOptions {
    const { outer, timeLimitMs } = call;
    return {
      outer,
      oneWrite: call.oneWrite,
      replayFirstAttempt: this.config.replayWriteAttempts,
      onCallbackError: (error) => {
        this.logger.error({ err: error }, 'an after-commit callback failed');
      },
      timeLimitMs:
        timeLimitMs ?? this.config.transactionTimeLimitMs ?? DEFAULT_TRANSACTION_TIME_LIMIT_MS,
      onTimeLimit: (error: TransactionTimeLimitError) => {
        this.logger.warn(
          { err: error, limitMs: error.limitMs },
          'a transaction ran past its time limit and was rolled back',
        );
      },
    };
  }

  /**
   * Runs `fn` inside a savepoint of the current transaction: a throw rolls back only `fn`'s
   * work and is rethrown, and the transaction stays usable (on PostgreSQL too, after a failed
   * statement). After-commit callbacks queued in `fn` are dropped when it throws. Outside a
   * transaction, `fn` runs in a transaction of its own.
   */
  savepoint<T>(fn: (scope: TxScope) => Promise<T>): Promise<T> {
    return runInSavepoint(this.db, fn, this.transactionOptions({}));
  }

  /**
   * Enqueues a durable job (see Jobs.enqueue) and returns its id: inside a transaction the
   * job row is written in it, so the job exists if and only if the transaction commits.
   * `runAt` delays it; `key` deduplicates it (the stored job's id is returned).
   *
   * @example
   * app.onRecordCreate('orders', async (e) => {
   *   await e.next();
   *   await e.app.enqueue('send-receipt', { order: e.record.id }, { key: `receipt:${e.record.id}` });
   * });
   */
  enqueue(name: string, payload: unknown, options?: EnqueueOptions): Promise<string> {
    return this.jobs.enqueue(name, payload, options);
  }

  /**
   * The records of a collection (id or name) for the app's own code: `getOne`, `getFirst`,
   * `list`, `create`, `update`, `delete`, rules bypassed, joining the ambient transaction
   * (see RecordsApi).
   */
  records(collectionIdOrName: string): RecordsApi {
    return recordsApi(this, collectionIdOrName);
  }

  /**
   * Updates with `patch` (REST-style data, `field+`/`field-` modifiers included) every record
   * of `collection` that the filter `match` selects and for which the filter `guard` holds,
   * checked again on each locked record, and returns how many changed (0 when none). Filters
   * are the rule language; `{:name}` placeholders of text filters take their values from
   * `params`, those of `{ filter, params }` filters from their own `params`.
   *
   * @example
   * const sold = await app.updateWhere('products', 'id = {:id}', { 'stock-': 1 }, 'stock >= 1', { id });
   * if (sold === 0) throw new BadRequestError('Out of stock.');
   */
  updateWhere(
    collection: string,
    match: RecordFilter,
    patch: RecordData,
    guard?: RecordFilter,
    params?: FilterParams,
  ): Promise<number> {
    return updateWhere(this, collection, match, patch, guard, params);
  }

  /**
   * Reads a record and locks it until the current transaction ends. Must be called inside
   * `app.transaction(...)` (else it throws); 404 when the record does not exist.
   */
  getForUpdate(collection: string, id: string): Promise<RecordJson> {
    return getForUpdate(this, collection, id);
  }

  /**
   * Locks records until the current transaction ends, sorted by id, with one locking select.
   * Must be called inside `app.transaction(...)` (else it throws). Returns the ids found.
   */
  lock(collection: string, ids: readonly string[]): Promise<string[]> {
    return lockRecords(this, collection, ids);
  }

  /**
   * The file storage the settings select (API.md §6): the local folder `<dataDir>/storage`,
   * or S3 when `s3.enabled`. A change of the S3 settings opens the new storage on next use.
   */
  fileStorage(): FileStorage {
    // `peek` is the settings object itself, replaced on every update: compare it by identity.
    const s3 = this.settings.peek().s3;
    if (this.storage?.s3 !== s3) {
      const key = s3.enabled ? JSON.stringify(s3) : 'local';
      if (this.storage?.key !== key) {
        const previous = this.storage?.storage;
        const storage = openFileStorage(this.settings.peek(), this.config.dataDir);
        this.storage = { key, s3, storage };
        previous?.close().catch((error: unknown) => {
          this.logger.warn({ err: error }, 'closing the previous file storage failed');
        });
      } else {
        this.storage = { ...this.storage, s3 };
      }
    }
    return this.storage.storage;
  }

  /**
   * Stops the job workers (if started) and the cron scheduler (waiting for its runs), then
   * closes the database and the file storage.
   */
  async close(): Promise<void> {
    await Promise.all([this.jobs.stop(), this.cron.stop()]);
    this.realtime.closeAll();
    await this.storage?.storage.close();
    await this.db.destroy();
  }
}
