import type { Expression, OrderByModifiers, SqlBool } from 'kysely';
import type { AuthContext } from '../auth/auth-context.js';
import type { Collection } from '../collection/collection-model.js';

/** Values of `@request.context` (API.md §2.2). */
export type RequestContextName =
  'default' | 'oauth2' | 'otp' | 'password' | 'realtime' | 'protectedFile' | 'expand' | 'batch';

/**
 * What a rule or filter may read of the request as `@request.*`. Every value is known before
 * the query runs, so it is bound as a parameter, never joined.
 */
export interface RuleRequest {
  readonly context: RequestContextName;
  /** `GET`, `POST`, ... */
  readonly method: string;
  /** Header names lower-cased with `-` replaced by `_`, first value only. */
  readonly headers: Readonly<Record<string, string>>;
  /** Query params, first value only. */
  readonly query: Readonly<Record<string, string>>;
  /**
   * The submitted body after modifiers and casting (API.md §2.2): keys that are fields hold
   * their cast values (arrays for multi fields); other keys keep their raw values.
   */
  readonly body: Readonly<Record<string, unknown>>;
  /** The authenticated record; undefined for guests. */
  readonly auth: AuthContext | undefined;
}

/**
 * How a compiled expression refers to the record it is evaluated against: the SQL alias of
 * the main row source (the table name for stored records, a CTE name for the would-be record
 * of a create rule).
 */
export interface MainSource {
  readonly collection: Collection;
  readonly alias: string;
}

/** Whether the text is an access rule or a client's `filter`/`sort` query param. */
export type ExpressionOrigin = 'rule' | 'clientFilter';

/** What the compiler needs for one rule, filter or sort. */
export interface CompileContext {
  readonly main: MainSource;
  readonly request: RuleRequest;
  /**
   * For client filters and sorts of non-superusers (API.md §1.1): hidden fields cannot be
   * resolved, a path that joins another collection ANDs that collection's listRule (a null
   * listRule fails the filter with 400), and an auth collection's `email` matches only records
   * with `emailVisibility = true`. Rules themselves may use hidden fields.
   */
  readonly origin: ExpressionOrigin;
  /** Superusers' client filters are not restricted. */
  readonly superuser: boolean;
  /** Finds any collection by id or name (for relations, back-relations and `@collection`). */
  readonly findCollection: (idOrName: string) => Collection | undefined;
}

/** A compiled WHERE condition: a Kysely expression with every value bound as a parameter. */
export type CompiledCondition = Expression<SqlBool>;

/** One compiled ORDER BY term. */
export interface CompiledSort {
  readonly expression: Expression<unknown>;
  readonly direction: 'asc' | 'desc';
  /**
   * How to pass the direction to Kysely's `orderBy`: the direction itself, or, on engines that
   * sort NULL last, the direction with NULLS FIRST / NULLS LAST so that NULL sorts as on SQLite.
   */
  readonly modifiers: OrderByModifiers;
}
