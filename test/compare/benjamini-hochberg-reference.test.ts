/**
 * Benjamini–Hochberg against a brute-force reference written here: the discoveries are the
 * items whose adjusted p (min over j ≥ rank of p(j)·m / j, the step-up form) is at most q.
 */
import { describe, expect, it } from 'vitest'
import { benjaminiHochberg } from '../../src/compare/statistics.js'
import { seededRandom } from '../support/random.js'

function reference(ps: readonly number[], q: number): boolean[] {
  const m = ps.length
  return ps.map((p) => {
    if (Number.isNaN(p)) return false
    // Every k with p(k) ≤ k·q/m among the p's at least this one: this p is kept when some k ≥ its
    // rank passes (rank: how many p's are ≤ it; NaN counted as 1).
    const sorted = ps.map((x) => (Number.isNaN(x) ? 1 : x)).sort((a, b) => a - b)
    for (let k = m; k >= 1; k--)
      if (sorted[k - 1]! <= (k * q) / m && sorted[k - 1]! >= p) return true
    return false
  })
}

describe('Benjamini–Hochberg', () => {
  it('matches the brute force on random families with ties, m from 0 to 12', () => {
    const next = seededRandom(5)
    for (let trial = 0; trial < 2000; trial++) {
      const m = Math.floor(next() * 13)
      // Coarse values, so that ties (and ties on a rank's line) are common.
      const ps = Array.from({ length: m }, () => Math.round(next() * next() * 40) / 200)
      expect(benjaminiHochberg(ps, 0.05), JSON.stringify(ps)).toEqual(reference(ps, 0.05))
    }
  })

  it('m counts every p given, the ones that cannot pass too', () => {
    // 0.02 ≤ 1 × 0.05 / 2 alone; with a third item (p = 1) the line is 0.05 / 3 = 0.0167.
    expect(benjaminiHochberg([0.02, 0.9], 0.05)).toEqual([true, false])
    expect(benjaminiHochberg([0.02, 0.9, 1], 0.05)).toEqual([false, false, false])
  })

  it('a NaN p is never a discovery and does not carry others with it', () => {
    // Before, the NaN compared as equal to everything and stayed first in the order: the p's
    // after it passed their lines (0.01 ≤ 2 × 0.05 / 3, 0.02 ≤ 0.05) and took it along.
    expect(benjaminiHochberg([NaN, 0.01, 0.02], 0.05)).toEqual([false, true, true])
    expect(reference([NaN, 0.01, 0.02], 0.05)).toEqual([false, true, true])
  })
})
