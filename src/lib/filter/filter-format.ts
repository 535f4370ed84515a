import type { ExpressionGroup, FilterNode, Operand } from './filter-ast.js';
import { FilterSyntaxError } from './filter-error.js';

/**
 * Prints an AST back as canonical filter text: single spaces around operators and joins,
 * parentheses exactly where the AST has nested groups, text in single quotes, numbers in plain
 * decimal. Parsing the output gives the same AST apart from offsets. The AST is trusted (names
 * are not re-validated). Throws {@link FilterSyntaxError} for the few values the language cannot
 * spell: a text ending in a backslash, or a non-finite number.
 */
export function formatFilter(ast: ExpressionGroup): string {
  return ast.items
    .map((item, index) => {
      const node = formatNode(item.node);
      if (index === 0) return node;
      return `${item.join === 'and' ? '&&' : '||'} ${node}`;
    })
    .join(' ');
}

function formatNode(node: FilterNode): string {
  if (node.kind === 'group') return `(${formatFilter(node)})`;
  return `${formatOperand(node.left)} ${node.op} ${formatOperand(node.right)}`;
}

/** Prints one operand as filter text (see {@link formatFilter}). */
export function formatOperand(operand: Operand): string {
  switch (operand.kind) {
    case 'identifier':
      return operand.modifier === undefined ? operand.name : `${operand.name}:${operand.modifier}`;
    case 'number':
      return formatNumber(operand.value, operand.pos);
    case 'text':
      return formatText(operand.value, operand.pos);
    case 'function':
      return `${operand.name}(${operand.args.map(formatOperand).join(', ')})`;
    case 'param':
      return `{:${operand.name}}`;
  }
}

function formatText(value: string, pos: number): string {
  // Only `\'` is an escape, so a closing quote right after a backslash would itself be escaped.
  if (value.endsWith('\\')) {
    throw new FilterSyntaxError(
      `Text ending in a backslash cannot be written as filter text (operand at position ${pos}).`,
      pos,
    );
  }
  return `'${value.replaceAll("'", "\\'")}'`;
}

/** Plain decimal: the language has no exponent, so `1e21` is spelled out in full. */
function formatNumber(value: number, pos: number): string {
  if (!Number.isFinite(value)) {
    throw new FilterSyntaxError(
      `Number ${value} cannot be written as filter text (operand at position ${pos}).`,
      pos,
    );
  }
  if (Object.is(value, -0)) return '-0';
  const shortest = String(value);
  const e = shortest.indexOf('e');
  return e < 0 ? shortest : expandExponent(shortest.slice(0, e), Number(shortest.slice(e + 1)));
}

/** Turns mantissa `-1.25` and exponent `-3` into `-0.00125`; exact, since digits only move. */
function expandExponent(mantissa: string, exponent: number): string {
  const sign = mantissa.startsWith('-') ? '-' : '';
  const unsigned = sign === '' ? mantissa : mantissa.slice(1);
  const dot = unsigned.indexOf('.');
  const digits = unsigned.replace('.', '');
  const point = (dot < 0 ? unsigned.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
