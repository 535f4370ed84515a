/** A name TypeScript accepts as a property name or type name without quotes. */
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `name` as a property key: as it is when it is an identifier, else a quoted string. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quoted(name);
}

/** `text` as a single-quoted TypeScript string literal. */
export function quoted(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${escaped}'`;
}

/**
 * The PascalCase type name of a collection name: words split on anything that is not a
 * letter or digit (`order_items` -> `OrderItems`, `_superusers` -> `Superusers`), each
 * capitalised; a name that would start with a digit gets a `C` in front, an empty one is
 * `Collection`.
 */
export function pascalName(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  if (joined === '') return 'Collection';
  return /^[0-9]/.test(joined) ? `C${joined}` : joined;
}

/**
 * Gives each collection name a type base name, unique: where two names give the same base
 * (`order_items`, `orderItems`), or a derived name (base + one of `suffixes`) is in `taken`,
 * the later one (in the given order) gets `2`, `3`... appended.
 */
export function allocateTypeNames(
  names: readonly string[],
  suffixes: readonly string[],
  taken: ReadonlySet<string>,
): Map<string, string> {
  const used = new Set(taken);
  const out = new Map<string, string>();
  for (const name of names) {
    const base = pascalName(name);
    let candidate = base;
    for (let n = 2; suffixes.some((s) => used.has(candidate + s)); n++) candidate = `${base}${n}`;
    for (const s of suffixes) used.add(candidate + s);
    out.set(name, candidate);
  }
  return out;
}
