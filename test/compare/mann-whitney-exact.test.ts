/**
 * The Mann–Whitney p values against an independent computation written here: the permutation
 * distribution of U by enumerating every split of the pooled values into a base and a head
 * sample (exact, ties or not), and the textbook normal approximation (midranks, tie-corrected
 * variance, continuity correction) with the normal tail integrated numerically.
 */
import { describe, expect, it } from 'vitest'
import { mannWhitney, minimumPValue } from '../../src/compare/statistics.js'
import { seededRandom } from '../support/random.js'
import { subsets, uOf } from '../support/rank-enumeration.js'

/** Exact two-sided p: 2 · min(P(U ≤ u), P(U ≥ u)) over all equally likely splits, capped at 1. */
function enumeratedP(base: readonly number[], head: readonly number[]): number {
  const all = [...base, ...head]
  const observed = uOf(base, head)
  let low = 0
  let high = 0
  let total = 0
  for (const chosen of subsets(all.length, head.length)) {
    const set = new Set(chosen)
    const u = uOf(
      all.filter((_, i) => !set.has(i)),
      chosen.map((i) => all[i]!)
    )
    total += 1
    if (u <= observed) low += 1
    if (u >= observed) high += 1
  }
  return Math.min(1, (2 * Math.min(low, high)) / total)
}

/** P(Z > z) by Simpson's rule on the density over [z, z + 40]: no series, no table. */
function upperTail(z: number): number {
  const steps = 200_000
  const h = 40 / steps
  const f = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)
  let sum = f(z) + f(z + 40)
  for (let i = 1; i < steps; i++) sum += f(z + i * h) * (i % 2 === 1 ? 4 : 2)
  return (sum * h) / 3
}

/** The textbook large-sample test: σ² = nm/12 · (N + 1 − Σ(t³ − t) / (N(N − 1))). */
function normalP(base: readonly number[], head: readonly number[]): number {
  const n = base.length
  const m = head.length
  const N = n + m
  const counts = new Map<number, number>()
  for (const v of [...base, ...head]) counts.set(v, (counts.get(v) ?? 0) + 1)
  let ties = 0
  for (const t of counts.values()) ties += t ** 3 - t
  const sigma = Math.sqrt(((n * m) / 12) * (N + 1 - ties / (N * (N - 1))))
  const z = Math.max(0, Math.abs(uOf(base, head) - (n * m) / 2) - 0.5) / sigma
  return Math.min(1, 2 * upperTail(z))
}

describe('the exact Mann–Whitney p without ties', () => {
  it('is the enumerated permutation p for every size up to 7 a side', () => {
    const next = seededRandom(1)
    for (let n = 1; n <= 7; n++)
      for (let m = 1; m <= 7; m++) {
        const values = Array.from({ length: n + m }, (_, i) => i).sort(() => next() - 0.5)
        const base = values.slice(0, n)
        const head = values.slice(n)
        const test = mannWhitney(base, head)
        expect(test.exact).toBe(true)
        expect(test.p).toBeCloseTo(enumeratedP(base, head), 12)
      }
  })

  it('n = 1 against 1 is p = 1; 1 against 10 at best 2 / 11', () => {
    expect(mannWhitney([1], [2]).p).toBe(1)
    const ten = Array.from({ length: 10 }, (_, i) => i + 2)
    expect(mannWhitney([1], ten).p).toBeCloseTo(2 / 11, 12)
    expect(mannWhitney([20], ten).p).toBeCloseTo(2 / 11, 12)
    expect(minimumPValue(1, 10)).toBeCloseTo(2 / 11, 12)
  })

  it('is exact up to n·m = 400 and the textbook normal approximation beyond', () => {
    const a = Array.from({ length: 20 }, (_, i) => i)
    // 20 against 20, separated: 2 / C(40, 20), by hand.
    const separated = mannWhitney(
      a,
      a.map((v) => v + 20)
    )
    expect(separated.exact).toBe(true)
    expect(separated.p).toBeCloseTo(2 / 137846528820, 20)
    // 20 against 21 (420 pairs): normal, continuity-corrected.
    const base = a.map((v) => v * 2)
    const head = Array.from({ length: 21 }, (_, i) => i * 2 + 9)
    const approx = mannWhitney(base, head)
    expect(approx.exact).toBe(false)
    expect(approx.p).toBeCloseTo(normalP(base, head), 6)
  })

  it('ranks values near 2^53 ns as it ranks small ones', () => {
    const big = 2 ** 53 - 64
    const base = [0, 2, 4, 6, 8, 10]
    const head = [1, 3, 5, 7, 9, 11, 13]
    expect(
      mannWhitney(
        base.map((v) => big + v),
        head.map((v) => big + v)
      ).p
    ).toBe(mannWhitney(base, head).p)
  })
})

describe('the Mann–Whitney p with ties', () => {
  it('is the exact permutation p for small samples, not the normal approximation', () => {
    // Five runs a side, every head run at least as slow: by enumeration of the 252 splits,
    // p = 20 / 252 = 0.079; the normal approximation gives 0.042, a false "significant" at 0.05.
    const base = [1, 1, 1, 2, 2]
    const head = [2, 4, 2, 2, 3]
    expect(enumeratedP(base, head)).toBeCloseTo(20 / 252, 12)
    expect(normalP(base, head)).toBeLessThan(0.05)
    expect(mannWhitney(base, head)).toMatchObject({ exact: true })
    expect(mannWhitney(base, head).p).toBeCloseTo(20 / 252, 12)
  })

  it('never goes below the smallest p the sizes allow (4 tied runs a side against 4)', () => {
    // The normal approximation gives 0.013 here, below 2 / C(8, 4) = 0.029.
    const test = mannWhitney([10, 10, 10, 10], [12, 12, 12, 12])
    expect(test.p).toBeCloseTo(2 / 70, 12)
    expect(test.p).toBeGreaterThanOrEqual(minimumPValue(4, 4) - 1e-12)
  })

  it('matches the enumeration on random tied samples up to 6 a side, zeros included', () => {
    const next = seededRandom(7)
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(next() * 6)
      const m = 1 + Math.floor(next() * 6)
      const shift = Math.floor(next() * 3)
      const base = Array.from({ length: n }, () => Math.floor(next() * 4))
      const head = Array.from({ length: m }, () => Math.floor(next() * 4) + shift)
      expect(mannWhitney(base, head).p, JSON.stringify({ base, head })).toBeCloseTo(
        enumeratedP(base, head),
        12
      )
    }
  })

  it('all values equal on both sides, or one side constant', () => {
    expect(mannWhitney([5, 5, 5], [5, 5, 5, 5]).p).toBe(1)
    expect(mannWhitney([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]).p).toBe(1)
    expect(mannWhitney([5], [5]).p).toBe(1)
    const constant = [7, 7, 7, 7, 7, 7]
    const varied = [6, 7, 8, 9, 10, 11]
    expect(mannWhitney(constant, varied).p).toBeCloseTo(enumeratedP(constant, varied), 12)
    const one = [3]
    const ten = [3, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    expect(mannWhitney(one, ten).p).toBeCloseTo(enumeratedP(one, ten), 12)
  })

  it('ranks infinities as the largest values, tied with each other', () => {
    const base = [1, 2, Infinity]
    const head = [Infinity, Infinity, 5, 6]
    expect(mannWhitney(base, head).p).toBeCloseTo(enumeratedP(base, head), 12)
  })

  it('beyond 400 pairs, is the textbook normal approximation with the tie correction', () => {
    const next = seededRandom(3)
    const base = Array.from({ length: 25 }, () => Math.floor(next() * 8))
    const head = Array.from({ length: 20 }, () => Math.floor(next() * 8) + 1)
    const test = mannWhitney(base, head)
    expect(test.exact).toBe(false)
    expect(test.p).toBeCloseTo(normalP(base, head), 6)
  })

  it('a NaN has no rank: no evidence, where it read as the smallest value', () => {
    // Before, a NaN head compared below every base value: 5 against 5 "separated", p = 0.0079.
    expect(mannWhitney([1, 2, 3, 4, 5], [NaN, NaN, NaN, NaN, NaN]).p).toBe(1)
    expect(mannWhitney([1, 2, 3, 4, NaN], [6, 7, 8, 9, 10]).p).toBe(1)
  })
})
