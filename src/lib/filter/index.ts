/**
 * The filter/rule language front end: text -> typed AST (no SQL here), plus the `sort` and
 * `expand` query params. Compile the AST to SQL in src/core/rules.
 */
export type {
  Comparison,
  ExpressionGroup,
  FilterNode,
  FunctionOperand,
  GroupItem,
  IdentifierOperand,
  LiteralKeyword,
  NumberOperand,
  Operand,
  ParamOperand,
  TextOperand,
} from './filter-ast.js';
export { literalKeyword } from './filter-ast.js';
export { clearFilterCache, filterCacheSize, LruCache, parseFilter } from './filter-cache.js';
export { FilterSyntaxError } from './filter-error.js';
export { formatFilter, formatOperand } from './filter-format.js';
export { assertIdentifier, parseIdentifier } from './filter-identifier.js';
export {
  DEFAULT_MAX_EXPRESSIONS,
  EXPAND_MAX_DEPTH,
  FILTER_CACHE_CAPACITY,
  LIST_FILTER_MAX_LENGTH,
  MAX_FUNCTION_ARGS,
  MAX_FUNCTION_DEPTH,
  MAX_GROUP_DEPTH,
  SORT_MAX_EXPRESSION_LENGTH,
  SORT_MAX_EXPRESSIONS,
} from './filter-limits.js';
export type { FilterParseOptions } from './filter-parse.js';
export { parseFilterUncached } from './filter-parse.js';
export type { BaseOperator, Join, Operator, Token, TokenKind } from './filter-token.js';
export { baseOperator, isAnyOperator, OPERATORS } from './filter-token.js';
export { Lexer, tokenize } from './filter-tokenize.js';
export type { ExpandNode } from './expand-parse.js';
export { parseExpand } from './expand-parse.js';
export type { SortField } from './sort-parse.js';
export { parseSort } from './sort-parse.js';
