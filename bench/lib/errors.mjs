// Failures the benchmarks expect and explain themselves: printed as their message, no stack.

/** A step of the benchmark failed for a reason its message explains (server, build, command). */
export class BenchFailure extends Error {}

/** A server answered a set-up or check request with something other than what API.md says. */
export class UnexpectedResponse extends BenchFailure {}
