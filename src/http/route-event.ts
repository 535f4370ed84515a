import type { Static, TSchema } from '@sinclair/typebox';
import type { App } from '../core/app.js';
import type { AuthContext } from '../core/auth/auth-context.js';
import type { IdempotencyMode } from '../core/idempotency/idempotency-key.js';
import type { TxScope } from '../db/transaction.js';

/**
 * The methods a custom route may serve; `*` serves them all. OPTIONS is not one: the CORS
 * preflight answers it for every path.
 */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

/** A method of {@link ROUTE_METHODS}, or `*` for every one. */
export type RouteMethod = (typeof ROUTE_METHODS)[number] | '*';

/**
 * Who may call a route: `required` any authenticated record, `superuser` superusers only, or
 * a function of the auth record (null for a guest). A refused guest gets 401, anyone else 403.
 */
export type RouteAuth = 'required' | 'superuser' | ((auth: AuthContext | null) => boolean);

/** The path params of a route without a `params` schema. */
export type PathParams = Record<string, string>;

/** The query of a route without a `query` schema: repeated keys give arrays. */
export type QueryParams = Record<string, string | string[]>;

/** The static type of an optional schema, or `fallback` without one. */
export type SchemaType<S extends TSchema | undefined, Fallback> = S extends TSchema
  ? Static<S>
  : Fallback;

/** The options of `routerAdd`. */
export interface RouteOptions<
  B extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  P extends TSchema | undefined = undefined,
  R extends TSchema | undefined = undefined,
> {
  /** Who may call the route (default: anyone). */
  readonly auth?: RouteAuth | undefined;
  /** TypeBox schema of the body; a body that does not match answers 400 with per-field data. */
  readonly body?: B;
  /** TypeBox schema of the query (values are converted from strings first). */
  readonly query?: Q;
  /** TypeBox schema of the path params (values are converted from strings first). */
  readonly params?: P;
  /** Run the handler inside `app.transaction(...)`: a throw rolls back. */
  readonly transaction?: boolean | undefined;
  /** A rate limit label (a form settings accept), checked before the path labels. */
  readonly rateLimit?: string | undefined;
  /** The largest body accepted, in bytes (default 32 MiB); larger answers 413. */
  readonly bodyLimit?: number | undefined;
  /**
   * The `Idempotency-Key` header: `required` (400 without it) or `optional`. The first
   * request of a key runs and its answer is stored (with `transaction: true`, in the
   * handler's transaction); the same request again gets the stored answer with
   * `Idempotent-Replayed: true`, one arriving while the first runs 409, the key with another
   * method, URL or body 422. Thrown errors and 5xx answers are not stored (see docs/hooks.md).
   */
  readonly idempotency?: IdempotencyMode | undefined;
  /**
   * TypeBox schema of the 2xx JSON answer (a returned value, or `e.json` with a 2xx status).
   * It types what the handler returns, is checked on every answer (one that does not match is
   * a bug of the route: 500, logged) and describes the answer in `/api/openapi.json`.
   */
  readonly response?: R;
  /** A summary of the route in `/api/openapi.json`. */
  readonly summary?: string | undefined;
  /** A description of the route in `/api/openapi.json` (Markdown). */
  readonly description?: string | undefined;
}

/** The request as a route handler sees it. */
export interface RouteRequest {
  readonly method: string;
  /** The URL as received: path and query string. */
  readonly url: string;
  /** The URL path. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client IP, following `settings.trustedProxy`. */
  readonly ip: string;
}

/** What a custom route handler receives. */
export interface RouteEvent<Params = PathParams, Query = QueryParams, Body = unknown> {
  readonly app: App;
  readonly params: Params;
  readonly query: Query;
  /** The parsed body (JSON or urlencoded form); undefined when there is none. */
  readonly body: Body;
  /** The authenticated record, or null for a guest. */
  readonly auth: AuthContext | null;
  readonly isSuperuser: boolean;
  readonly request: RouteRequest;
  /** The transaction of a `transaction: true` route; undefined otherwise. */
  readonly tx: TxScope | undefined;
  /** Sends `body` as JSON with `status`. */
  json(status: number, body: unknown): void;
  /** Sends `text` as text/html with `status`. */
  html(status: number, text: string): void;
  /** Redirects to `url` (302 unless told). */
  redirect(url: string, status?: number): void;
  /** Sends 204 with no body. */
  noContent(): void;
}

/**
 * What a handler may return: with a `response` schema its static type (or nothing, after a
 * reply helper), possibly as a promise; without one anything.
 */
export type RouteResult<R extends TSchema | undefined> = R extends TSchema
  ? // void: a handler that only calls a reply helper has no return statement.
    // eslint-disable-next-line @typescript-eslint/no-invalid-void-type
    Static<R> | void | Promise<Static<R> | void>
  : unknown;

/**
 * A route handler. A value it returns (not undefined) is sent as JSON 200, unless it called
 * one of the reply helpers; returning nothing without a helper answers 204.
 */
export type RouteHandler<
  B extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  P extends TSchema | undefined = undefined,
  R extends TSchema | undefined = undefined,
> = (
  e: RouteEvent<SchemaType<P, PathParams>, SchemaType<Q, QueryParams>, SchemaType<B, unknown>>,
) => RouteResult<R>;

/** `routerAdd(method, path, handler, options)`. */
export type RouterAdd = <
  B extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  P extends TSchema | undefined = undefined,
  R extends TSchema | undefined = undefined,
>(
  method: RouteMethod,
  path: string,
  handler: RouteHandler<B, Q, P, R>,
  options?: RouteOptions<B, Q, P, R>,
) => void;
