/**
 * Basalt's public API for people who embed it in their own process or write hooks: open an
 * App on a data directory, build its HTTP server, and use the core services.
 */
export { App, type AppConfig } from './core/app.js';
export { buildServer, customRoutesOf, type ServerOptions } from './http/server.js';
export {
  createBasalt,
  type Basalt,
  type BasaltServer,
  type BasaltOptions,
  type BoundAddress,
  type ListenOptions,
} from './http/basalt.js';
export type {
  PathParams,
  QueryParams,
  RouteAuth,
  RouteEvent,
  RouteHandler,
  RouteMethod,
  RouteOptions,
  RouteRequest,
  RouteResult,
  RouterAdd,
} from './http/route-event.js';
export { RouteResponseError } from './http/route-response.js';
export {
  buildOpenApiDocument,
  type OpenApiDocumentOptions,
} from './core/openapi/openapi-document.js';
export type { OpenApiDocument, JsonSchema } from './lib/openapi/openapi-model.js';
export type { CustomRoute, RouteMatch, RouteTable } from './http/route-table.js';
export { defineHooks, type HooksApp, type HooksModule } from './http/hooks-app.js';
export type { HooksFolder } from './http/hooks-folder.js';
export { HooksLoadError, type HooksLocation } from './http/hooks-load-error.js';
export {
  AppHooks,
  HOOK_NAMES,
  type HookArgs,
  type HookName,
  type HookRegistrar,
} from './core/hooks/app-hooks.js';
export { RecordEvent, RecordEnrichEvent } from './core/hooks/record-event.js';
export { RecordRequestEvent, type RecordRequestAction } from './core/hooks/request-events.js';
export { BootstrapEvent, MailerEvent, TerminateEvent } from './core/hooks/app-events.js';
export { RecordModel } from './core/record/record.js';
export type { MailMessage } from './core/mail/mail-message.js';
export type { WriteSource } from './core/record/record-request.js';
export {
  HookChainError,
  HookNextCalledTwiceError,
  HookNextNotCalledError,
} from './lib/hook/index.js';
export {
  ApiError,
  ERROR_CATALOG,
  type ErrorCode,
  type ErrorData,
  type FieldError,
} from './core/errors.js';
export {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from './core/app-errors.js';
export type {
  Collection,
  AuthCollection,
  BaseCollection,
  Rule,
} from './core/collection/collection-model.js';
export type { Field, FieldType } from './core/field/field-model.js';
export {
  createCollection,
  updateCollection,
  deleteCollection,
  truncateCollection,
} from './core/collection/collection-service.js';
export { importCollections } from './core/collection/collection-import.js';
export {
  createSuperuser,
  deleteSuperuser,
  setSuperuserPassword,
  upsertSuperuser,
} from './core/auth/superuser-admin.js';
export type { RealtimeOptions } from './core/realtime/realtime.js';
export type {
  RecordData,
  RecordJson,
  RecordListOptions,
  RecordsApi,
} from './core/record/record-api.js';
export type { RecordFilter } from './core/record/record-trusted.js';
export type { FilterParams } from './core/rules/rule-compiler.js';
export { DEFAULT_TRANSACTION_TIME_LIMIT_MS } from './core/app.js';
export { noTimeLimit, type TransactionCallOptions } from './core/transaction-call.js';
export { TransactionTimeLimitError, type TxScope } from './db/transaction.js';
export { systemClock, type Clock } from './lib/clock.js';
