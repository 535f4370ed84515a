import { ApiError } from '../errors.js';

/** Raw list query params (API.md §1.1). */
export interface ListParams {
  readonly page?: number | undefined;
  readonly perPage?: number | undefined;
  readonly sort?: string | undefined;
  readonly filter?: string | undefined;
  readonly skipTotal?: string | undefined;
}

/** Page size limits of list endpoints. */
export const PER_PAGE = { default: 30, max: 1000 } as const;

/** The page window after PocketBase's normalisation. */
export interface PageWindow {
  readonly page: number;
  readonly perPage: number;
  readonly skipTotal: boolean;
}

const TRUE_TEXT = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const FALSE_TEXT = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/** Go's `strconv.ParseBool`, as PocketBase parses `skipTotal`; other text is a 400. */
export function parseGoBool(text: string): boolean {
  if (TRUE_TEXT.includes(text)) return true;
  if (FALSE_TEXT.includes(text)) return false;
  throw new ApiError('bad_request');
}

/**
 * page <= 0 -> 1; perPage <= 0 -> 30; perPage > 1000 -> 1000 (silently clamped). A page whose
 * offset is past the largest exact integer (`page=1e300`) answers 400 before any query: the
 * engines would refuse or misread such an offset.
 */
export function pageWindow(params: ListParams): PageWindow {
  const page = params.page !== undefined && params.page > 0 ? params.page : 1;
  let perPage =
    params.perPage !== undefined && params.perPage > 0 ? params.perPage : PER_PAGE.default;
  perPage = Math.min(perPage, PER_PAGE.max);
  if (!Number.isSafeInteger((page - 1) * perPage + perPage))
    throw new ApiError('bad_request', {}, 'Invalid page.');
  const skipTotal =
    params.skipTotal !== undefined && params.skipTotal !== '' && parseGoBool(params.skipTotal);
  return { page, perPage, skipTotal };
}

/** A page of results, serialized in the order `items, page, perPage, totalItems, totalPages`. */
export interface ListResult<T> {
  items: T[];
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
}

/** Builds a list response; with skipTotal the totals are -1. */
export function listResult<T>(
  items: T[],
  window: PageWindow,
  total: number | undefined,
): ListResult<T> {
  if (window.skipTotal || total === undefined) {
    return { items, page: window.page, perPage: window.perPage, totalItems: -1, totalPages: -1 };
  }
  return {
    items,
    page: window.page,
    perPage: window.perPage,
    totalItems: total,
    totalPages: Math.ceil(total / window.perPage),
  };
}
