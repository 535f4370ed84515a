/**
 * The parts of an OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0) that Basalt
 * writes. Schemas are JSON Schema 2020-12 objects, kept as plain JSON.
 */

/** A JSON Schema (2020-12) object, as plain JSON. */
export type JsonSchema = { readonly [key: string]: unknown };

/** Where a parameter is read from. */
export type ParameterIn = 'path' | 'query' | 'header';

/** An operation parameter. */
export interface OpenApiParameter {
  readonly name: string;
  readonly in: ParameterIn;
  readonly required?: boolean;
  readonly description?: string;
  readonly schema: JsonSchema;
}

/** A body of a request or response, by media type. */
export type OpenApiContent = Readonly<Record<string, { readonly schema: JsonSchema }>>;

/** A response header (a parameter without `name` and `in`). */
export interface OpenApiHeader {
  readonly description?: string;
  readonly required?: boolean;
  readonly schema: JsonSchema;
}

/** A response, or a reference to one in `components.responses`. */
export type OpenApiResponse =
  | {
      readonly description: string;
      readonly headers?: Readonly<Record<string, OpenApiHeader>>;
      readonly content?: OpenApiContent;
    }
  | { readonly $ref: string };

/** A request body. */
export interface OpenApiRequestBody {
  readonly required?: boolean;
  readonly description?: string;
  readonly content: OpenApiContent;
}

/** A security requirement: scheme name -> scopes (`{}` alone = none needed). */
export type OpenApiSecurity = Readonly<Record<string, readonly string[]>>;

/** One operation (a method of a path). */
export interface OpenApiOperation {
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly parameters?: readonly OpenApiParameter[];
  readonly requestBody?: OpenApiRequestBody;
  readonly responses: Readonly<Record<string, OpenApiResponse>>;
  readonly security?: readonly OpenApiSecurity[];
}

/** The HTTP methods a path item holds, lower-case as OpenAPI names them. */
export type OpenApiMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head';

/** The operations of one path. */
export type OpenApiPathItem = Partial<Record<OpenApiMethod, OpenApiOperation>>;

/** A whole document. */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: {
    readonly title: string;
    readonly version: string;
    readonly description?: string;
  };
  readonly jsonSchemaDialect?: string;
  readonly paths: Readonly<Record<string, OpenApiPathItem>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, JsonSchema>>;
    readonly responses?: Readonly<Record<string, OpenApiResponse>>;
    readonly securitySchemes: Readonly<Record<string, JsonSchema>>;
  };
  readonly security?: readonly OpenApiSecurity[];
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
}

/** A `$ref` to a component schema. */
export function schemaRef(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

/** `application/json` content with a schema. */
export function jsonContent(schema: JsonSchema): OpenApiContent {
  return { 'application/json': { schema } };
}

/**
 * Adds the operations of `item` to the path `path` of `paths` (a path may collect operations
 * from several sources); an operation already there for a method is kept.
 */
export function addPathItem(
  paths: Record<string, OpenApiPathItem>,
  path: string,
  item: OpenApiPathItem,
): void {
  const current = paths[path] ?? {};
  paths[path] = { ...item, ...current };
}
