/**
 * Student's t over the runs takes finite values only: a mean or a spread of an infinite or NaN
 * value is NaN, and the test read p = 0 (a certain change) off it.
 */
import { describe, expect, it } from 'vitest'
import { runTTest } from '../../src/compare/statistics.js'

describe("Student's t with values that are not finite", () => {
  it('is undefined, not p = 0', () => {
    expect(runTTest([100, 101], [Infinity, 102], 0.95)).toBeUndefined()
    expect(runTTest([100, NaN, 101], [100, 102, 101], 0.95)).toBeUndefined()
    expect(runTTest([0, 0], [-Infinity, 1], 0.95)).toBeUndefined()
  })

  it('with values near 2^53 ns, reads the ratio from the logarithms', () => {
    // Head 2 % above a base of about 2^52.9 ns: log ratio 0.0198 exactly as small values give.
    const base = [2 ** 52.9, 2 ** 52.9 * 1.001, 2 ** 52.9 * 0.999]
    const head = base.map((v) => v * 1.02)
    const small = runTTest([1, 1.001, 0.999], [1.02, 1.02102, 1.01898], 0.95)!
    const big = runTTest(base, head, 0.95)!
    expect(big.p).toBeCloseTo(small.p, 8)
    expect(big.low).toBeCloseTo(small.low, 8)
  })
})
