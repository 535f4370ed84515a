import { FilterSyntaxError, parseFilter } from '../../lib/filter/index.js';

/**
 * Checks that a rule parses; returns the parser's message (pointing at the failure) when it
 * does not. Resolving the identifiers against the schema is the rule compiler's job.
 */
export function checkRuleSyntax(rule: string): string | undefined {
  try {
    parseFilter(rule);
    return undefined;
  } catch (error) {
    if (error instanceof FilterSyntaxError) return error.message;
    throw error;
  }
}
