/**
 * Prepared statements by SQL text, at most `capacity` of them, least recently used out first.
 * Preparing costs more than running a point lookup, so each distinct text is prepared once.
 *
 * A hit moves the statement to the back of the eviction order only once the cache is more than
 * half full: before that nothing can be evicted, and a statement still in use is moved while the
 * second half fills. Most hits then cost one Map lookup instead of a lookup, delete and insert.
 */
export class StatementCache<S> {
  private readonly statements = new Map<string, S>();

  constructor(
    private readonly prepare: (sql: string) => S,
    private readonly capacity: number,
  ) {}

  get(sql: string): S {
    const cached = this.statements.get(sql);
    if (cached !== undefined) {
      if (this.statements.size > this.capacity / 2) {
        this.statements.delete(sql);
        this.statements.set(sql, cached);
      }
      return cached;
    }
    const statement = this.prepare(sql);
    if (this.statements.size >= this.capacity) {
      const oldest = this.statements.keys().next();
      if (!oldest.done) this.statements.delete(oldest.value);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  clear(): void {
    this.statements.clear();
  }
}
