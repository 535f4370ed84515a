/** The collection action tags a rate limit label may name (API.md §7). */
export const RATE_LIMIT_TAGS = [
  'list',
  'view',
  'create',
  'update',
  'delete',
  'file',
  'listAuthMethods',
  'authRefresh',
  'auth',
  'authWithPassword',
  'authWithOAuth2',
  'authWithOTP',
  'requestOTP',
  'requestPasswordReset',
  'confirmPasswordReset',
  'requestVerification',
  'confirmVerification',
  'requestEmailChange',
  'confirmEmailChange',
] as const;

/** One collection action tag. */
export type RateLimitTag = (typeof RATE_LIMIT_TAGS)[number];

const METHODS = 'GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS';
const PATH_LABEL = new RegExp(`^(?:(?:${METHODS}) )?/[^\\s?#]*$`);
const TAG_LABEL = new RegExp(`^(?:\\*|[A-Za-z0-9_]+):(?:${RATE_LIMIT_TAGS.join('|')})$`);

/**
 * True when `label` has one of the forms of API.md §7: `[METHOD ]/exact/path`,
 * `[METHOD ]/path/prefix/` (ends with a slash), `<collection>:<tag>` or `*:<tag>`.
 */
export function isRateLimitLabel(label: string): boolean {
  return PATH_LABEL.test(label) || TAG_LABEL.test(label);
}

/** True when the label is a path prefix (it ends with `/`). */
export function isPrefixLabel(label: string): boolean {
  return label.endsWith('/');
}
