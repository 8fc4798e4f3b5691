/**
 * What a real-nsys test does when nsys cannot be had on this machine (no network to the Debian
 * mirror, not linux/x86-64, no C compiler for the profiled program): on a developer's machine it
 * is skipped, with the reason printed; where the environment variable NSYS_BENCH_REQUIRE_NSYS is
 * `1` (CI: `.ci/run` sets it) it fails with that reason instead, so that CI can never pass with
 * the real-nsys tests silently skipped.
 */

/** The environment variable that turns these skips into failures. */
export const REQUIRE_NSYS_ENV = 'NSYS_BENCH_REQUIRE_NSYS'

/** The part of vitest's test context this needs (`ctx` of `it` or `beforeEach`). */
export interface SkippableContext {
  skip: (note?: string) => never
}

/** Whether NSYS_BENCH_REQUIRE_NSYS=1 is set (read at each call). */
export function nsysRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[REQUIRE_NSYS_ENV] === '1'
}

/** Skip the running test with `reason`, or fail it with `reason` when NSYS_BENCH_REQUIRE_NSYS=1. */
export function skipOrFail(ctx: SkippableContext, reason: string | undefined): never {
  const why = reason?.trim() || 'no reason given'
  if (nsysRequired()) {
    throw new Error(`${REQUIRE_NSYS_ENV}=1: this real-nsys test must run, not be skipped: ${why}`)
  }
  return ctx.skip(why)
}
