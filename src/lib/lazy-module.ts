/**
 * A loader that imports a module on its first call and hands every later call the same
 * promise. Basalt loads what a configuration may never use (the PostgreSQL and MySQL
 * drivers, nodemailer, sharp, file-type, the AWS SDK) this way, so that a SQLite server that
 * sends no mail and makes no thumbs never pays for them in start-up time or memory.
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      // A failed load is not kept: the next call tries again.
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
