import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id parameters: OWASP's recommended minimum (19 MiB of memory, 2 iterations, 1 lane).
 * Raising them makes logins proportionally slower; see docs/architecture.md.
 */
export const ARGON2_PARAMS = {
  // 2 = Algorithm.Argon2id (a const enum, which isolated modules cannot import).
  algorithm: 2,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hashes a password with argon2id into a PHC string (`$argon2id$v=19$m=...`). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

/**
 * Verifies a password against a stored hash: argon2 PHC strings, or bcrypt hashes
 * (`$2a$`/`$2b$`/`$2y$`) carried over from imported PocketBase data. Unknown formats never match.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2')) {
    return verify(stored, password).catch(() => false);
  }
  if (/^\$2[aby]\$\d\d\$/.test(stored)) {
    // Loaded on first use: only databases imported from PocketBase hold bcrypt hashes.
    const bcrypt = await import('bcryptjs');
    return bcrypt.default.compare(password, stored);
  }
  return false;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, for a login whose identity is unknown, so that
 * response timing does not reveal whether an account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('basalt-dummy-password-for-timing');
  await verifyPassword(password, await dummyHash);
  return false;
}
