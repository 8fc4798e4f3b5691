/**
 * What a test that needs something from outside the repository does when it cannot be had on this
 * machine (real nsys: no network to the Debian mirror, not linux/x86-64, no C compiler for the
 * profiled program; a browser: the same for Debian's Chromium): on a developer's machine it is
 * skipped, with the reason printed; where the requirement's environment variable is `1` (CI:
 * `.ci/run` sets NSYS_BENCH_REQUIRE_NSYS and NSYS_BENCH_REQUIRE_BROWSER) it fails with that reason
 * instead, so that CI can never pass with these tests silently skipped.
 */

/** The environment variable that turns the real-nsys skips into failures. */
export const REQUIRE_NSYS_ENV = 'NSYS_BENCH_REQUIRE_NSYS'
/** The environment variable that turns the browser tests' skips into failures. */
export const REQUIRE_BROWSER_ENV = 'NSYS_BENCH_REQUIRE_BROWSER'

/** What a test needs: the variable that makes it required, and what it is, for the message. */
export interface Requirement {
  env: string
  what: string
}

export const NSYS: Requirement = { env: REQUIRE_NSYS_ENV, what: 'real-nsys' }
export const BROWSER: Requirement = { env: REQUIRE_BROWSER_ENV, what: 'browser' }

/** The part of vitest's test context this needs (`ctx` of `it` or `beforeEach`). */
export interface SkippableContext {
  skip: (note?: string) => never
}

/** Whether the requirement's variable (NSYS_BENCH_REQUIRE_NSYS) is `1` (read at each call). */
export function nsysRequired(env: NodeJS.ProcessEnv = process.env, requirement = NSYS): boolean {
  return env[requirement.env] === '1'
}

/**
 * Skip the running test with `reason`, or fail it with `reason` when the requirement's variable
 * (NSYS_BENCH_REQUIRE_NSYS by default) is `1`.
 */
export function skipOrFail(
  ctx: SkippableContext,
  reason: string | undefined,
  requirement = NSYS
): never {
  const why = reason?.trim() || 'no reason given'
  if (nsysRequired(process.env, requirement)) {
    throw new Error(
      `${requirement.env}=1: this ${requirement.what} test must run, not be skipped: ${why}`
    )
  }
  return ctx.skip(why)
}
