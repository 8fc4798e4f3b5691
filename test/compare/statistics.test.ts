import { describe, expect, it } from 'vitest'
import {
  runTTest,
  studentQuantile,
  studentTwoSided,
  mannWhitney,
  median,
  minimumPValue,
  ratioInterval,
  signedRankTest,
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

  it('falls back to the normal approximation for large samples (small tied ones are exact)', () => {
    // Ties with n·m ≤ 400: the permutation distribution given the ties (mann-whitney-exact.test.ts).
    const tied = mannWhitney([1, 1, 2, 2], [2, 2, 3, 3])
    expect(tied.exact).toBe(true)
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

describe("Student's t over few runs", () => {
  it('has the tails of the t distribution (closed forms for 1 and 2 degrees of freedom, tables beyond)', () => {
    // 1 df is Cauchy: P(|T| > t) = 1 − 2·atan(t)/π; 2 df: 1 − t/√(2 + t²).
    expect(studentTwoSided(1, 1)).toBeCloseTo(0.5, 12)
    expect(studentTwoSided(3, 1)).toBeCloseTo(1 - (2 * Math.atan(3)) / Math.PI, 12)
    expect(studentTwoSided(2, 2)).toBeCloseTo(1 - 2 / Math.sqrt(6), 12)
    expect(studentTwoSided(0.3, 2)).toBeCloseTo(1 - 0.3 / Math.sqrt(2.09), 12)
    // Two-sided 5 % points of the usual tables.
    expect(studentTwoSided(2.776445, 4)).toBeCloseTo(0.05, 6)
    expect(studentTwoSided(2.228139, 10)).toBeCloseTo(0.05, 6)
    expect(studentTwoSided(2.042272, 30)).toBeCloseTo(0.05, 6)
    expect(studentTwoSided(0, 3)).toBe(1)
    expect(studentTwoSided(Infinity, 3)).toBe(0)
    expect(studentQuantile(0.05, 1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 6)
    expect(studentQuantile(0.05, 2)).toBeCloseTo(4.302653, 5)
    expect(studentQuantile(0.01, 4)).toBeCloseTo(4.604095, 5)
  })

  it('tests the logarithms of the run values, pooled spread, runs − 2 degrees of freedom', () => {
    // ln base = 0, 0.02; ln head = 0.1, 0.14: difference 0.11; squares 0.0002 + 0.0008 over 2 df,
    // s² = 0.0005, se = √(0.0005·(1/2 + 1/2)) = 0.0223607, t = 4.91935, p = 1 − t/√(2 + t²).
    const t = runTTest(
      [100, 100 * Math.exp(0.02)],
      [100 * Math.exp(0.1), 100 * Math.exp(0.14)],
      0.95
    )!
    const tt = 0.11 / Math.sqrt(0.0005)
    expect(t.df).toBe(2)
    expect(t.log).toBe(true)
    expect(t.p).toBeCloseTo(1 - tt / Math.sqrt(2 + tt * tt), 10)
    expect(t.p).toBeCloseTo(0.038925, 5)
    // Ratio interval: exp(0.11 ± 4.302653·0.0223607).
    expect(t.low).toBeCloseTo(Math.exp(0.11 - 4.302653 * Math.sqrt(0.0005)), 6)
    expect(t.high).toBeCloseTo(Math.exp(0.11 + 4.302653 * Math.sqrt(0.0005)), 6)
    // A 25 % slowdown whose head runs differ by 12 %: not confirmed with two runs a side.
    expect(runTTest([100, 101], [120, 135], 0.95)!.p).toBeGreaterThan(0.05)
    // 10 % slower, runs within 1 %: confirmed with three runs a side (Mann–Whitney cannot: p ≥ 0.1).
    expect(runTTest([100, 102, 101], [110, 111, 109], 0.95)!.p).toBeLessThan(0.001)
  })

  it('handles runs without noise, zeros and too few runs', () => {
    expect(runTTest([5, 5], [6, 6], 0.95)!.p).toBe(0)
    expect(runTTest([5, 5], [5, 5], 0.95)!.p).toBe(1)
    // A zero (an item absent from a run): the values themselves, no ratio interval.
    const raw = runTTest([0, 2], [4, 6], 0.95)!
    expect(raw.log).toBe(false)
    // Means 1 and 5, squares 2 + 2 over 2 df, se = √(2·1) → t = 4/√2.
    const tt = 4 / Math.sqrt(2)
    expect(raw.p).toBeCloseTo(1 - tt / Math.sqrt(2 + tt * tt), 10)
    expect(raw.low).toBeNaN()
    expect(runTTest([1], [2, 3], 0.95)).toBeUndefined()
  })
})

describe('the signed-rank test of launches paired by order', () => {
  it('is worked out by hand on four pairs each 10 % longer', () => {
    // Log ratios all log 1.1: four tied magnitudes, mean rank 2.5, all positive: W+ = 10.
    // E = 4·5/4 = 5; Var = 4·5·9/24 − (4³ − 4)/48 = 7.5 − 1.25 = 6.25; z = (10 − 5)/2.5 = 2;
    // The p is exact with so few pairs (signed-rank-exact.test.ts): all four signs + has
    // probability 1/16, p = 2/16 = 0.125 (the normal approximation's 2·(1 − Φ(2)) = 0.0455 was
    // far too bold).
    const r = signedRankTest([10, 200, 3000, 40], [11, 220, 3300, 44])!
    expect(r.z).toBeCloseTo(2, 10)
    expect(r.p).toBeCloseTo(0.125, 12)
    // The other way round, the same p and the opposite sign.
    const back = signedRankTest([11, 220, 3300, 44], [10, 200, 3000, 40])!
    expect(back.z).toBeCloseTo(-2, 10)
  })

  it('ranks the pairs by the size of their log ratio, whatever the launches’ lengths', () => {
    // Pairs of very different lengths (a GEMM launched for four problem sizes): ratios 1.01,
    // 0.98, 1.03, 1.02, 1.05: |log| ranks 1, 3, 4, 2, 5; the negative one has rank 3:
    // W+ = 15 − 3 = 12; E = 7.5; Var = 5·6·11/24 = 13.75; z = 4.5/√13.75.
    const r = signedRankTest([44, 135, 165, 177, 44], [44.44, 132.3, 169.95, 180.54, 46.2])!
    expect(r.z).toBeCloseTo(4.5 / Math.sqrt(13.75), 10)
  })

  it('says nothing when no pair differs or a duration is not positive', () => {
    expect(signedRankTest([5, 6, 7], [5, 6, 7])).toBeUndefined()
    expect(signedRankTest([5, 0, 7], [5, 6, 7])).toBeUndefined()
  })
})
