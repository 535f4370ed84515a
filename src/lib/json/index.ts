/**
 * JSON response helpers: the generic `fields` query param (parse once, project any 2xx JSON
 * body or each item of a list result) and the HTML-to-plain-text excerpt behind `:excerpt`.
 */
export { applyFieldsProjection, applyToListResult, isListResult } from './fields-apply.js';
export type { ListResultLike } from './fields-apply.js';
export { FieldsParamError } from './fields-error.js';
export { parseFieldsParam } from './fields-parse.js';
export type {
  ExcerptModifier,
  FieldModifier,
  FieldPick,
  FieldSelection,
  FieldsProjection,
  NestedPick,
  WholePick,
} from './fields-types.js';
export { FIELDS_MAX_DEPTH, FIELDS_MAX_LENGTH, FIELDS_MAX_PATHS } from './fields-types.js';
export { toExcerpt } from './html-excerpt.js';
export { jsonTextTooDeep, jsonValueProblem, MAX_JSON_DEPTH } from './json-limits.js';
export type { JsonValueProblem } from './json-limits.js';
