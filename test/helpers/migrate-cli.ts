import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import type PocketBase from 'pocketbase';
import { openSite, type Site } from './basalt-site.js';
import {
  captureState,
  seedSite,
  superuserClient,
  SUPERUSER,
  USER,
  type SiteState,
} from './copy-fixture.js';

const BIN = join(import.meta.dirname, '..', '..', 'dist', 'basalt.mjs');

/** Runs the built `basalt migrate-data --from --to` (stderr is a pipe: plain progress lines). */
export function migrateCli(from: string, to: string) {
  const res = spawnSync(process.execPath, [BIN, 'migrate-data', `--from=${from}`, `--to=${to}`], {
    encoding: 'utf8',
    env: { ...process.env, BASALT_LOG_LEVEL: 'warn' },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** A seeded source data directory, what its API showed, and a token it issued. */
export interface SeededSource {
  readonly dir: string;
  readonly state: SiteState;
  readonly superuserToken: string;
}

/**
 * Seeds a SQLite data directory (see seedSite), then lets `more` add to it through the SDK
 * or by hand (`site.app.db`), e.g. values another engine refuses.
 */
export async function seedSourceWith(
  dir: string,
  bulkRows: number,
  more: (site: Site, pb: PocketBase) => Promise<void>,
): Promise<void> {
  const site = await openSite(dir);
  try {
    await seedSite(site, bulkRows);
    await more(site, await superuserClient(site));
  } finally {
    await site.close();
  }
}

/** Seeds a SQLite data directory (see seedSite) and records what its API shows. */
export async function seedSourceDir(dir: string, bulkRows: number): Promise<SeededSource> {
  const site = await openSite(dir);
  try {
    await seedSite(site, bulkRows);
    const state = await captureState(site);
    const superuserToken = (await superuserClient(site)).authStore.token;
    return { dir, state, superuserToken };
  } finally {
    await site.close();
  }
}

/**
 * Opens a copy (a data directory, or a database URL with a directory beside it) and checks
 * that its API shows what the source's did, that its accounts log in, and that a token the
 * source issued still works (token keys and collection secrets came along).
 */
export async function expectSameSite(
  source: SeededSource,
  dir: string,
  databaseUrl?: string,
): Promise<void> {
  const site = await openSite(dir, databaseUrl);
  try {
    expect(await captureState(site)).toEqual(source.state);
    const user = site.client();
    const auth = await user.collection('users').authWithPassword(USER.email, USER.password);
    expect(auth.record.email).toBe(USER.email);
    const admin = site.client();
    await admin.collection('_superusers').authWithPassword(SUPERUSER.email, SUPERUSER.password);
    admin.authStore.save(source.superuserToken);
    expect((await admin.collections.getOne('everything')).name).toBe('everything');
  } finally {
    await site.close();
  }
}
