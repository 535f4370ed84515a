import { sql, type Expression } from 'kysely';

/** How an engine writes the two functions the Haversine formula needs beyond plain math. */
export interface HaversineParts {
  /** The smaller of two numbers, NULL when either is NULL (`min` on SQLite). */
  readonly smaller: (a: Expression<unknown>, b: Expression<unknown>) => Expression<unknown>;
  /** Radians of a value in degrees, which may be numeric text on engines that type strictly. */
  readonly radians: (degrees: Expression<unknown>) => Expression<unknown>;
}

/**
 * The great-circle distance in km between two points in degrees (Haversine, earth radius
 * 6371 km); NULL when any argument is NULL. Shared by the engines' SQL dialects.
 */
export function haversineSql(
  parts: HaversineParts,
  lonA: Expression<unknown>,
  latA: Expression<unknown>,
  lonB: Expression<unknown>,
  latB: Expression<unknown>,
): Expression<unknown> {
  const { radians } = parts;
  const halfDLat = sql`sin((${radians(latB)} - ${radians(latA)}) / 2)`;
  const halfDLon = sql`sin((${radians(lonB)} - ${radians(lonA)}) / 2)`;
  const a = sql`power(${halfDLat}, 2) + cos(${radians(latA)}) * cos(${radians(latB)}) * power(${halfDLon}, 2)`;
  // The smaller of 1 and the root keeps rounding errors from pushing asin() out of its domain.
  return sql`(6371 * 2 * asin(${parts.smaller(sql`1`, sql`sqrt(${a})`)}))`;
}
