import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { profile } from '../support/profiles.js'

/**
 * A test over the runs confirms a change only in the direction the change went. The medians can
 * rise while most runs fell; the two-sided test then finds the runs lower, which is no evidence
 * that the head is slower.
 */
const runsOf = (totals: number[]) => totals.map((t) => profile({ kernels: { gemm: [t, 10] } }))
const ms = 1_000_000

describe('the run test confirms a change only the way it went', () => {
  it('medians up 20 %, the runs lower (rank test): unchanged, not a regression', () => {
    // Base: 16 runs of 50 ms and 14 of 1000 ms (median 50 ms); head: 14 runs of 1 ms and 16 of
    // 60 ms (median 60 ms): +20 % by the medians. Of the 900 (base, head) pairs, the head's run
    // is the larger in 16 × 16 = 256 only: the head's runs are lower (U = 256 < 450).
    const base = runsOf([...Array<number>(16).fill(50 * ms), ...Array<number>(14).fill(1000 * ms)])
    const head = runsOf([...Array<number>(14).fill(1 * ms), ...Array<number>(16).fill(60 * ms)])
    const c = compareProfiles(base, head, buildRules(undefined))
    const item = c.tables.find((t) => t.table === 'kernels')!.items[0]!
    expect(item.deltaPct).toBeCloseTo(20, 10)
    expect(item.significance?.test).toBe('mann-whitney-u')
    expect(item.significance?.p).toBe(1)
    expect(item.status).toBe('unchanged')
    expect(item.reason).toBe('not-significant')
    const record = JSON.parse(JSON.stringify(comparisonToRecord(c))) as unknown
    expect(rederiveVerdict(record, 'record.json').gate).toEqual(c.gate)
  })

  it('the same runs the other way round: the medians fall and the runs rise: not an improvement', () => {
    const base = runsOf([...Array<number>(14).fill(1 * ms), ...Array<number>(16).fill(60 * ms)])
    const head = runsOf([...Array<number>(16).fill(50 * ms), ...Array<number>(14).fill(1000 * ms)])
    const c = compareProfiles(base, head, buildRules(undefined))
    const item = c.tables.find((t) => t.table === 'kernels')!.items[0]!
    expect(item.delta).toBeLessThan(0)
    expect(item.significance?.p).toBe(1)
    expect(item.status).toBe('unchanged')
  })

  it('runs that moved the way the medians did still count: every head run 20 % slower', () => {
    const base = runsOf(Array.from({ length: 10 }, (_, i) => (100 + i) * ms))
    const head = runsOf(Array.from({ length: 10 }, (_, i) => (120 + i) * ms))
    const c = compareProfiles(base, head, buildRules(undefined))
    const item = c.tables.find((t) => t.table === 'kernels')!.items[0]!
    expect(item.status).toBe('regressed')
    // All 100 pairs have the head larger: the exact two-sided p is 2 / C(20, 10).
    expect(item.significance?.p).toBeCloseTo(2 / 184_756, 12)
  })
})
