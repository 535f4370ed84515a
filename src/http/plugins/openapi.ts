import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../core/app.js';
import { assertSuperuser } from '../../core/auth/access.js';
import { isSuperuser } from '../../core/auth/auth-context.js';
import { buildOpenApiDocument } from '../../core/openapi/openapi-document.js';
import { addCustomRoutes } from '../openapi-custom-routes.js';
import type { CustomRoute, RouteTable } from '../route-table.js';

/** A built document, with what it was built from. */
interface CachedDocument {
  readonly collections: number;
  readonly routes: readonly CustomRoute[];
  readonly title: string;
  readonly json: string;
}

/**
 * The OpenAPI documents of an app, built on first request and kept until the collections
 * (the registry's version), the custom routes (the table's route list, replaced on every
 * change) or the app name change.
 */
export class OpenApiCache {
  private readonly built = new Map<boolean, CachedDocument>();

  constructor(
    private readonly app: App,
    private readonly routes: RouteTable,
  ) {}

  /** The document as JSON text: the public one, or the superusers'. */
  json(publicOnly: boolean): string {
    const collections = this.app.collections.version;
    const routes = this.routes.list();
    const title = this.app.settings.peek().meta.appName;
    const cached = this.built.get(publicOnly);
    if (cached?.collections === collections && cached.routes === routes && cached.title === title) {
      return cached.json;
    }
    const document = buildOpenApiDocument(this.app.collections.all(), {
      public: publicOnly,
      title,
    });
    addCustomRoutes(document.paths, routes, publicOnly);
    const json = JSON.stringify(document);
    this.built.set(publicOnly, { collections, routes, title, json });
    return json;
  }
}

/**
 * `GET /api/openapi.json` (a Basalt addition): the OpenAPI 3.1 document of the live schema
 * and custom routes. Superusers get the whole API; with `settings.openapi.public` anyone else
 * gets the public document, and otherwise 401 (guest) or 403.
 */
export function openapiPlugin(app: App, routes: RouteTable): FastifyPluginAsync {
  const cache = new OpenApiCache(app, routes);
  return async (server) => {
    server.get('/api/openapi.json', async (request, reply) => {
      const superuser = isSuperuser(request.auth);
      if (!superuser && !app.settings.peek().openapi.public) assertSuperuser(request.auth);
      return reply.type('application/json; charset=utf-8').send(cache.json(!superuser));
    });
  };
}
