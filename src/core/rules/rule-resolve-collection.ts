import type { IdentifierOperand } from '../../lib/filter/index.js';
import { resolveError, type Compiler } from './rule-compiler.js';
import type { PathCursor } from './rule-cursor.js';
import { joinCollection } from './rule-joins.js';
import type { Modifier } from './rule-modifiers.js';
import type { Resolved } from './rule-operand.js';
import { walkPath } from './rule-resolve-field.js';
import type { JoinScope } from './rule-scope.js';

/**
 * `@collection.<nameOrId>[:alias].<field>...` (API.md §2.2): a join of the whole collection,
 * not related to the main record, multi-valued. Every use of the same collection and alias in
 * one filter reads the same joined row, so `@collection.regs.user ?= x && @collection.regs.course
 * ?= id` needs one `regs` row matching both; `:alias` joins the collection again independently.
 */
export function resolveCollectionPath(
  c: Compiler,
  scope: JoinScope,
  operand: IdentifierOperand,
  modifier: Modifier | undefined,
): Resolved {
  const [, target = '', ...path] = operand.path;
  if (path.length === 0) {
    throw resolveError(
      c,
      `incomplete "${operand.name}": expected @collection.<name>.<field>`,
      operand.pos,
    );
  }
  const colon = target.indexOf(':');
  const name = colon < 0 ? target : target.slice(0, colon);
  const alias = colon < 0 ? '' : target.slice(colon + 1);
  const collection = c.ctx.findCollection(name);
  if (collection === undefined) {
    throw resolveError(c, `unknown collection "${name}"`, operand.pos);
  }
  const key = `@collection.${collection.id}:${alias}`;
  const cursor: PathCursor = {
    collection,
    alias: joinCollection(c, scope, key, collection, undefined, operand.pos),
    key,
    multi: true,
    hops: 0,
    restricted: false,
    nullifyMissing: false,
    mainRow: false,
  };
  return walkPath(c, scope, cursor, path, modifier, operand);
}
