import { crc32Decimal } from '../../lib/security/crc32.js';
import { columnHint, type ParsedViewQuery, type ViewSource } from '../../lib/sql/view-query.js';
import type { Field } from '../field/field-model.js';
import { readField } from '../field/field-registry.js';
import { ErrorCollector } from '../validation-errors.js';
import type { Collection } from './collection-model.js';
import { isReservedFieldName } from './fields-validate.js';

/** The `id` field of every view, as PocketBase infers it: required text, not generated. */
function viewIdField(): Record<string, unknown> {
  return {
    id: 'text3208210256',
    name: 'id',
    type: 'text',
    system: true,
    required: true,
    primaryKey: true,
    pattern: '^[a-z0-9]+$',
  };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The FROM/JOIN source a column qualifier (an alias or a table name; '' = the first) names. */
function sourceOf(parsed: ParsedViewQuery, qualifier: string): ViewSource | undefined {
  if (qualifier === '') return parsed.sources[0];
  return (
    parsed.sources.find((s) => sameName(s.alias, qualifier)) ??
    parsed.sources.find((s) => sameName(s.name, qualifier))
  );
}

/** A collection's field that a view column reads as it is. */
export interface ColumnSource {
  readonly collection: Collection;
  readonly field: Field;
}

function findColumn(parsed: ParsedViewQuery, name: string) {
  return (
    parsed.columns.find((c) => c.alias === name) ??
    parsed.columns.find((c) => sameName(c.alias, name))
  );
}

/**
 * The collection field that the view column `name` reads as it is (`x` or `t.x`, `t` being
 * a FROM/JOIN source that names a collection), or undefined for any other expression.
 */
export function columnSource(
  parsed: ParsedViewQuery,
  name: string,
  collections: readonly Collection[],
): ColumnSource | undefined {
  const column = findColumn(parsed, name);
  const hint = column ? columnHint(column.expression) : undefined;
  if (hint?.kind !== 'column') return undefined;
  const source = sourceOf(parsed, hint.source);
  if (!source || source.name === '') return undefined;
  const collection = collections.find((c) => sameName(c.name, source.name));
  const field = collection?.fields.find((f) => sameName(f.name, hint.field));
  return collection && field ? { collection, field } : undefined;
}

/**
 * The definition of a column that reads a collection's field as it is: a copy of that field
 * under the column's name (with an id of its own, so that one field may appear twice), or a
 * single relation to that collection for its `id`.
 */
function copiedField(name: string, { collection, field }: ColumnSource): Record<string, unknown> {
  if (field.name === 'id') {
    return { name, type: 'relation', collectionId: collection.id, maxSelect: 1 };
  }
  return { ...field, name, id: `_clone_${crc32Decimal(name)}`, system: false };
}

/** A column's field definition, from what its expression says (PocketBase's inference). */
function inferColumn(
  name: string,
  parsed: ParsedViewQuery,
  collections: readonly Collection[],
): Record<string, unknown> {
  if (name === 'id') return viewIdField();
  const column = findColumn(parsed, name);
  const hint = column ? columnHint(column.expression) : undefined;
  switch (hint?.kind) {
    case 'number':
      return { name, type: 'number', onlyInt: hint.onlyInt };
    case 'text':
      return { name, type: 'text' };
    case 'bool':
      return { name, type: 'bool' };
    case 'column': {
      const source = columnSource(parsed, name, collections);
      if (source) return copiedField(name, source);
      break;
    }
    default:
      break;
  }
  return { name, type: 'json', maxSize: 1 };
}

/**
 * The fields of a view whose columns (in the view's order) are `columns`, inferred from the
 * parsed query and the collections it reads: `id` is text; `count(...)`, `total(...)` and
 * casts to a number, text or boolean type give those fields; a column that reads a field of a
 * collection copies that field (its `id` becomes a relation to it); anything else is JSON.
 * Returns a problem sentence when a column cannot be a field (its name, a duplicate).
 */
export function inferViewFields(
  columns: readonly string[],
  parsed: ParsedViewQuery,
  collections: readonly Collection[],
): { fields: Field[] } | { problem: string } {
  const fields: Field[] = [];
  const seen = new Set<string>();
  for (const name of columns) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) return { problem: `The column "${name}" appears more than once.` };
    seen.add(lower);
    if (isReservedFieldName(name, 'view')) {
      return { problem: `The column name "${name}" is reserved; choose another alias.` };
    }
    const errors = new ErrorCollector();
    const field = readField(inferColumn(name, parsed, collections), errors, ['field']);
    if (!field || errors.hasErrors) {
      return {
        problem: `The column "${name}" cannot be a field: give it a plain name (letters, digits and _) with AS.`,
      };
    }
    fields.push(field);
  }
  return { fields };
}
