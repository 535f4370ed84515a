import type { IdentifierOperand } from '../../lib/filter/index.js';
import { resolveError, type Compiler } from './rule-compiler.js';

/** The identifier modifiers of API.md §2.3. */
export const MODIFIERS = ['isset', 'changed', 'length', 'each', 'lower'] as const;

/** One identifier modifier, e.g. `each` in `tags:each`. */
export type Modifier = (typeof MODIFIERS)[number];

function isModifier(name: string): name is Modifier {
  return MODIFIERS.some((m) => m === name);
}

/** The operand's modifier; an unknown one is a 400 whatever the identifier is. */
export function modifierOf(c: Compiler, operand: IdentifierOperand): Modifier | undefined {
  const name = operand.modifier;
  if (name === undefined) return undefined;
  if (!isModifier(name)) throw resolveError(c, `unknown modifier ":${name}"`, operand.pos);
  return name;
}

/** The 400 of a known modifier used where it does not apply (on `@request.*` values). */
export function modifierNotApplicable(
  c: Compiler,
  operand: IdentifierOperand,
  modifier: Modifier,
): Error {
  return resolveError(
    c,
    `modifier ":${modifier}" cannot be used with "${operand.name}"`,
    operand.pos,
  );
}
