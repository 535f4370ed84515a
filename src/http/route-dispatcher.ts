import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../core/app.js';
import { isSuperuser, type AuthContext } from '../core/auth/auth-context.js';
import { MfaRequired } from '../core/auth/mfa.js';
import { DEFAULT_BODY_LIMIT } from '../core/body-limits.js';
import { ApiError, type ErrorData } from '../core/errors.js';
import { fieldError } from '../core/validation-errors.js';
import { runIdempotent } from '../core/idempotency/idempotency-run.js';
import type { StoredAnswer } from '../core/idempotency/idempotency-store.js';
import { ambientScope } from '../db/ambient-transaction.js';
import type { TxScope } from '../db/transaction.js';
import {
  compileFastifyPath,
  matchPathPattern,
  samplePath,
  type PathPattern,
} from '../lib/router/path-pattern.js';
import { limitedBody } from './body-limit.js';
import { clientIp } from './client-ip.js';
import { handleNotFound } from './errors.js';
import { idempotentRequestOf, sendStoredAnswer } from './idempotency-request.js';
import { ROUTE_METHODS, type RouteAuth, type RouteEvent, type RouteMethod } from './route-event.js';
import { checkRouteResponse } from './route-response.js';
import type { RouteMatch, RouteTable } from './route-table.js';

/** A route path segment no built-in route has as a literal. */
const PROBE_SEGMENT = '%00';

/**
 * Starts recording the routes added to `server` (call it before the built-in plugins): the
 * check tells whether one of them serves every path of a pattern for a method, so that
 * {@link RouteTable} refuses a custom route they would always answer.
 */
export function recordBuiltInRoutes(server: FastifyInstance): {
  check: (method: Exclude<RouteMethod, '*'>, pattern: PathPattern) => boolean;
  serves: (method: string, path: string) => boolean;
  stop: () => void;
} {
  const routes: { methods: readonly string[]; pattern: PathPattern }[] = [];
  let recording = true;
  server.addHook('onRoute', (route) => {
    if (!recording) return;
    const methods = [route.method].flat().map((m) => m.toUpperCase());
    // Fastify answers HEAD for every GET route.
    if (methods.includes('GET')) methods.push('HEAD');
    routes.push({ methods, pattern: compileFastifyPath(route.url) });
  });
  const serves = (method: string, path: string) =>
    routes.some(
      (route) =>
        route.methods.includes(method) && matchPathPattern(route.pattern, path) !== undefined,
    );
  return {
    check: (method, pattern) => serves(method, samplePath(pattern, PROBE_SEGMENT)),
    serves,
    stop: () => {
      recording = false;
    },
  };
}

/** The URL path of a request, without its query string. */
function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query < 0 ? request.url : request.url.slice(0, query);
}

/** Refuses a request its route's `auth` option does not allow: 401 for a guest, 403 else. */
function checkAuth(option: RouteAuth | undefined, auth: AuthContext | undefined): void {
  if (option === undefined) return;
  const allowed =
    option === 'required'
      ? auth !== undefined
      : option === 'superuser'
        ? isSuperuser(auth)
        : option(auth ?? null);
  if (allowed) return;
  throw new ApiError(auth === undefined ? 401 : 403);
}

/**
 * Checks a value against a route schema; `convert` first converts strings (query, params).
 * Throws 400 with one field error per failing top-level key, as the record API does.
 */
function validated(schema: TSchema | undefined, value: unknown, convert: boolean): unknown {
  if (schema === undefined) return value;
  const input = convert ? Value.Convert(schema, value) : value;
  if (Value.Check(schema, input)) return input;
  const data: ErrorData = {};
  for (const error of Value.Errors(schema, input)) {
    const key = error.path.split('/').filter(Boolean)[0] ?? 'request';
    data[key] ??= fieldError(
      error.value === undefined ? 'validation_required' : 'validation_invalid_value',
    );
  }
  throw new ApiError('validation_failed', data);
}

/** What a handler asked to send through the reply helpers. */
type Answer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'html'; status: number; text: string }
  | { kind: 'redirect'; status: number; url: string }
  | { kind: 'none' };

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  switch (answer.kind) {
    case 'json':
      return reply
        .status(answer.status)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(answer.body));
    case 'html':
      return reply.status(answer.status).type('text/html; charset=utf-8').send(answer.text);
    case 'redirect':
      return reply.redirect(answer.url, answer.status);
    case 'none':
      return reply.status(204).send();
  }
}

/** The answer of a handler: what it asked for with a helper, else its result. */
function answerOf(asked: Answer | undefined, result: unknown): Answer {
  if (asked) return asked;
  if (result !== undefined) return { kind: 'json', status: 200, body: result };
  return { kind: 'none' };
}

/** An answer as it is stored for an Idempotency-Key (and sent again on a replay). */
function storedAnswerOf(answer: Answer): StoredAnswer {
  switch (answer.kind) {
    case 'json':
      return {
        status: answer.status,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(answer.body),
      };
    case 'html':
      return {
        status: answer.status,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: answer.text,
      };
    case 'redirect':
      return { status: answer.status, headers: { location: answer.url }, body: '' };
    case 'none':
      return { status: 204, headers: {}, body: '' };
  }
}

/** Runs a matched route: auth, schemas, the key, the handler (in a transaction if asked). */
async function runRoute(
  app: App,
  match: RouteMatch,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { route } = match;
  const { options } = route;
  checkAuth(options.auth, request.auth);
  const params = validated(options.params, match.params, true);
  const query = validated(options.query, request.query ?? {}, true);
  const body = validated(options.body, request.body, false);
  const idempotent = idempotentRequestOf(request, options.idempotency);
  let asked: Answer | undefined;
  const event = (tx: TxScope | undefined): RouteEvent<unknown, unknown> => ({
    app,
    params,
    query,
    body,
    auth: request.auth ?? null,
    isSuperuser: isSuperuser(request.auth),
    request: {
      method: request.method,
      url: request.url,
      path: pathOf(request),
      headers: request.headers,
      ip: clientIp(request, app.settings.peek().trustedProxy),
    },
    tx,
    json: (status, value) => {
      asked = { kind: 'json', status, body: value };
    },
    html: (status, text) => {
      asked = { kind: 'html', status, text };
    },
    redirect: (url, status = 302) => {
      asked = { kind: 'redirect', status, url };
    },
    noContent: () => {
      asked = { kind: 'none' };
    },
  });
  // A transactional handler holds the schema gate shared, as the records API does: a
  // collection change waits for it and it never sees half of one.
  const transaction = options.transaction
    ? (fn: (tx: TxScope) => Promise<Answer>) => app.schemaGate.shared(() => app.transaction(fn))
    : undefined;
  const handle = async (tx: TxScope | undefined): Promise<Answer> => {
    asked = undefined;
    const result: unknown = await route.handler(event(tx));
    const answer = answerOf(asked, result);
    // The 2xx JSON answer must match the route's `response` schema; in a transaction the
    // check runs before the commit, so a wrong answer rolls the route's writes back.
    if (answer.kind === 'json') {
      const name = `${route.method} ${route.pattern.source}`;
      checkRouteResponse(name, options.response, answer.status, answer.body);
    }
    return answer;
  };
  let outcome: { kind: 'replay'; answer: StoredAnswer } | { kind: 'fresh'; value: Answer };
  try {
    outcome = idempotent
      ? await runIdempotent(app, idempotent, {
          transaction,
          run: () => handle(ambientScope(app.db.db)),
          answerOf: storedAnswerOf,
        })
      : { kind: 'fresh', value: await (transaction ? transaction(handle) : handle(undefined)) };
  } catch (error) {
    if (error instanceof ApiError || error instanceof MfaRequired) throw error;
    if (app.db.isUnavailable(error)) throw error;
    // APP-LOGIC.md §4: any other error is a bug of the route: 500, its cause logged.
    throw new ApiError('internal', {}, undefined, { cause: error });
  }
  if (outcome.kind === 'replay') return sendStoredAnswer(reply, outcome.answer);
  return send(reply, outcome.value);
}

/**
 * Adds the one route that serves every custom route of `table` (after the built-in routes,
 * which Fastify's router prefers to a wildcard): it looks the request up in the table, which
 * can change while the server runs. Paths no custom route serves answer the API's 404. The
 * global hooks (token, guard, headers) run as on any route; the guard also checks the
 * matched route's `rateLimit` label, and its `bodyLimit` holds the body before it is read.
 */
export function registerRouteDispatcher(
  server: FastifyInstance,
  app: App,
  table: RouteTable,
  builtInServes: (method: string, path: string) => boolean,
): void {
  const matches = new WeakMap<FastifyRequest, RouteMatch | null>();
  const matchOf = (request: FastifyRequest): RouteMatch | null => {
    let match = matches.get(request);
    if (match === undefined) {
      match = table.match(request.method, pathOf(request)) ?? null;
      matches.set(request, match);
    }
    return match;
  };
  server.route({
    method: [...ROUTE_METHODS],
    url: '/*',
    config: {
      rateLimitLabels: (request) => {
        const label = matchOf(request)?.route.options.rateLimit;
        return label === undefined ? undefined : [label];
      },
    },
    ...limitedBody((request) => ({
      limit: matchOf(request)?.route.options.bodyLimit ?? DEFAULT_BODY_LIMIT,
      fileLimit: () => 0,
    })),
    handler: async (request, reply) => {
      const match = matchOf(request);
      if (!match) {
        // A built-in route's path reaches the wildcard only when a param is over
        // maxParamLength, which Fastify answers 400 without this route.
        if (builtInServes(request.method, pathOf(request))) throw new ApiError('bad_request');
        handleNotFound(request, reply);
        return reply;
      }
      return runRoute(app, match, request, reply);
    },
  });
}
