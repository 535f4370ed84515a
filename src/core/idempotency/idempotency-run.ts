import type { Executor } from '../../db/adapter.js';
import type { TxScope } from '../../db/transaction.js';
import type { App } from '../app.js';
import { ApiError } from '../errors.js';
import {
  deleteExpiredKeys,
  holdClaim,
  insertClaim,
  newOwner,
  readKey,
  releaseClaim,
  storeAnswer,
  takeOverClaim,
  type StoredAnswer,
} from './idempotency-store.js';

/** One request's key: its row id (scope and key hashed) and its fingerprint. */
export interface IdempotentRequest {
  readonly id: string;
  readonly fingerprint: string;
}

/** What an idempotent request answers: a stored answer replayed, or its handler's own. */
export type IdempotentOutcome<T> =
  | { readonly kind: 'replay'; readonly answer: StoredAnswer }
  | { readonly kind: 'fresh'; readonly value: T };

/** How to run the work of an idempotent request. */
export interface IdempotentWork<T> {
  /**
   * Opens the transaction the handler runs in (e.g. `(fn) => app.transaction(fn)`): the
   * stored answer is written in it, so the effect and the answer commit together. Undefined
   * for a handler that runs outside a transaction: its answer is stored after it, on its own
   * (a crash in between lets a retry run the handler again once the lease is over).
   */
  readonly transaction: ((fn: (tx: TxScope) => Promise<T>) => Promise<T>) | undefined;
  /** The handler; inside `transaction` when there is one. */
  run(): Promise<T>;
  /** The answer the handler's result will be sent as (stored unless its status is 5xx). */
  answerOf(value: T): StoredAnswer;
}

/** A 5xx answer: its transaction rolled back and nothing stored, so a retry runs again. */
class UnstoredAnswer extends Error {
  constructor() {
    super('a 5xx answer is not stored');
  }
}

/** How many times a claim is tried when other requests keep changing the key's row. */
const CLAIM_ATTEMPTS = 5;

/**
 * Claims the key for a new owner, or tells what the request answers instead: a replay of
 * the stored answer, 409 while another request holds the key, 422 when the key was used for
 * a different request. Committed on its own, before the handler's transaction.
 */
async function claimKey(
  app: App,
  request: IdempotentRequest,
  leaseMs: number,
): Promise<{ kind: 'claimed'; owner: string } | { kind: 'replay'; answer: StoredAnswer }> {
  const owner = newOwner();
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const now = app.clock.now();
    const claim = { ...request, owner, now, leaseMs };
    const state = await readKey(app.db.db, request.id, request.fingerprint, now);
    switch (state.kind) {
      case 'absent':
        if (await insertClaim(app.db, app.db.db, claim)) return { kind: 'claimed', owner };
        continue;
      case 'reused':
        throw new ApiError('idempotency_key_reused');
      case 'done':
        return { kind: 'replay', answer: state.answer };
      case 'in_flight':
        if (!state.leaseOver) throw new ApiError('idempotency_key_in_flight');
        break;
      case 'expired':
        break;
    }
    if (await takeOverClaim(app.db.db, claim)) return { kind: 'claimed', owner };
  }
  throw new ApiError('idempotency_key_in_flight');
}

/** Frees a claim after a failure; a failure to free it is logged (the lease ends it). */
async function release(app: App, request: IdempotentRequest, owner: string): Promise<void> {
  try {
    await releaseClaim(app.db.db, request.id, owner);
  } catch (error) {
    app.logger.warn({ err: error }, 'releasing an idempotency key failed');
  }
}

/**
 * Runs one request that carries an Idempotency-Key (APP-LOGIC.md §5): the first request of a
 * key claims it and runs; the same request again gets the stored answer (`replay`); one that
 * comes while the first still runs gets 409; the key with another request 422.
 *
 * With a transaction the claim is confirmed and locked at its start and the answer written
 * before its commit, so the effect and the answer commit together, and a retry after a
 * rollback or a crash (once the lease is over) runs the handler again: exactly one effect.
 * A thrown error and a 5xx answer store nothing and free the key.
 */
export async function runIdempotent<T>(
  app: App,
  request: IdempotentRequest,
  work: IdempotentWork<T>,
): Promise<IdempotentOutcome<T>> {
  const leaseMs = app.idempotencyLeaseMs;
  const claim = await claimKey(app, request, leaseMs);
  if (claim.kind === 'replay') return claim;
  const { owner } = claim;
  // The handler's result when its 5xx answer rolled back (sent, not stored).
  let unstored: { value: T } | undefined;
  const check = async (exec: Executor, result: T): Promise<void> => {
    const answer = work.answerOf(result);
    if (answer.status >= 500) {
      unstored = { value: result };
      throw new UnstoredAnswer();
    }
    const stored = await storeAnswer(exec, request.id, owner, answer);
    // Inside a transaction a lost claim undoes the effect; outside, the effect is done.
    if (!stored && work.transaction) throw new ApiError('idempotency_key_in_flight');
  };
  try {
    const value = work.transaction
      ? await work.transaction(async (tx) => {
          const held = await holdClaim(tx.db, request.id, owner, app.clock.now() + leaseMs);
          if (!held) throw new ApiError('idempotency_key_in_flight');
          const result = await work.run();
          await check(tx.db, result);
          return result;
        })
      : await work.run().then(async (result) => {
          await check(app.db.db, result);
          return result;
        });
    return { kind: 'fresh', value };
  } catch (error) {
    await release(app, request, owner);
    if (error instanceof UnstoredAnswer && unstored)
      return { kind: 'fresh', value: unstored.value };
    throw error;
  }
}

/**
 * Deletes the Idempotency-Keys older than 24 hours (IDEMPOTENCY_TTL_MS) and returns how
 * many: for a cron job. Requests already treat an expired key as absent.
 */
export function deleteExpiredIdempotencyKeys(app: App): Promise<number> {
  return deleteExpiredKeys(app.db.db, app.clock.now());
}
