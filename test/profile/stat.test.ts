import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Stat } from '../../src/profile/model.js'
import { mergeStat, RenamedSum } from '../../src/profile/stat.js'

/**
 * RenamedSum sums items under one name in place. What it must give is written out here: each
 * item renamed (its numbers, median and deviation, without the cut-name marks and occurrences),
 * then the rows folded with mergeStat, the merge every table uses; and, for two items, the
 * pooled deviation worked out by hand.
 */

const renamed = (name: string, s: Stat): Stat => {
  const row: Stat = {
    name,
    total: s.total,
    instances: s.instances,
    avg: s.avg,
    min: s.min,
    max: s.max
  }
  if (s.med !== undefined) row.med = s.med
  if (s.stdDev !== undefined) row.stdDev = s.stdDev
  return row
}

const folded = (name: string, items: Stat[]): Stat =>
  items.map((s) => renamed(name, s)).reduce((a, b) => mergeStat(a, b))

const summed = (name: string, items: Stat[]): Stat => {
  const [first, ...rest] = items
  const sum = new RenamedSum(name, first!)
  for (const s of rest) sum.add(s)
  return sum.stat()
}

const item = fc
  .record({
    instances: fc.integer({ min: 0, max: 1000 }),
    avg: fc.double({ min: 0, max: 1e9, noNaN: true }),
    spread: fc.double({ min: 0, max: 1e6, noNaN: true }),
    med: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: undefined }),
    stdDev: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
    occurrences: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
    truncated: fc.option(fc.constant(true as const), { nil: undefined }),
    sharedBy: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined })
  })
  .map((r): Stat => {
    const s: Stat = {
      name: 'k',
      total: r.instances * r.avg,
      instances: r.instances,
      avg: r.avg,
      min: Math.max(0, r.avg - r.spread),
      max: r.avg + r.spread
    }
    if (r.med !== undefined) s.med = r.med
    if (r.stdDev !== undefined) s.stdDev = r.stdDev
    if (r.occurrences !== undefined) s.occurrences = r.occurrences
    if (r.truncated !== undefined) s.truncated = r.truncated
    if (r.sharedBy !== undefined) s.sharedBy = r.sharedBy
    return s
  })

describe('RenamedSum', () => {
  it('gives what folding mergeStat over the renamed items gives, field for field and in order', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), (items) => {
        const got = summed('GEMM', items)
        const want = folded('GEMM', items)
        expect(got).toStrictEqual(want)
        // The same fields in the same order: records and reports write them as they come.
        expect(Object.keys(got)).toEqual(Object.keys(want))
      }),
      { numRuns: 2000 }
    )
  })

  it('keeps the one item’s median and deviation, and pools two deviations (by hand)', () => {
    const a: Stat = {
      name: 'x',
      total: 30,
      instances: 3,
      avg: 10,
      min: 8,
      max: 12,
      med: 10,
      stdDev: 2,
      truncated: true
    }
    expect(summed('attention', [a])).toStrictEqual({
      name: 'attention',
      total: 30,
      instances: 3,
      avg: 10,
      min: 8,
      max: 12,
      med: 10,
      stdDev: 2
    })
    // Values 8, 10, 12 and 20, 20: mean 14, squared deviations 36 + 16 + 4 + 36 + 36 = 128.
    const b: Stat = { name: 'y', total: 40, instances: 2, avg: 20, min: 20, max: 20, stdDev: 0 }
    expect(summed('attention', [a, b])).toStrictEqual({
      name: 'attention',
      total: 70,
      instances: 5,
      avg: 14,
      min: 8,
      max: 20,
      stdDev: Math.sqrt(128 / 4)
    })
    // Without a deviation on either side there is none.
    const noDeviation: Stat = { name: 'y', total: 40, instances: 2, avg: 20, min: 20, max: 20 }
    expect(summed('attention', [a, noDeviation]).stdDev).toBeUndefined()
  })
})
