// Module customization hooks (node:module register) that append every resolved module URL to
// the file named by BASALT_MODULE_TRACE: what a process loaded, for the start-up weight test.
import { appendFileSync } from 'node:fs';

const out = process.env.BASALT_MODULE_TRACE;

export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (out) appendFileSync(out, `${result.url}\n`);
  return result;
}
