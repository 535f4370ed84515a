import type { ErrorCollector } from '../validation-errors.js';
import type { Collection } from './collection-model.js';

/** What collection validation needs to know besides the input. */
export interface ValidateContext {
  /** Every stored collection, read inside the transaction that will save the result. */
  readonly existing: readonly Collection[];
  /** The stored collection being updated; undefined on create. */
  readonly old?: Collection | undefined;
  /** True for Basalt's own migrations, which may create system collections and fields. */
  readonly trusted: boolean;
  /**
   * Checks that a rule parses and resolves against the finished collection; returns a
   * message when it does not.
   */
  readonly checkRule: (rule: string, collection: Collection) => string | undefined;
}

/** The state shared by the validation steps of one collection. */
export interface ValidationRun {
  readonly ctx: ValidateContext;
  readonly errors: ErrorCollector;
  /** The id the collection will have (known before fields are validated, for self-relations). */
  readonly id: string;
  /** The name the collection will have. */
  readonly name: string;
  readonly type: Collection['type'];
}
