import { describe, expect, it } from 'vitest'
import {
  mannWhitney,
  median,
  minimumPValue,
  ratioInterval,
  uCdf
} from '../../src/compare/statistics.js'

describe('Mann–Whitney U', () => {
  it('has the exact null distribution (counts of U for n = m = 5: 1, 1, 2, 3, 5, … of 252)', () => {
    const cdf = uCdf(5, 5)!
    expect(cdf).toHaveLength(26)
    expect([cdf[0], cdf[1], cdf[2], cdf[3], cdf[4]].map((p) => Math.round(p! * 252))).toEqual([
      1, 2, 4, 7, 12
    ])
    expect(cdf[25]).toBeCloseTo(1, 12)
  })

  it('gives the textbook p-values', () => {
    const separated = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    expect(separated).toMatchObject({ u: 25, exact: true })
    expect(separated.p).toBeCloseTo(2 / 252, 12)
    expect(mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]).p).toBeCloseTo(2 / 252, 12)
    expect(mannWhitney([1, 3, 5, 7], [2, 4, 6, 8]).p).toBeCloseTo(0.686, 3)
    expect(minimumPValue(3, 3)).toBeCloseTo(0.1, 12)
    expect(minimumPValue(4, 4)).toBeCloseTo(2 / 70, 12)
  })

  it('falls back to the normal approximation for ties and large samples', () => {
    const tied = mannWhitney([1, 1, 2, 2], [2, 2, 3, 3])
    expect(tied.exact).toBe(false)
    expect(tied.p).toBeGreaterThan(0.05)
    const big = mannWhitney(
      Array.from({ length: 30 }, (_, i) => i),
      Array.from({ length: 30 }, (_, i) => i + 15)
    )
    expect(big.exact).toBe(false)
    expect(big.p).toBeLessThan(0.001)
  })
})

describe('Hodges–Lehmann interval of the ratio', () => {
  it('uses the 3rd smallest and 3rd largest of 25 pairwise ratios for 5 runs a side (96.8 %)', () => {
    const base = [100, 101, 102, 103, 104]
    const head = [110, 111, 112, 113, 114]
    const ratios = base.flatMap((b) => head.map((h) => h / b)).sort((a, b) => a - b)
    const interval = ratioInterval(base, head, 0.95)!
    expect(interval.low).toBe(ratios[2])
    expect(interval.high).toBe(ratios[22])
    expect(interval.confidence).toBeCloseTo(1 - 8 / 252, 12)
    expect(interval.estimate).toBe(median(ratios))
  })

  it('is undefined when a base run is 0 (no ratio)', () => {
    expect(ratioInterval([0, 1], [1, 2], 0.95)).toBeUndefined()
  })
})
