// A small JSON client for setting servers up: every unexpected answer becomes an error that
// names the step, the request and the response, so a missing endpoint is obvious.

import { UnexpectedResponse } from './errors.mjs';

/**
 * Sends one JSON request and returns the parsed body. `expect` is the status that counts as
 * success (200 by default); anything else throws an UnexpectedResponse naming `step`.
 */
export async function api(baseUrl, method, path, { step, token, body, expect = 200 } = {}) {
  const headers = {};
  if (token) headers.authorization = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new UnexpectedResponse(`${step}: ${method} ${path} failed: ${err.message}`);
  }
  const text = await res.text();
  if (res.status !== expect) {
    const hint =
      res.status === 404 && text.includes("wasn't found")
        ? ' (the route does not exist: is this endpoint implemented in this build?)'
        : '';
    throw new UnexpectedResponse(
      `${step}: ${method} ${path} answered ${res.status}, expected ${expect}${hint}\n  body: ${text.slice(0, 500)}`,
    );
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedResponse(
      `${step}: ${method} ${path} answered non-JSON: ${text.slice(0, 200)}`,
    );
  }
}

/** Throws an UnexpectedResponse naming `step` unless `condition` holds. */
export function check(condition, step, message, value) {
  if (!condition) {
    const shown = value === undefined ? '' : `\n  got: ${JSON.stringify(value).slice(0, 500)}`;
    throw new UnexpectedResponse(`${step}: ${message}${shown}`);
  }
}

/** Runs `task(item, index)` over `items` with at most `concurrency` in flight. */
export async function pool(items, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
