import type { Collection } from '../collection/collection-model.js';
import type {
  RecordSetValueOf,
  RecordValueOf,
  UntypedValues,
} from '../hooks/collection-records.js';
import type { Field } from '../field/field-model.js';
import { castFieldValue, InvalidCast } from '../field/field-value-cast.js';
import { valueToJson } from '../field/field-value-store.js';
import type { RecordJson, RecordRow } from './record-model.js';
import { rowFromValues, valuesFromRow, type RecordValues } from './record-values.js';

/**
 * A record as hooks and the save path see it (APP-LOGIC.md §1): its collection, typed values
 * by field name, the values it was loaded with (`original()`), and whether it is stored yet.
 * `set` casts as the REST API casts a submitted value (a number field reads "5" as 5, a
 * multiple select keeps a de-duplicated list); a value that cannot be cast is kept as
 * invalid and reported as a field error when the write validates. Names that are not fields
 * are custom data: readable with `get`, added to the record's JSON by `onRecordEnrich`,
 * never stored.
 *
 * `R` types `get` and `set` (types only): the values of the collection's records, as
 * `basalt typegen` declares them in CollectionRecords; untyped by default.
 */
export class RecordModel<R = UntypedValues> {
  readonly #values: RecordValues;
  readonly #original: RecordValues;
  readonly #custom = new Map<string, unknown>();
  /** Fields set since the record was loaded or last synchronised with the save path. */
  readonly #changed = new Set<string>();
  /** The values of the changed fields before their first change. */
  readonly #before: RecordValues = new Map();

  private constructor(
    readonly collection: Collection,
    values: RecordValues,
    original: RecordValues,
    readonly isNew: boolean,
  ) {
    this.#values = values;
    this.#original = original;
  }

  /** A record of a stored (or about to be inserted, `isNew`) row. */
  static fromRow(
    collection: Collection,
    row: RecordRow,
    options: { isNew?: boolean; original?: RecordRow } = {},
  ): RecordModel {
    const values = valuesFromRow(collection, row);
    const original = options.original ? valuesFromRow(collection, options.original) : values;
    return new RecordModel(collection, values, new Map(original), options.isNew ?? false);
  }

  /** A new, unsaved record of `collection` with the given values (cast as by `set`). */
  static create(collection: Collection, data: Readonly<Record<string, unknown>> = {}): RecordModel {
    const record = new RecordModel(collection, new Map(), new Map(), true);
    for (const [name, value] of Object.entries(data)) record.set(name, value);
    record.markSynced();
    return record;
  }

  /** The record id ('' while a new record has none yet). */
  get id(): string {
    const id = this.#values.get('id');
    return typeof id === 'string' ? id : '';
  }

  /** The typed value of a field (lists for select/relation/file), or a custom value. */
  get<K extends string>(name: K): RecordValueOf<R, K> {
    // The values are the field's type by construction (castFieldValue); R only names it.
    return this.#raw(name) as RecordValueOf<R, K>;
  }

  #raw(name: string): unknown {
    if (this.#values.has(name)) return this.#values.get(name);
    return this.#custom.get(name);
  }

  /** A field's value as text ('' when it is not text). */
  getString(name: string): string {
    const value = this.#raw(name);
    return typeof value === 'string' ? value : '';
  }

  /** A field's value as a number (0 when it is not a number). */
  getNumber(name: string): number {
    const value = this.#raw(name);
    return typeof value === 'number' ? value : 0;
  }

  /** A field's value as a boolean. */
  getBool(name: string): boolean {
    return this.#raw(name) === true;
  }

  /** Sets a field (cast to its type) or, for a name that is no field, custom data. */
  set<K extends string>(name: K, value: RecordSetValueOf<R, K>): this {
    const field = this.field(name);
    if (!field) {
      this.#custom.set(name, value);
      return this;
    }
    if (!this.#changed.has(name)) this.#before.set(name, this.#values.get(name));
    this.#values.set(name, castFieldValue(field, value));
    this.#changed.add(name);
    return this;
  }

  /** The record as it was loaded (for a new record: its values when the write began). */
  original(): RecordModel<R> {
    return new RecordModel<R>(this.collection, new Map(this.#original), this.#original, this.isNew);
  }

  /** Field names set since the record was loaded. */
  get changed(): ReadonlySet<string> {
    return this.#changed;
  }

  /** Custom (non-field) values set on the record. */
  get custom(): ReadonlyMap<string, unknown> {
    return this.#custom;
  }

  /** The record's fields as API JSON (every field, hidden ones included) and custom data. */
  toJSON(): RecordJson {
    const out: RecordJson = {
      collectionId: this.collection.id,
      collectionName: this.collection.name,
    };
    for (const f of this.collection.fields) {
      const value = this.#values.get(f.name);
      if (!(value instanceof InvalidCast)) out[f.name] = valueToJson(f, value);
    }
    for (const [name, value] of this.#custom) out[name] = value;
    return out;
  }

  /** The typed values (the save path's view; callers must not keep it across writes). */
  values(): RecordValues {
    return this.#values;
  }

  /** The row to store. */
  toRow(): RecordRow {
    return rowFromValues(this.collection, this.#values);
  }

  /** The values as they were before the fields in `changed` were set. */
  beforeChanges(): RecordValues {
    const values = new Map(this.#values);
    for (const [name, value] of this.#before) values.set(name, value);
    return values;
  }

  /** Forgets which fields were set (the save path has validated and taken them). */
  markSynced(): void {
    this.#changed.clear();
    this.#before.clear();
  }

  /** Puts typed values in place without casting (the save path's validated values). */
  adopt(values: RecordValues): void {
    for (const [name, value] of values) this.#values.set(name, value);
  }

  private field(name: string): Field | undefined {
    return this.collection.fields.find((f) => f.name === name);
  }
}
