/**
 * Freezes `value` and everything reachable from it, so that a shared (cached) AST cannot be
 * changed by one caller under another's feet. Already frozen objects are skipped.
 */
export function deepFreeze<T>(value: T): T {
  freezeAll(value);
  return value;
}

function freezeAll(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  const children: unknown[] = Object.values(value);
  for (const child of children) freezeAll(child);
}
