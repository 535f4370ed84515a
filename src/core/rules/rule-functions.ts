import type { Expression, SqlBool } from 'kysely';
import type { FunctionOperand, Operand } from '../../lib/filter/index.js';
import { resolveError, type Compiler } from './rule-compiler.js';
import type { Resolved } from './rule-operand.js';

/** Resolves one function argument in the caller's scope. */
export type ArgResolver = (arg: Operand) => Resolved;

const STRFTIME_MAX_ARGS = 10;

function guardsOf(values: readonly Resolved[]): readonly Expression<SqlBool>[] {
  return values.flatMap((v) => v.guards ?? []);
}

/**
 * `geoDistance(lonA, latA, lonB, latB)`: kilometres between two points; each argument is a
 * number or an identifier. Compared without null/empty folding. Multi-valued arguments are not
 * "every item" (the function matches when at least one combination does), as in PocketBase.
 */
function geoDistance(c: Compiler, fn: FunctionOperand, resolveArg: ArgResolver): Resolved {
  if (fn.args.length !== 4) {
    throw resolveError(c, `geoDistance() expects 4 arguments, got ${fn.args.length}`, fn.pos);
  }
  const args = fn.args.map((arg) => {
    if (arg.kind !== 'identifier' && arg.kind !== 'number' && arg.kind !== 'param') {
      throw resolveError(c, 'geoDistance() arguments must be numbers or identifiers', arg.pos);
    }
    return resolveArg(arg);
  });
  const [lonA, latA, lonB, latB] = args.map((a) => a.expr);
  if (lonA === undefined || latA === undefined || lonB === undefined || latB === undefined) {
    throw resolveError(c, 'geoDistance() expects 4 arguments', fn.pos);
  }
  return {
    expr: c.dialect.geoDistance(lonA, latA, lonB, latB),
    json: true,
    type: 'number',
    guards: guardsOf(args),
  };
}

/**
 * `strftime(format, [time, modifiers...])` (SQLite semantics, `''` instead of NULL): the format
 * and modifiers are quoted text; the time is text, a number or an identifier, and a
 * multi-valued time makes the result multi-valued.
 */
function strftime(c: Compiler, fn: FunctionOperand, resolveArg: ArgResolver): Resolved {
  const [format, time, ...modifiers] = fn.args;
  if (format === undefined || fn.args.length > STRFTIME_MAX_ARGS) {
    const what = `strftime() expects 1 to ${STRFTIME_MAX_ARGS} arguments, got ${fn.args.length}`;
    throw resolveError(c, what, fn.pos);
  }
  if (format.kind !== 'text') {
    throw resolveError(c, 'strftime() expects a quoted format as its first argument', format.pos);
  }
  for (const modifier of modifiers) {
    if (modifier.kind !== 'text') {
      throw resolveError(c, 'strftime() modifiers must be quoted text', modifier.pos);
    }
  }
  if (time?.kind === 'function') {
    throw resolveError(c, 'strftime() expects a text, number or identifier time value', time.pos);
  }
  const timeValue = time === undefined ? undefined : resolveArg(time);
  if (!c.dialect.strftime) {
    throw resolveError(c, 'strftime() is not available on this database engine yet', fn.pos);
  }
  const expr = c.dialect.strftime(
    resolveArg(format).expr,
    timeValue?.expr,
    modifiers.map((m) => resolveArg(m).expr),
  );
  return { expr, multi: timeValue?.multi, guards: timeValue?.guards, type: 'text' };
}

/** Resolves a function call (API.md §2.1); an unknown function or bad arguments are a 400. */
export function resolveFunction(
  c: Compiler,
  fn: FunctionOperand,
  resolveArg: ArgResolver,
): Resolved {
  switch (fn.name) {
    case 'geoDistance':
      return geoDistance(c, fn, resolveArg);
    case 'strftime':
      return strftime(c, fn, resolveArg);
    default:
      throw resolveError(c, `unknown function "${fn.name}"`, fn.pos);
  }
}
