import { syntaxError } from './filter-error.js';
import { assertIdentifier } from './filter-identifier.js';
import { SORT_MAX_EXPRESSION_LENGTH, SORT_MAX_EXPRESSIONS } from './filter-limits.js';
import { splitList } from './list-split.js';

/** One `sort` expression: a field (or `@random` / `@rowid`) and its direction. */
export interface SortField {
  /** The identifier as written, modifier included (e.g. `title:lower`, `author.name`). */
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

/**
 * Parses the `sort` query param: a comma list where `-field` sorts descending and `field` or
 * `+field` ascending. Empty items are skipped. Each field must be a valid identifier (so
 * `@random`, `@rowid` and modifiers such as `title:lower` pass; the compiler decides what they
 * mean). At most 8 expressions of at most 255 characters each. Throws
 * `FilterSyntaxError` with the offset into `text`.
 *
 * @example parseSort('-created,+title') // [{field:'created',direction:'desc'}, {field:'title',direction:'asc'}]
 */
export function parseSort(text: string): SortField[] {
  const fields: SortField[] = [];
  for (const part of splitList(text, ',')) {
    if (part.text === '') continue;
    if (fields.length === SORT_MAX_EXPRESSIONS) {
      throw syntaxError(`Too many sort expressions (max ${SORT_MAX_EXPRESSIONS})`, part.pos);
    }
    if (part.text.length > SORT_MAX_EXPRESSION_LENGTH) {
      throw syntaxError(
        `Sort expression longer than ${SORT_MAX_EXPRESSION_LENGTH} characters`,
        part.pos,
      );
    }
    fields.push(parseSortItem(part.text, part.pos));
  }
  return fields;
}

function parseSortItem(item: string, pos: number): SortField {
  const sign = item.charAt(0);
  const signed = sign === '-' || sign === '+';
  const field = signed ? item.slice(1) : item;
  const fieldPos = signed ? pos + 1 : pos;
  if (field === '') {
    throw syntaxError('Missing sort field', fieldPos);
  }
  assertIdentifier(field, fieldPos);
  return { field, direction: sign === '-' ? 'desc' : 'asc' };
}
