/**
 * Wilcoxon's signed-rank p (launches paired by order) against a direct computation written here:
 * every one of the 2^m sign patterns of the pairs that differ, equally likely under no change,
 * with the magnitudes' midranks as they are (ties included); and the textbook normal
 * approximation beyond the exact range.
 */
import { describe, expect, it } from 'vitest'
import { signedRankTest } from '../../src/compare/statistics.js'
import { seededRandom } from '../support/random.js'

/** Midranks of |d|, zeros dropped; W+ of the observed signs and of every sign pattern. */
function enumeratedP(base: readonly number[], head: readonly number[]): number {
  const d = base.map((b, k) => Math.log(head[k]! / b)).filter((x) => x !== 0)
  const m = d.length
  const magnitudes = d.map(Math.abs)
  const rank = (x: number): number => {
    const below = magnitudes.filter((y) => y < x).length
    const equal = magnitudes.filter((y) => y === x).length
    return below + (equal + 1) / 2
  }
  const ranks = magnitudes.map(rank)
  const observed = d.reduce((s, x, i) => s + (x > 0 ? ranks[i]! : 0), 0)
  let low = 0
  let high = 0
  for (let mask = 0; mask < 2 ** m; mask++) {
    let w = 0
    for (let i = 0; i < m; i++) if (mask & (1 << i)) w += ranks[i]!
    if (w <= observed + 1e-9) low += 1
    if (w >= observed - 1e-9) high += 1
  }
  return Math.min(1, (2 * Math.min(low, high)) / 2 ** m)
}

describe('the signed-rank p of a few pairs', () => {
  it('is exact: five pairs all longer give 2 / 32, not the normal 0.043', () => {
    // Ten launches a side, five of them identical: m = 5 pairs differ, all longer.
    const base = [1000, 1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000, 2000]
    const head = [1010, 1020, 1030, 1040, 1050, 2000, 2000, 2000, 2000, 2000]
    const r = signedRankTest(base, head)!
    expect(r.p).toBeCloseTo(2 / 32, 12)
    expect(r.z).toBeGreaterThan(0)
  })

  it('matches the enumeration of every sign pattern, tied magnitudes and zeros included', () => {
    const next = seededRandom(9)
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(next() * 14)
      const base = Array.from({ length: n }, () => 100 * (1 + Math.floor(next() * 3)))
      // Ratios from a coarse set, so that magnitudes tie and some pairs do not differ.
      const ratios = [0.9, 0.95, 1, 1, 1.05, 1.1, 1.2]
      const head = base.map((b) => b * ratios[Math.floor(next() * ratios.length)]!)
      const r = signedRankTest(base, head)
      if (!r) {
        expect(head).toEqual(base)
        continue
      }
      expect(r.p, JSON.stringify({ base, head })).toBeCloseTo(enumeratedP(base, head), 12)
    }
  })

  it('beyond 50 pairs, is the normal approximation with the tie correction', () => {
    const next = seededRandom(4)
    const base = Array.from({ length: 80 }, () => 1000 + Math.floor(next() * 100))
    const head = base.map((b) => b * (1 + (next() - 0.4) * 0.05))
    const r = signedRankTest(base, head)!
    // Φ by Simpson's rule on the density, from the z the test reports (checked by hand in
    // statistics.test.ts).
    const steps = 100_000
    const h = 40 / steps
    const f = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)
    const z = Math.abs(r.z)
    let sum = f(z) + f(z + 40)
    for (let i = 1; i < steps; i++) sum += f(z + i * h) * (i % 2 === 1 ? 4 : 2)
    expect(r.p).toBeCloseTo(Math.min(1, (2 * sum * h) / 3), 6)
  })
})
