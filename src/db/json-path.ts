const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A JSON path as SQLite's and MariaDB's JSON functions read it, such as `$.a.b[0]`: an
 * all-digit segment is an array index, a plain word a key, and any other key is
 * double-quoted with JSON escapes (`$."a b"`). An empty path is `$`, the whole value.
 */
export function jsonPathText(path: readonly string[]): string {
  let out = '$';
  for (const segment of path) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += `.${segment}`;
    else out += `.${JSON.stringify(segment)}`;
  }
  return out;
}
