import type { DbAdapter, Executor } from '../../db/adapter.js';
import { randomString } from '../../lib/security/random.js';

/** The system table of Idempotency-Keys (migration `0009_idempotency`). */
export const IDEMPOTENCY_TABLE = '_idempotencyKeys';

/** How long a key and its stored answer are kept: 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** How long a claim holds a key by default before another request may take it over: 60 s. */
export const DEFAULT_IDEMPOTENCY_LEASE_MS = 60_000;

/** A claim's state while its request runs, and once its answer is stored. */
const IN_FLIGHT = 'in_flight';
const DONE = 'done';

/** The answer stored for a key and sent again on a replay. */
export interface StoredAnswer {
  readonly status: number;
  /** The headers worth replaying (content type, location...), lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body text ('' for none). */
  readonly body: string;
}

/** A stored key as a new request finds it. */
export type KeyState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'reused' }
  | { readonly kind: 'done'; readonly answer: StoredAnswer }
  | { readonly kind: 'in_flight'; readonly leaseOver: boolean };

/** Creates `_idempotencyKeys` and its expiry index (the migration). */
export async function createIdempotencyTable(adapter: DbAdapter, exec: Executor): Promise<void> {
  await adapter.createTable(exec, IDEMPOTENCY_TABLE, [
    { name: 'id', kind: 'primaryKey' },
    { name: 'owner', kind: 'text' },
    { name: 'fingerprint', kind: 'text' },
    { name: 'state', kind: 'text' },
    { name: 'leaseUntil', kind: 'number' },
    { name: 'expires', kind: 'number' },
    { name: 'status', kind: 'number' },
    { name: 'headers', kind: 'text' },
    { name: 'body', kind: 'text' },
    { name: 'created', kind: 'number' },
  ]);
  await adapter.createIndex(exec, {
    name: 'idx_idempotencyKeys_expires',
    table: IDEMPOTENCY_TABLE,
    unique: false,
    columns: [{ name: 'expires' }],
  });
}

function parseHeaders(text: string): Record<string, string> {
  const value: unknown = text === '' ? {} : JSON.parse(text);
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [name, v] of Object.entries(value)) if (typeof v === 'string') out[name] = v;
  return out;
}

/** What a request with `fingerprint` finds stored under `id` at time `now`. */
export async function readKey(
  exec: Executor,
  id: string,
  fingerprint: string,
  now: number,
): Promise<KeyState> {
  const row = await exec
    .selectFrom('_idempotencyKeys')
    .select(['fingerprint', 'state', 'leaseUntil', 'expires', 'status', 'headers', 'body'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return { kind: 'absent' };
  if (row.expires <= now) return { kind: 'expired' };
  if (row.fingerprint !== fingerprint) return { kind: 'reused' };
  if (row.state === DONE) {
    const answer = {
      status: row.status,
      headers: parseHeaders(row.headers),
      body: row.body,
    };
    return { kind: 'done', answer };
  }
  return { kind: 'in_flight', leaseOver: row.leaseUntil <= now };
}

/** A new random claim owner. */
export function newOwner(): string {
  return randomString(24);
}

/** A claim's key. */
type Claim = { id: string; owner: string; fingerprint: string; now: number; leaseMs: number };

/** The columns of a key just claimed by `claim` (in flight, no answer yet). */
function claimedRow(claim: Claim) {
  return {
    owner: claim.owner,
    fingerprint: claim.fingerprint,
    state: IN_FLIGHT,
    leaseUntil: claim.now + claim.leaseMs,
    expires: claim.now + IDEMPOTENCY_TTL_MS,
    status: 0,
    headers: '',
    body: '',
    created: claim.now,
  };
}

/** Inserts a claim; false when the key exists (another request inserted it first). */
export async function insertClaim(
  adapter: Pick<DbAdapter, 'isUniqueViolation'>,
  exec: Executor,
  claim: Claim,
): Promise<boolean> {
  try {
    await exec
      .insertInto('_idempotencyKeys')
      .values({ id: claim.id, ...claimedRow(claim) })
      .execute();
    return true;
  } catch (error) {
    if (adapter.isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * Takes over a key whose claim's lease is over (its request crashed or gave up) or whose row
 * expired: one conditional UPDATE, so of two requests taking over only one gets the row.
 */
export async function takeOverClaim(exec: Executor, claim: Claim): Promise<boolean> {
  const result = await exec
    .updateTable('_idempotencyKeys')
    .set(claimedRow(claim))
    .where('id', '=', claim.id)
    .where((eb) =>
      eb.or([
        eb('expires', '<=', claim.now),
        eb.and([eb('state', '=', IN_FLIGHT), eb('leaseUntil', '<=', claim.now)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Confirms, inside the handler's transaction, that `owner` still holds the claim, and locks
 * its row until the transaction ends (PostgreSQL, MariaDB; SQLite's writer is alone anyway):
 * a takeover then waits for this transaction and finds its answer. False when another
 * request took the key over.
 */
export async function holdClaim(
  exec: Executor,
  id: string,
  owner: string,
  leaseUntil: number,
): Promise<boolean> {
  const result = await exec
    .updateTable('_idempotencyKeys')
    .set({ leaseUntil })
    .where('id', '=', id)
    .where('owner', '=', owner)
    .where('state', '=', IN_FLIGHT)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Stores the answer of `owner`'s claim; false when the claim is no longer its own. */
export async function storeAnswer(
  exec: Executor,
  id: string,
  owner: string,
  answer: StoredAnswer,
): Promise<boolean> {
  const result = await exec
    .updateTable('_idempotencyKeys')
    .set({
      state: DONE,
      status: answer.status,
      headers: JSON.stringify(answer.headers),
      body: answer.body,
    })
    .where('id', '=', id)
    .where('owner', '=', owner)
    .where('state', '=', IN_FLIGHT)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Frees `owner`'s claim (its request failed): a retry with the key runs again. */
export async function releaseClaim(exec: Executor, id: string, owner: string): Promise<void> {
  await exec
    .deleteFrom('_idempotencyKeys')
    .where('id', '=', id)
    .where('owner', '=', owner)
    .where('state', '=', IN_FLIGHT)
    .execute();
}

/**
 * Deletes the keys that expired by `now` (24 hours after their claim) and returns how many.
 * A cron job runs it; a request also ignores and replaces an expired key it meets.
 */
export async function deleteExpiredKeys(exec: Executor, now: number): Promise<number> {
  const result = await exec
    .deleteFrom('_idempotencyKeys')
    .where('expires', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
