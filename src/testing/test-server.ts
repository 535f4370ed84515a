import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import type { Logger } from 'pino';
import type { App } from '../core/app.js';
import { createSuperuser } from '../core/auth/superuser-admin.js';
import type { MailMessage } from '../core/mail/mail-message.js';
import type { DrainResult } from '../core/jobs/job-types.js';
import type { RecordData } from '../core/record/record-api.js';
import { createBasalt, type Basalt } from '../http/basalt.js';
import type { HooksModule } from '../http/hooks-app.js';
import { FakeClock } from './fake-clock.js';
import { createFreshDatabase, type TestEngineName } from './fresh-database.js';

/** How {@link createTestServer} starts a server. */
export interface TestServerOptions {
  /** The engine (default `sqlite`, in a temporary data directory). */
  readonly engine?: TestEngineName | undefined;
  /**
   * For `postgres` and `mysql`: the URL of a server and a user that may create databases;
   * a fresh database is created there and dropped by `close()`. Defaults: the local servers
   * (`postgres://postgres@127.0.0.1:5432/postgres`, `mysql://root@127.0.0.1:3306/mysql`).
   */
  readonly adminUrl?: string | undefined;
  /** Hooks modules, as createBasalt's `hooks`. */
  readonly hooks?: HooksModule | readonly HooksModule[] | undefined;
  /** A hooks folder (`basalt_hooks`), as createBasalt's `hooksDir`. */
  readonly hooksDir?: string | undefined;
  /** A migrations folder (`basalt_migrations`), applied at the start as createBasalt's. */
  readonly migrationsDir?: string | undefined;
  /** Where the fake clock starts (default: now). */
  readonly now?: Date | number | undefined;
  /**
   * Runs the first attempt of every transaction, rolls it back and runs it again (as a
   * deadlock retry would), so a hook with effects outside the database shows them twice.
   */
  readonly replayWriteAttempts?: boolean | undefined;
  /** A logger (silent by default). */
  readonly logger?: Logger | undefined;
}

/** The credentials of the superuser a test server signs in as. */
const SUPERUSER = { email: 'superuser@basalt.test', password: 'superuser-password-1' };

/** The password of the accounts {@link TestServer.actor} creates. */
export const ACTOR_PASSWORD = 'actor-password-1';

/** A Basalt server for an app's tests: real HTTP on a free port, a real database. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly app: App;
  readonly basalt: Basalt;
  /** The clock of jobs and cron: move it with `advance`, then `drainJobs()` / `runCron(id)`. */
  readonly clock: FakeClock;
  /** Every mail sent since the start (account mails and `app.mailer.send`), oldest first. */
  readonly mails: readonly MailMessage[];
  /** A `pocketbase` SDK client without a sign-in. */
  guest(): PocketBase;
  /** An SDK client signed in as a superuser (created on the first call). */
  superuser(): Promise<PocketBase>;
  /**
   * An SDK client signed in as the account `<name>@basalt.test` of the auth collection
   * (default `users`), created verified on the first call with `data` and the password
   * ACTOR_PASSWORD; later calls sign in to the same account.
   */
  actor(name: string, options?: { collection?: string; data?: RecordData }): Promise<PocketBase>;
  /**
   * Runs every job due at the clock's time in this process, one at a time, until none is
   * due (retries included once the clock passed their backoff); resolves with the counts.
   */
  drainJobs(): Promise<DrainResult>;
  /** Runs the cron job `id` now, as `POST /api/crons/{id}` does, and waits for it. */
  runCron(id: string): Promise<void>;
  /** Stops the server and removes its data directory and database. */
  close(): Promise<void>;
}

function sdk(url: string): PocketBase {
  const pb = new PocketBase(url);
  pb.autoCancellation(false);
  return pb;
}

/**
 * Starts Basalt as an app's tests need it: on a free port of 127.0.0.1 over a temporary
 * SQLite database (or a fresh PostgreSQL/MariaDB database), with a fake clock, the mails
 * kept, and no cron or job worker of its own (the test runs them: `runCron`, `drainJobs`).
 */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const engine = options.engine ?? 'sqlite';
  const dir = mkdtempSync(join(tmpdir(), 'basalt-testing-'));
  const database = await createFreshDatabase(engine, options.adminUrl);
  const clock = new FakeClock(options.now);
  const mails: MailMessage[] = [];
  let basalt: Basalt;
  try {
    basalt = await createBasalt({
      dataDir: dir,
      db: database.url,
      logger: options.logger,
      hooks: options.hooks,
      hooksDir: options.hooksDir,
      clock,
      migrationsDir: options.migrationsDir,
      replayWriteAttempts: options.replayWriteAttempts,
      // The test runs jobs and crons itself (drainJobs, runCron), on the fake clock.
      jobs: { disabled: true },
      cron: { disabled: true },
    });
  } catch (error) {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { app } = basalt;
  app.hooks.onMailerSend.bind({
    id: 'basalt-testing-mails',
    priority: -1_000_000,
    fn: async (e) => {
      await e.next();
      mails.push(e.message);
    },
  });
  const { url } = await basalt.listen({ host: '127.0.0.1', port: 0 });
  const actors = new Set<string>();
  let superuserCreated = false;
  return {
    url,
    app,
    basalt,
    clock,
    mails,
    guest: () => sdk(url),
    async superuser() {
      if (!superuserCreated) {
        await createSuperuser(app, SUPERUSER.email, SUPERUSER.password);
        superuserCreated = true;
      }
      const pb = sdk(url);
      await pb.collection('_superusers').authWithPassword(SUPERUSER.email, SUPERUSER.password);
      return pb;
    },
    async actor(name, actorOptions = {}) {
      const collection = actorOptions.collection ?? 'users';
      const email = `${name}@basalt.test`;
      const key = `${collection}\n${email}`;
      if (!actors.has(key)) {
        await app.records(collection).create({
          ...actorOptions.data,
          email,
          password: ACTOR_PASSWORD,
          passwordConfirm: ACTOR_PASSWORD,
          verified: true,
        });
        actors.add(key);
      }
      const pb = sdk(url);
      await pb.collection(collection).authWithPassword(email, ACTOR_PASSWORD);
      return pb;
    },
    drainJobs: () => app.jobs.drain(),
    runCron: (id) => app.cron.run(id),
    async close() {
      try {
        await basalt.close({ graceMs: 1000 });
      } finally {
        await database.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
