/**
 * An independent reference for the rank tests over runs (Mann–Whitney): U counted pair by pair,
 * and every split of the pooled values enumerated. No formula of the code under test.
 */

/** U of the head: pairs with the head's value larger, ties counted one half. */
export function uOf(base: readonly number[], head: readonly number[]): number {
  let u = 0
  for (const b of base) for (const h of head) u += h > b ? 1 : h === b ? 0.5 : 0
  return u
}

/** Every way to choose k of 0 … N − 1. */
export function* subsets(N: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc
    return
  }
  for (let i = start; i <= N - (k - acc.length); i++) yield* subsets(N, k, i + 1, [...acc, i])
}
