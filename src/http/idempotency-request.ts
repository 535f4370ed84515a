import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  idempotencyRowId,
  idempotencyScope,
  readIdempotencyKey,
  requestFingerprint,
  type IdempotencyMode,
} from '../core/idempotency/idempotency-key.js';
import type { App } from '../core/app.js';
import { runIdempotent, type IdempotentRequest } from '../core/idempotency/idempotency-run.js';
import type { StoredAnswer } from '../core/idempotency/idempotency-store.js';

/**
 * The Idempotency-Key of a request under `mode` (undefined without one when optional), with
 * the caller's scope and the request's fingerprint: method, URL, canonical body and, for
 * multipart bodies, the file parts. 400 for a missing (required) or malformed key.
 */
export function idempotentRequestOf(
  request: FastifyRequest,
  mode: IdempotencyMode | undefined,
): IdempotentRequest | undefined {
  if (mode === undefined) return undefined;
  const key = readIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER], mode);
  if (key === undefined) return undefined;
  return {
    id: idempotencyRowId(idempotencyScope(request.auth), key),
    fingerprint: requestFingerprint({
      method: request.method,
      url: request.url,
      body: request.body,
      files: request.uploads ?? undefined,
    }),
  };
}

/**
 * Sends a stored answer again, marked `Idempotent-Replayed: true`. With `serialize`, a JSON
 * body is sent as its value, so the reply's serializer (the `fields` projection) applies as
 * it did to the first answer.
 */
export function sendStoredAnswer(
  reply: FastifyReply,
  answer: StoredAnswer,
  serialize = false,
): FastifyReply {
  reply.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
  reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  if (answer.body === '') return reply.send();
  return reply.send(serialize ? (JSON.parse(answer.body) as unknown) : answer.body);
}

/** The record's ETag a create answer carries (setRecordEtag), to store with the answer. */
function recordTagOf(reply: FastifyReply): Record<string, string> {
  const etag = reply.getHeader('etag');
  if (typeof etag !== 'string') return {};
  return { etag, 'access-control-expose-headers': 'ETag' };
}

/**
 * Runs a record create (`run`) under the collection's `idempotency` option: without a key
 * it just runs; with one, in a transaction that also stores its JSON answer, or the stored
 * answer is replayed (see runIdempotent).
 */
export async function idempotentCreate(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  collection: string,
  run: () => Promise<unknown>,
): Promise<unknown> {
  const idempotent = idempotentRequestOf(request, app.collections.find(collection)?.idempotency);
  if (!idempotent) return run();
  const outcome = await runIdempotent(app, idempotent, {
    transaction: (fn) => app.transaction(fn),
    run,
    answerOf: (value) => ({
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', ...recordTagOf(reply) },
      body: JSON.stringify(value),
    }),
  });
  if (outcome.kind === 'replay') return sendStoredAnswer(reply, outcome.answer, true);
  return outcome.value;
}
