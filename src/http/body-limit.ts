import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import { DEFAULT_BODY_LIMIT } from '../core/body-limits.js';
import { ApiError } from '../core/errors.js';

/** How much of its body a request may make the server read and keep (API.md §0). */
export interface BodyPolicy {
  /** The most bytes of body, every part of a multipart body counted. */
  readonly limit: number;
  /** The most bytes kept of a multipart file part under `key`; 0: the part is not kept. */
  fileLimit(key: string): number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set before the body is read by routes with their own limits; null: the default. */
    bodyPolicy: BodyPolicy | null;
  }
}

/** Routes without their own limit: 32 MiB, and no files kept (no such route takes any). */
const DEFAULT_POLICY: BodyPolicy = { limit: DEFAULT_BODY_LIMIT, fileLimit: () => 0 };

/** The body policy of a request. */
export function bodyPolicyOf(request: FastifyRequest): BodyPolicy {
  return request.bodyPolicy ?? DEFAULT_POLICY;
}

/**
 * Fastify's own limit for the routes whose limit {@link limitedBody} decides per request
 * (Fastify checks JSON and form bodies against a route's fixed `bodyLimit`).
 */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

/** Passes a chunked body on, failing with 413 as soon as it passes its limit. */
class BodyCounter extends Transform {
  private received = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.limit) callback(new ApiError('too_large'));
    else callback(null, chunk);
  }
}

/**
 * Route options for a body limit decided per request before the body is read: `decide` runs
 * once the onRequest hooks (token, rate limit) have, and may refuse the request by throwing;
 * its policy is the limit for every content type. A Content-Length over the limit answers 413
 * at once; a chunked body is counted while it streams.
 */
export function limitedBody(decide: (request: FastifyRequest) => BodyPolicy): {
  bodyLimit: number;
  preParsing: (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: RequestPayload,
    done: (error: Error | null, payload?: RequestPayload) => void,
  ) => void;
} {
  return {
    bodyLimit: UNBOUNDED,
    preParsing: (request, _reply, payload, done) => {
      let policy: BodyPolicy;
      try {
        policy = decide(request);
      } catch (error) {
        done(error instanceof Error ? error : new ApiError('bad_request'));
        return;
      }
      request.bodyPolicy = policy;
      const length = request.headers['content-length'];
      if (length !== undefined) {
        // Node's parser never passes on more than the declared length.
        if (Number(length) > policy.limit) done(new ApiError('too_large'));
        else done(null, payload);
        return;
      }
      if (request.headers['transfer-encoding'] === undefined) {
        done(null, payload);
        return;
      }
      const counter = new BodyCounter(policy.limit);
      payload.on('error', (error) => counter.destroy(error));
      done(null, payload.pipe(counter));
    },
  };
}

/** Declares `request.bodyPolicy` (null: the default policy). */
export function registerBodyPolicy(server: FastifyInstance): void {
  server.decorateRequest('bodyPolicy', null);
}
