/**
 * The record types hooks see, by collection name. Empty here; `basalt typegen` writes a
 * module augmentation that fills it from the live schema:
 *
 * ```ts
 * declare module 'basalt' {
 *   interface CollectionRecords {
 *     posts: PostsValues;
 *   }
 * }
 * ```
 *
 * Then `app.onRecordCreate('posts', (e) => e.record.get('title'))` is typed `string`. A
 * collection it does not name (or a handler for several collections, or for all) keeps the
 * untyped record, whose values are `unknown`. Types only: nothing reads it at run time.
 */
// An interface (not a type) so that a module augmentation can add to it.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CollectionRecords {}

/** The values of a record whose collection has no declared type: any name, `unknown` values. */
export type UntypedValues = Readonly<Record<string, unknown>>;

/**
 * The values type of the records of the collections named `N` (a name, or a union of names):
 * CollectionRecords' entry when there is one, UntypedValues otherwise.
 */
export type RecordValuesOf<N extends string> = N extends keyof CollectionRecords
  ? CollectionRecords[N]
  : UntypedValues;

/**
 * What `record.get(name)` returns for values `R`: the field's type, `unknown` for other names.
 * Written without `keyof R` so that R is covariant: a record typed by CollectionRecords is
 * still a RecordModel (a handler written for the untyped record fits a typed collection).
 */
export type RecordValueOf<R, K extends string> = (R & Record<K, unknown>)[K];

/**
 * What `record.set(name, value)` takes for values `R`: the field's type (a list field also
 * takes one item), anything for other names (custom data).
 */
export type RecordSetValueOf<R, K extends string> =
  RecordValueOf<R, K> | (RecordValueOf<R, K> extends readonly (infer Item)[] ? Item : never);
