import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { App } from '../core/app.js';
import { DEFAULT_BODY_LIMIT } from '../core/body-limits.js';
import { registerBodyPolicy } from './body-limit.js';
import { registerBodyParsers } from './body-parsers.js';
import { registerCorsPreflight } from './cors-preflight.js';
import { registerFieldsProjection } from './fields-projection.js';
import { registerMultipart } from './multipart-body.js';
import { errorHandler, handleFrameworkError, handleNotFound } from './errors.js';
import { drainHttpServer, trackConnections } from './graceful-close.js';
import { batchPlugin } from './plugins/batch.js';
import { filesPlugin } from './plugins/files.js';
import { collectionsPlugin } from './plugins/collections.js';
import { cronsPlugin } from './plugins/crons.js';
import { healthPlugin } from './plugins/health.js';
import { jobsPlugin } from './plugins/jobs.js';
import { openapiPlugin } from './plugins/openapi.js';
import { recordAuthPlugin } from './plugins/record-auth.js';
import { accountFlowsPlugin } from './plugins/account-flows.js';
import { recordsPlugin } from './plugins/records.js';
import { realtimePlugin } from './plugins/realtime.js';
import { settingsPlugin } from './plugins/settings.js';
import { registerRequestAuth } from './request-auth.js';
import { registerRequestGuard } from './request-guard.js';
import { registerRequestLog } from './request-log.js';
import { registerResponseHeaders } from './response-headers.js';
import { recordBuiltInRoutes, registerRouteDispatcher } from './route-dispatcher.js';
import { RouteTable } from './route-table.js';
import { registerSchemaGate } from './schema-gate-routes.js';
import { pinTickObjectMaps } from './tick-maps.js';

/** The log levels at which every request is logged (request-log.ts). */
const REQUEST_LOG_LEVELS = ['trace', 'debug', 'info'];

/** Options of the HTTP server. */
export interface ServerOptions {
  /**
   * Fastify's trustProxy (request.ip, hostname, protocol); off by default. Basalt's client IP
   * (rate limits, superuser IPs) follows `settings.trustedProxy` instead (client-ip.ts).
   */
  readonly trustProxy?: boolean | string | string[];
}

/**
 * Builds the Fastify server for an App: parsers, auth, logging, CORS, error shapes and one
 * plugin per resource. It does not listen; tests use `inject()`.
 */
/** The longest path segment (collection, record id, file name) a route accepts. */
const MAX_PATH_SEGMENT = 512;

export async function buildServer(app: App, options: ServerOptions = {}): Promise<FastifyInstance> {
  pinTickObjectMaps();
  // Widened to Fastify's logger type so that plugins need not know it is pino.
  const logger: FastifyBaseLogger = app.logger;
  const logsRequests = REQUEST_LOG_LEVELS.includes(logger.level);
  const server = Fastify({
    // Fastify gets the logger only when requests are logged: with a logger it gives every
    // request a child logger and response listeners (about 4 % of a get by id). Errors are
    // logged through the app's logger either way (errors.ts).
    ...(logsRequests
      ? {
          loggerInstance: logger,
          // One line per request comes from request-log.ts instead of Fastify's two.
          logController: new LogController({ disableRequestLogging: true }),
        }
      : { logger: false }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    // Requests during shutdown are answered by graceful-close.ts, in the API error shape.
    return503OnClosing: false,
    // Stored file names reach 132 characters; longer path segments are answered 400.
    routerOptions: { maxParamLength: MAX_PATH_SEGMENT },
    // Malformed URLs and over-long segments answer in the API error shape too.
    frameworkErrors: handleFrameworkError,
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  trackConnections(server.server);
  server.addHook('preClose', async () => {
    // Open event streams would keep their connections, and the drain, waiting: end them first.
    app.realtime.closeAll();
    const graceMs = drainGraces.get(server);
    if (graceMs !== undefined && server.server.listening) {
      await drainHttpServer(server.server, graceMs);
    }
  });
  server.setErrorHandler(
    errorHandler(logger, {
      isUnavailable: (error) => app.db.isUnavailable(error),
      isRefusedValue: (error) => app.db.isRefusedValue(error),
    }),
  );
  // Rate limits and the superuser IP whitelist apply to unknown paths too.
  server.setNotFoundHandler({ preHandler: registerRequestGuard(server, app) }, handleNotFound);
  registerBodyParsers(server);
  registerResponseHeaders(server);
  registerRequestAuth(server, app);
  if (logsRequests) registerRequestLog(server);
  registerFieldsProjection(server);
  registerBodyPolicy(server);
  registerMultipart(server);
  registerSchemaGate(server, app);
  const builtIn = recordBuiltInRoutes(server);
  await registerCorsPreflight(server);
  await server.register(healthPlugin(app));
  await server.register(collectionsPlugin(app));
  await server.register(recordAuthPlugin(app));
  await server.register(accountFlowsPlugin(app));
  await server.register(recordsPlugin(app));
  await server.register(settingsPlugin(app));
  await server.register(cronsPlugin(app));
  await server.register(batchPlugin(app));
  await server.register(filesPlugin(app));
  await server.register(realtimePlugin(app));
  await server.register(jobsPlugin(app));
  // The table checks new routes against the built-in ones recorded until stop().
  const routes = new RouteTable(builtIn.check);
  await server.register(openapiPlugin(app, routes));
  builtIn.stop();
  registerRouteDispatcher(server, app, routes, builtIn.serves);
  customRoutes.set(server, routes);
  return server;
}

/** The custom route table of each server buildServer built. */
const customRoutes = new WeakMap<FastifyInstance, RouteTable>();

/**
 * The custom routes (`routerAdd`) of a server built by {@link buildServer}: they can be
 * added, replaced and removed while it runs.
 */
export function customRoutesOf(server: FastifyInstance): RouteTable {
  const routes = customRoutes.get(server);
  if (!routes) throw new Error('The server was not built by buildServer.');
  return routes;
}

/** The grace period of each server that closeServer is closing. */
const drainGraces = new WeakMap<FastifyInstance, number>();

/**
 * Stops a server gracefully (graceful-close.ts): no new connections; requests in flight
 * finish within `graceMs`; requests arriving meanwhile get the API's 503; open realtime
 * streams end; then every connection still open is cut, so that shutdown cannot hang.
 */
export async function closeServer(server: FastifyInstance, graceMs: number): Promise<void> {
  drainGraces.set(server, graceMs);
  await server.close();
}
