/**
 * Adaptive repetitions' rule: the level each look spends, and whether a look asks for more runs.
 * The levels are checked against the spending function by hand; the decisions through
 * compareProfiles on runs whose separation is known.
 */
import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { lookLevel, nextStep, reachable } from '../../src/compare/sequential.js'
import { runs } from '../support/profiles.js'

describe('lookLevel', () => {
  it('spends α·first/max at the first look and α/max at each later one: α in all at the cap', () => {
    expect(lookLevel(0.05, 3, 3, 6)).toBeCloseTo(0.025, 12)
    expect(lookLevel(0.05, 4, 3, 6)).toBeCloseTo(0.05 / 6, 12)
    let spent = lookLevel(0.05, 3, 3, 6)
    for (let n = 4; n <= 6; n++) spent += lookLevel(0.05, n, 3, 6)
    expect(spent).toBeCloseTo(0.05, 12)
  })

  it('without room to add runs, the one look has all of α', () => {
    expect(lookLevel(0.05, 5, 5, 5)).toBe(0.05)
  })
})

describe('nextStep', () => {
  const K = { gemm: 6_000_000, attn: 3_000_000 }
  const look = (baseF: number[], headF: number[], alpha: number) =>
    compareProfiles(runs(K, baseF), runs(K, headF), buildRules(undefined, { alpha }))

  it('a change every run shows, at a level the runs can reach: stop, significant', () => {
    // 5 against 5, every head run slower: p = 2/252 < 0.01.
    const c = look([1, 1.01, 0.99, 1, 1.005], [1.3, 1.31, 1.29, 1.3, 1.32], 0.01)
    expect(nextStep(c, 5, 8)).toMatchObject({ more: false, stop: 'significant' })
  })

  it("the same change at a level Mann–Whitney cannot reach with 4 a side: Student's t confirms it", () => {
    // The smallest Mann–Whitney p with 4 a side is 2/70 = 0.029; the runs are 30 % apart and
    // within 1 % of each other, which the t test on their logarithms confirms at 0.01.
    const c = look([1, 1.01, 0.99, 1], [1.3, 1.31, 1.29, 1.3], 0.01)
    expect(c.tables[0]?.items[0]?.significance?.test).toBe('student-t')
    expect(nextStep(c, 4, 8)).toMatchObject({ more: false, stop: 'significant' })
  })

  it('a change beyond the limits that the t test does not confirm: one more', () => {
    // Head runs 1.3, 0.95, 1.35, 1.28 (median +29 %): t = 2.3 over 6 df, p ≈ 0.06 > 0.01.
    const c = look([1, 1.01, 0.99, 1], [1.3, 0.95, 1.35, 1.28], 0.01)
    const d = nextStep(c, 4, 8)
    expect(d.more).toBe(true)
    expect(d.why).toMatch(/not significant yet at α = 0\.01$/)
  })

  it('one run a side (a first look of repetitions: 1): no test yet, one more', () => {
    const d = nextStep(look([1], [1.3], 0.01), 1, 8)
    expect(d.more).toBe(true)
    expect(d.why).toMatch(/that the test cannot yet confirm with 1 run a side$/)
  })

  it('a median beyond the limits with runs on both sides of the base: more, then the cap', () => {
    const base = [1, 1, 1, 1, 1, 1]
    const head = [1.5, 1.5, 0.6, 1.5, 1.5, 0.6]
    const d = nextStep(look(base, head, 0.01), 6, 8)
    expect(d).toMatchObject({ more: true })
    expect(d.why).toMatch(/not significant yet at α = 0\.01$/)
    expect(nextStep(look(base, head, 0.01), 8, 8)).toMatchObject({ more: false, stop: 'cap' })
  })

  it('nothing beyond the limits: stop', () => {
    const c = look([1, 1, 1, 1, 1], [1.01, 1, 0.99, 1, 1.01], 0.01)
    expect(nextStep(c, 5, 8)).toMatchObject({ more: false, stop: 'nothing-moved' })
  })
})

describe('reachable', () => {
  it("two runs a side or more can be tested at any level (Student's t where Mann–Whitney cannot)", () => {
    // 4 pairs: Mann–Whitney's smallest p is 2 / C(8, 4) = 0.0286 ≥ 0.05 / 4, the t test has no floor.
    expect(reachable(3, 4, { kind: 'ab' })).toBe(true)
    expect(reachable(5, 10, { kind: 'head', baseRuns: 2 })).toBe(true)
  })

  it('a baseline of one run cannot be tested against, however many head runs', () => {
    expect(reachable(3, 10, { kind: 'head', baseRuns: 1 })).toBe(false)
  })

  it('no room to add runs: nothing to reach', () => {
    expect(reachable(5, 5, { kind: 'ab' })).toBe(false)
  })
})

describe('nextStep against a fixed baseline', () => {
  it('says how many head runs, against how many base runs', () => {
    const K = { gemm: 6_000_000 }
    const c = compareProfiles(
      runs(K, [1, 1.01, 0.99, 1, 1.005]),
      runs(K, [1.3]),
      buildRules(undefined, { alpha: 0.01 })
    )
    // One head run: no test, so the change beyond the limits awaits more runs.
    const d = nextStep(c, 1, 8, { kind: 'head', baseRuns: 5 })
    expect(d.more).toBe(true)
    expect(d.why).toMatch(/cannot yet confirm with 1 head run against the baseline's 5$/)
  })
})
