import type { Collection } from '../collection/collection-model.js';
import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiPathItem,
} from '../../lib/openapi/openapi-model.js';
import { authPaths, authSharedSchemas } from './openapi-auth-paths.js';
import { OPTIONAL_AUTH, securitySchemes, sharedSchemas } from './openapi-common.js';
import { cronPaths, cronSchemas } from './openapi-cron-paths.js';
import { jobPaths, jobSchemas } from './openapi-job-paths.js';
import { collectionNames } from './openapi-names.js';
import { recordPaths } from './openapi-record-paths.js';
import { collectionSchemas } from './openapi-record-schemas.js';
import { publicSystemPaths, superuserPaths, systemSchemas } from './openapi-system-paths.js';

/** Which document to build. */
export interface OpenApiDocumentOptions {
  /**
   * The public document: only collections with a non-null list or view rule, only operations
   * whose rule is not null, no hidden fields and no superuser-only endpoints. Otherwise the
   * superusers' document: everything, superuser-only operations marked as needing a token.
   */
  readonly public: boolean;
  /** `info.title` (the app name). */
  readonly title: string;
}

/** A document under construction: the caller may add paths (custom routes) before serving it. */
export interface OpenApiDraft extends OpenApiDocument {
  readonly paths: Record<string, OpenApiPathItem>;
  readonly components: OpenApiDocument['components'] & {
    readonly schemas: Record<string, JsonSchema>;
  };
}

/** Whether the public document shows a collection: someone who is not a superuser may read it. */
export function isPublicCollection(collection: Collection): boolean {
  return collection.listRule !== null || collection.viewRule !== null;
}

/**
 * The OpenAPI 3.1 document of the records, auth and system endpoints of a schema (API.md):
 * per collection its record, list, create and update schemas (field types mapped as the API
 * reads and writes them) and its records (and auth) endpoints; files, realtime, health, batch;
 * and, for superusers, the collections, settings, crons and jobs APIs. Pure: the same
 * collections give the same document on every engine.
 */
export function buildOpenApiDocument(
  collections: readonly Collection[],
  options: OpenApiDocumentOptions,
): OpenApiDraft {
  const superuser = !options.public;
  const shown = superuser ? collections : collections.filter(isPublicCollection);
  const names = collectionNames(shown);
  const ctx = { names, superuser };
  const schemas: Record<string, JsonSchema> = {
    ...sharedSchemas(),
    ...authSharedSchemas(),
    ...systemSchemas(),
  };
  const paths: Record<string, OpenApiPathItem> = {};
  for (const collection of shown) {
    const own = names.get(collection.id);
    if (!own) continue;
    Object.assign(schemas, collectionSchemas(collection, own, ctx));
    Object.assign(paths, recordPaths(collection, own, ctx));
    if (collection.type === 'auth') Object.assign(paths, authPaths(collection, own, superuser));
  }
  Object.assign(paths, publicSystemPaths());
  if (superuser) {
    Object.assign(paths, superuserPaths(), cronPaths(), jobPaths());
    Object.assign(schemas, cronSchemas(), jobSchemas());
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: '1.0.0',
      description: options.public
        ? 'The public API: collections anyone may list or view, and the custom routes.'
        : 'The whole API, as superusers see it.',
    },
    paths,
    components: { schemas, securitySchemes: securitySchemes() },
    security: OPTIONAL_AUTH,
    tags: [
      ...shown.map((c) => ({ name: c.name, description: `The "${c.name}" collection.` })),
      { name: 'system', description: 'Files, realtime, health, batch.' },
      { name: 'routes', description: 'The custom routes (routerAdd).' },
      ...(superuser ? [{ name: 'superusers', description: 'Superusers only.' }] : []),
    ],
  };
}
