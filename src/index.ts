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
  type BasaltJobOptions,
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
export { defineHooks, type HooksApp, type HooksModule, type JobAdd } from './http/hooks-app.js';
export { Jobs } from './core/jobs/jobs.js';
export type {
  DrainResult,
  EnqueueOptions,
  JobBackoff,
  JobEvent,
  JobHandler,
  JobInfo,
  JobOptions,
  JobState,
  JobWorkerOptions,
  JsonValue,
} from './core/jobs/job-types.js';
export { JobDefinitionError } from './core/jobs/job-definition.js';
export { JobEnqueueError } from './core/jobs/job-input.js';
export {
  deleteFinishedJobs,
  DEFAULT_JOBS_RETENTION_DAYS,
  type JobCleanupOptions,
} from './core/jobs/job-cleanup.js';
export type { HooksFolder } from './http/hooks-folder.js';
export {
  CodeLoadError,
  HooksLoadError,
  MigrationLoadError,
  type HooksLocation,
} from './http/hooks-load-error.js';
export {
  defineMigration,
  type CollectionDefinition,
  type MigrationApp,
  type MigrationDefinition,
} from './core/migrations/migration-app.js';
export {
  migrateDown,
  migrateUp,
  MigrationError,
  syncMigrationHistory,
  type AppMigration,
  type MigrationSource,
} from './core/migrations/app-migrations.js';
export { migrationsFolder } from './http/migrations-folder.js';
export { CollectionEvent, type CollectionChangeSource } from './core/hooks/collection-event.js';
export {
  AppHooks,
  HOOK_NAMES,
  type HookArgs,
  type HookName,
  type HookRegistrar,
  type RecordEnrichHookRegistration,
  type RecordHookRegistration,
} from './core/hooks/app-hooks.js';
export type {
  CollectionRecords,
  RecordSetValueOf,
  RecordValueOf,
  RecordValuesOf,
  UntypedValues,
} from './core/hooks/collection-records.js';
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
  RecordWriteOptions,
} from './core/record/record-api.js';
export type { RecordFilter } from './core/record/record-trusted.js';
export type { FilterParams } from './core/rules/rule-compiler.js';
export { DEFAULT_TRANSACTION_TIME_LIMIT_MS } from './core/app.js';
export { noTimeLimit, type TransactionCallOptions } from './core/transaction-call.js';
export { TransactionTimeLimitError, type TxScope } from './db/transaction.js';
export { systemClock, type Clock } from './lib/clock.js';
export {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  type IdempotencyMode,
} from './core/idempotency/idempotency-key.js';
export { deleteExpiredIdempotencyKeys } from './core/idempotency/idempotency-run.js';
export {
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
} from './core/idempotency/idempotency-store.js';
export type { CronScheduler } from './core/cron/cron-scheduler.js';
export {
  CronJobError,
  type CronEvent,
  type CronHandler,
  type CronJobInfo,
} from './core/cron/cron-job.js';
export { CronExpressionError } from './core/cron/cron-expression.js';
export type { CronRunState } from './core/cron/cron-ticks.js';
export { generateTypes, type TypegenOptions } from './core/typegen/generate-types.js';
export { writeTypes } from './core/typegen/write-types.js';
