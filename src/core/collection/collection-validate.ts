import { nowDateTime } from '../../lib/datetime.js';
import { IDEMPOTENCY_MODES, type IdempotencyMode } from '../idempotency/idempotency-key.js';
import { isJsonObject, mergeJson, type JsonObject } from '../../lib/json-merge.js';
import { crc32Decimal } from '../../lib/security/crc32.js';
import { randomString } from '../../lib/security/random.js';
import { ApiError } from '../errors.js';
import { OptionReader } from '../field/option-reader.js';
import { ErrorCollector, fieldError } from '../validation-errors.js';
import { readAuthOptions } from './auth-options-read.js';
import { defaultAuthOptions } from './collection-defaults.js';
import {
  RECORD_RULE_KEYS,
  SUPERUSERS,
  type AuthCollection,
  type Collection,
  type CollectionType,
  type Rule,
  type ViewCollection,
} from './collection-model.js';
import { validateFields } from './fields-validate.js';
import { hasUniqueIndex, validateIndexes } from './indexes-validate.js';
import { nameError } from './name-rules.js';
import type { ValidateContext, ValidationRun } from './validate-context.js';

const RESERVED_PREFIXES = ['_', 'sqlite_', 'pg_'];

function readType(input: JsonObject, ctx: ValidateContext, errors: ErrorCollector): CollectionType {
  const type = input.type ?? ctx.old?.type ?? 'base';
  if (type !== 'base' && type !== 'auth' && type !== 'view') {
    errors.add(['type'], fieldError('validation_invalid_value'));
    return 'base';
  }
  if (ctx.old && ctx.old.type !== type)
    errors.add(['type'], fieldError('validation_system_change'));
  return type;
}

function readName(o: OptionReader, ctx: ValidateContext, errors: ErrorCollector): string {
  const name = o.string('name', '', 1000);
  const problem = nameError(name);
  const lower = name.toLowerCase();
  if (problem) errors.add(['name'], problem);
  else if (
    !ctx.trusted &&
    RESERVED_PREFIXES.some((p) => lower.startsWith(p)) &&
    ctx.old?.name !== name
  ) {
    errors.add(['name'], fieldError('validation_reserved_name'));
  }
  if (ctx.existing.some((c) => c.id !== ctx.old?.id && c.name.toLowerCase() === lower)) {
    errors.add(['name'], fieldError('validation_collection_name_exists'));
  }
  if (ctx.old?.system && ctx.old.name !== name)
    errors.add(['name'], fieldError('validation_system_change'));
  return name;
}

function readId(
  o: OptionReader,
  type: CollectionType,
  name: string,
  ctx: ValidateContext,
  errors: ErrorCollector,
): string {
  if (ctx.old) return ctx.old.id;
  const id = o.string('id', '', 100);
  const taken = (candidate: string) => ctx.existing.some((c) => c.id === candidate);
  if (id !== '') {
    if (!/^[A-Za-z0-9_]+$/.test(id)) errors.add(['id'], fieldError('validation_invalid_format'));
    else if (taken(id)) errors.add(['id'], fieldError('validation_collection_id_exists'));
    return id;
  }
  const derived = `pbc_${crc32Decimal(type + name)}`;
  // A renamed collection keeps its id, so a new one with the old name needs another id.
  return taken(derived) ? `pbc_${randomString(10, '0123456789')}` : derived;
}

function readRule(o: OptionReader, key: string): Rule {
  return o.nullableString(key, null, 3500);
}

/**
 * Every rule of the finished collection must parse and resolve against its fields (and the
 * collections it reaches); checked once the collection is complete, so rules may use fields
 * added in the same change.
 */
export function checkRules(
  run: Pick<ValidationRun, 'ctx' | 'errors'>,
  collection: Collection,
): void {
  const rules: [string[], Rule][] = RECORD_RULE_KEYS.map((key) => [[key], collection[key]]);
  if (collection.type === 'auth') {
    rules.push(
      [['authRule'], collection.authRule],
      [['manageRule'], collection.manageRule],
      [['mfa', 'rule'], collection.mfa.rule],
    );
  }
  for (const [path, rule] of rules) {
    if (rule === null || rule.trim() === '') continue;
    const problem = run.ctx.checkRule(rule, collection);
    if (problem) run.errors.add(path, fieldError('validation_invalid_rule', {}, problem));
  }
}

function readRules(
  o: OptionReader,
  run: ValidationRun,
): Pick<Collection, (typeof RECORD_RULE_KEYS)[number]> {
  const rules = {
    listRule: readRule(o, 'listRule'),
    viewRule: readRule(o, 'viewRule'),
    createRule: readRule(o, 'createRule'),
    updateRule: readRule(o, 'updateRule'),
    deleteRule: readRule(o, 'deleteRule'),
  };
  // The superusers collection stays locked: its records are managed by superusers only.
  if (run.id === SUPERUSERS.id && !run.ctx.trusted) {
    for (const key of RECORD_RULE_KEYS) {
      if (rules[key] !== null) run.errors.add([key], fieldError('validation_system_change'));
    }
  }
  return rules;
}

/** The longest view query, in characters. */
const MAX_VIEW_QUERY_LENGTH = 10_000;

/**
 * A view collection's own options: its query (required), and no indexes and no write rules,
 * since it has no stored records. Its fields are left as stored: they are inferred from the
 * query when the view is built (view-build.ts), whatever the input says.
 */
function buildView(
  o: OptionReader,
  merged: JsonObject,
  run: ValidationRun,
  common: Omit<ViewCollection, 'type' | 'viewQuery'>,
): ViewCollection {
  const viewQuery = o.string('viewQuery', '', MAX_VIEW_QUERY_LENGTH);
  if (viewQuery.trim() === '') run.errors.add(['viewQuery'], fieldError('validation_required'));
  if (Array.isArray(merged.indexes) && merged.indexes.length > 0)
    run.errors.add(['indexes'], fieldError('validation_indexes_not_supported'));
  for (const key of ['createRule', 'updateRule', 'deleteRule'] as const) {
    if (common[key] !== null) run.errors.add([key], fieldError('validation_nil'));
  }
  return { ...common, fields: run.ctx.old?.fields ?? [], indexes: [], type: 'view', viewQuery };
}

/** The JSON a create or update starts from, before the client's input is merged over it. */
function baseInput(input: JsonObject, ctx: ValidateContext): unknown {
  if (ctx.old) return structuredClone(ctx.old);
  return input.type === 'auth' ? defaultAuthOptions() : {};
}

function buildAuth(
  o: OptionReader,
  merged: JsonObject,
  run: ValidationRun,
  common: Omit<AuthCollection, keyof ReturnType<typeof defaultAuthOptions> | 'type'>,
): AuthCollection {
  const fallback = run.ctx.old?.type === 'auth' ? run.ctx.old : defaultAuthOptions();
  const options = readAuthOptions(merged, fallback, run.errors);
  const authRule = readRule(o, 'authRule');
  const manageRule = readRule(o, 'manageRule');
  if (manageRule === '')
    run.errors.add(['manageRule'], fieldError('validation_nil_or_not_empty_required'));
  return { ...common, ...options, type: 'auth', authRule, manageRule };
}

function checkIdentityFields(
  run: ValidationRun,
  collection: AuthCollection,
  defs: Parameters<typeof hasUniqueIndex>[0],
): void {
  collection.passwordAuth.identityFields.forEach((name, i) => {
    if (!collection.fields.some((f) => f.name === name) || !hasUniqueIndex(defs, name)) {
      run.errors.add(
        ['passwordAuth', 'identityFields', String(i)],
        fieldError(
          'validation_invalid_value',
          {},
          'Identity fields need a single-column UNIQUE index.',
        ),
      );
    }
  });
}

/** MFA asks for a second, different method, so at least two must be enabled (API.md §3.4). */
function checkMfaMethods(run: ValidationRun, collection: AuthCollection): void {
  if (!collection.mfa.enabled) return;
  const methods = [collection.passwordAuth, collection.oauth2, collection.otp];
  if (methods.filter((m) => m.enabled).length < 2) {
    run.errors.add(
      ['mfa', 'enabled'],
      fieldError('validation_invalid_value', {}, 'MFA requires at least two enabled auth methods.'),
    );
  }
}

/**
 * The Basalt-only `idempotency` option of record creates: absent, null or "" for none,
 * else `required` or `optional`; views have no creates.
 */
function readIdempotency(
  merged: JsonObject,
  type: CollectionType,
  errors: ErrorCollector,
): { idempotency?: IdempotencyMode } {
  const value = merged.idempotency;
  if (value === undefined || value === null || value === '') return {};
  const mode = IDEMPOTENCY_MODES.find((m) => m === value);
  if (mode === undefined || type === 'view') {
    errors.add(['idempotency'], fieldError('validation_invalid_value'));
    return {};
  }
  return { idempotency: mode };
}

/**
 * Validates a collection definition from untrusted JSON, on create or (with `ctx.old`) on
 * update, where the input is merged over the stored collection first. Returns the complete,
 * normalised collection or throws an ApiError with every field error found.
 */
export function validateCollection(input: unknown, ctx: ValidateContext): Collection {
  const errors = new ErrorCollector();
  const failCode = ctx.old ? 'collection_update_failed' : 'collection_create_failed';
  if (!isJsonObject(input)) {
    throw new ApiError(failCode, {}, 'The collection data must be a JSON object.');
  }
  const merged = mergeJson(baseInput(input, ctx), input);
  if (!isJsonObject(merged)) throw new ApiError(failCode);
  // Arrays replace rather than merge, so fields and indexes come from the input when given.
  const o = new OptionReader(merged, errors, []);
  const type = readType(merged, ctx, errors);
  const name = readName(o, ctx, errors);
  const id = readId(o, type, name, ctx, errors);
  const run: ValidationRun = { ctx, errors, id, name, type };
  const view = type === 'view';
  const fields = view ? [] : validateFields(run, merged.fields);
  const indexes = validateIndexes(run, view ? [] : merged.indexes, fields);
  const now = nowDateTime();
  const common = {
    id,
    name,
    system: ctx.old ? ctx.old.system : ctx.trusted && o.bool('system'),
    fields,
    indexes: indexes.texts,
    ...readRules(o, run),
    created: ctx.old?.created ?? now,
    updated: now,
    ...readIdempotency(merged, type, errors),
  };
  const collection: Collection =
    type === 'auth'
      ? buildAuth(o, merged, run, common)
      : view
        ? buildView(o, merged, run, common)
        : { ...common, type: 'base' };
  if (collection.type === 'auth') {
    checkIdentityFields(run, collection, indexes.defs);
    checkMfaMethods(run, collection);
  }
  // A view's rules are checked once its fields are known (view-build.ts).
  if (!errors.hasErrors && !view) checkRules(run, collection);
  if (errors.hasErrors) throw new ApiError(failCode, errors.data);
  return collection;
}
