import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Stat } from '../../src/profile/model.js'
import { mergeStat, RenamedSum, statProblem } from '../../src/profile/stat.js'

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

describe('statProblem: rounding explains less than one step', () => {
  // Rows as a printer makes them: durations in whole ns, each field rounded half up to the step
  // the report prints at (the average to its own step, as fine or finer), and rows of one kernel
  // printed in parts (nsys 2022.4 splits a kernel by launch shape) merged as the parser merges
  // them. Whatever the durations, such a row must pass; a made-up number a whole step off must not.
  const round = (value: number, step: number): number => Math.round(value / step) * step
  const printed = (durations: number[], step: number, avgStep: number): Stat => {
    const sorted = [...durations].sort((a, b) => a - b)
    const total = durations.reduce((a, b) => a + b, 0)
    const middle = sorted.length >> 1
    const med = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
    return {
      name: 'k',
      total: round(total, step),
      instances: durations.length,
      avg: round(total / durations.length, avgStep),
      min: round(sorted[0]!, step),
      max: round(sorted.at(-1)!, step),
      med: round(med, step)
    }
  }
  const steps = fc
    .constantFrom(1, 10, 100, 1000, 100_000)
    .chain((step) =>
      fc.tuple(fc.constant(step), fc.constantFrom(step, step / 10, step / 100, step / 1000))
    )

  it('passes every row printed from real durations, whole or merged from parts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 40 }),
        steps,
        fc.array(fc.integer({ min: 1, max: 39 }), { maxLength: 4 }),
        (durations, [step, avgStep], cuts) => {
          expect(statProblem(printed(durations, step, avgStep), step, avgStep)).toBeUndefined()
          const at = [...new Set(cuts.filter((c) => c < durations.length))].sort((a, b) => a - b)
          const parts = [0, ...at].map((from, i) =>
            durations.slice(from, at[i] ?? durations.length)
          )
          const merged = parts
            .map((part) => printed(part, step, avgStep))
            .reduce((a, b) => mergeStat(a, b))
          expect(statProblem(merged, step, avgStep)).toBeUndefined()
        }
      ),
      { numRuns: 3000 }
    )
  })

  it('refuses a number a whole step out of order (found by the fuzzer in profile JSONs)', () => {
    const row = { name: 'k', total: 1000, instances: 1, avg: 1000, min: 1000, max: 1000 }
    expect(statProblem({ ...row, avg: 0 }, 1000)).toMatch(/min 1000 is above avg 0/)
    expect(statProblem({ ...row, max: 0 }, 1000)).toMatch(/avg 1000 is above max 0/)
    expect(statProblem({ ...row, med: 2000, max: 1000 }, 1000)).toMatch(/med 2000 is outside/)
    expect(statProblem({ ...row, total: 0, avg: 0, min: 0 }, 1000)).toMatch(
      /max 1000 is above the total 0/
    )
    // Just under a step stays rounding.
    expect(statProblem({ ...row, avg: 1, total: 1 }, 1000)).toBeUndefined()
  })
})
