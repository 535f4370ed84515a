import { sql, type Expression, type SqlBool } from 'kysely';
import { baseOperator, isAnyOperator, type Comparison } from '../../lib/filter/index.js';
import type { Compiler } from './rule-compiler.js';
import { compareOperands } from './rule-operators.js';
import { resolveOperand } from './rule-resolve-operand.js';
import { JoinScope, noViolation } from './rule-scope.js';

/**
 * Compiles one comparison in `scope` with the multi-value semantics of API.md §2.1.
 *
 * Both sides are resolved in the shared scope, so a `?` operator reads the joined row that
 * every other condition on the same path reads: "at least one item" falls out of the EXISTS
 * around the whole condition. A plain operator on a multi-valued side means "every item":
 * the condition on the shared row AND no item violating it, checked by resolving the same
 * sides again in a fresh scope (new aliases) inside a NOT EXISTS. An empty list joins one NULL
 * item, so `tags:each = 'b'` does not match `[]` while `tags:each != 'b'` does.
 */
export function compileComparison(
  c: Compiler,
  scope: JoinScope,
  node: Comparison,
): Expression<SqlBool> {
  const op = baseOperator(node.op);
  const left = resolveOperand(c, scope, node.left);
  const right = resolveOperand(c, scope, node.right);
  const condition = compareOperands(c.dialect, left, op, right);
  if (isAnyOperator(node.op) || (left.multi !== true && right.multi !== true)) return condition;
  const fresh = new JoinScope(c.aliases);
  const freshLeft = resolveOperand(c, fresh, node.left);
  const freshRight = resolveOperand(c, fresh, node.right);
  const every = noViolation(fresh, compareOperands(c.dialect, freshLeft, op, freshRight));
  return sql<SqlBool>`(${condition} and ${every})`;
}
