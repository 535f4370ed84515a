import { Type, type Static } from '@sinclair/typebox';

/** Query params of list endpoints (API.md §1.1); numbers arrive as text and are coerced. */
export const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer()),
  perPage: Type.Optional(Type.Integer()),
  sort: Type.Optional(Type.String()),
  filter: Type.Optional(Type.String()),
  skipTotal: Type.Optional(Type.String()),
  fields: Type.Optional(Type.String()),
  expand: Type.Optional(Type.String()),
});

/** Parsed list query params. */
export type ListQueryInput = Static<typeof ListQuery>;
