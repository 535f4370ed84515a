/** How wide a printed line may be (Prettier's `printWidth` of generated files). */
const PRINT_WIDTH = 100;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A string as a JavaScript literal: single quotes unless the text holds more of them. */
function stringLiteral(text: string): string {
  const singles = (text.match(/'/g) ?? []).length;
  const doubles = (text.match(/"/g) ?? []).length;
  const json = JSON.stringify(text);
  if (singles > doubles) return json;
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function primitive(value: unknown): string {
  if (typeof value === 'string') return stringLiteral(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return 'null';
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/**
 * Prints JSON-like data as a JavaScript expression laid out as Prettier would (2 spaces,
 * single quotes, trailing commas, unquoted keys, objects expanded, arrays of primitives on one
 * line when they fit), for generated source files. `indent` is the column the value starts
 * on; `lead` how many characters precede it on its line.
 */
export function jsLiteral(value: unknown, indent = 0, lead = indent): string {
  if (isPrimitive(value)) return primitive(value);
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items: unknown[] = value;
    if (items.every(isPrimitive)) {
      const inline = `[${items.map(primitive).join(', ')}]`;
      if (lead + inline.length + 1 <= PRINT_WIDTH) return inline;
    }
    const lines = items.map((item) => `${pad}${jsLiteral(item, indent + 2)},`);
    return `[\n${lines.join('\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  );
  if (entries.length === 0) return '{}';
  const lines = entries.map(([k, v]) => {
    const head = `${pad}${key(k)}: `;
    return `${head}${jsLiteral(v, indent + 2, head.length)},`;
  });
  return `{\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
}
