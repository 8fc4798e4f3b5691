import { describe, expect, it } from 'vitest'
import { compareProfiles, type ItemDiff } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { profile, runs } from '../support/profiles.js'

const rules = buildRules(undefined)

/** A big kernel keeps the table total (and so the absolute floor) steady across cases. */
const BIG = { big: 1_000_000 }

function item(
  base: Record<string, number>,
  head: Record<string, number>,
  name: string,
  ruleFile?: unknown
): ItemDiff {
  const comparison = compareProfiles(
    [profile({ kernels: { ...BIG, ...base } })],
    [profile({ kernels: { ...BIG, ...head } })],
    ruleFile === undefined ? rules : buildRules(ruleFile)
  )
  const found = comparison.tables[0]?.items.find((i) => i.key === name)
  if (!found) throw new Error(`no item ${name}`)
  return found
}

describe('compare, one run a side', () => {
  // Floor: 0.1 % of the base total (about 1,000 ns here); threshold 5 %.
  const cases: [
    string,
    Record<string, number>,
    Record<string, number>,
    ItemDiff['status'],
    number | null
  ][] = [
    ['a regression', { k: 100_000 }, { k: 110_000 }, 'regressed', 10],
    ['an improvement', { k: 100_000 }, { k: 90_000 }, 'improved', -10],
    ['no change', { k: 100_000 }, { k: 100_000 }, 'unchanged', 0],
    ['exactly at the threshold (counts)', { k: 100_000 }, { k: 105_000 }, 'regressed', 5],
    ['just under the threshold', { k: 100_000 }, { k: 104_990 }, 'unchanged', 4.99],
    [
      'over the threshold but under the floor (tiny kernel)',
      { k: 2_000 },
      { k: 2_900 },
      'unchanged',
      45
    ],
    ['a new kernel', {}, { k: 50_000 }, 'new', null],
    ['a removed kernel', { k: 50_000 }, {}, 'removed', -100],
    ['a zero baseline, over the floor', { k: 0 }, { k: 5_000 }, 'regressed', null],
    ['a zero baseline, under the floor', { k: 0 }, { k: 500 }, 'unchanged', null]
  ]
  for (const [what, base, head, status, pct] of cases) {
    it(what, () => {
      const diff = item(base, head, 'k')
      expect(diff.status).toBe(status)
      if (pct === null) expect(diff.deltaPct).toBeNull()
      else expect(diff.deltaPct).toBeCloseTo(pct, 6)
    })
  }

  it('fails only on gated regressions: kernels and memory time by default, not API calls', () => {
    const apiOnly = compareProfiles(
      [profile({ kernels: BIG, cudaApi: { cudaMalloc: 1000, x: 100_000 } })],
      [profile({ kernels: BIG, cudaApi: { cudaMalloc: 2000, x: 100_000 } })],
      rules
    )
    expect(apiOnly.tables.find((t) => t.table === 'cudaApi')?.items[0]?.status).toBe('regressed')
    expect(apiOnly.gate.verdict).toBe('pass')
    const kernel = compareProfiles(
      [profile({ kernels: { ...BIG, k: 100_000 } })],
      [profile({ kernels: { ...BIG, k: 120_000 } })],
      rules
    )
    expect(kernel.gate.verdict).toBe('regression')
  })

  it('gates the total GPU kernel time: many small slowdowns under the floor add up', () => {
    const base = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 500]))
    const head = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, 540]))
    const comparison = compareProfiles(
      [profile({ kernels: base })],
      [profile({ kernels: head })],
      rules
    )
    const kernels = comparison.tables[0]
    expect(kernels?.counts.regressed).toBe(0)
    expect(kernels?.total.status).toBe('regressed')
    expect(kernels?.total.deltaPct).toBeCloseTo(8, 6)
    expect(comparison.gate.verdict).toBe('regression')
  })

  it('applies the ignore list and per-name rules (first match wins)', () => {
    const file = {
      ignore: ['^warmup'],
      rules: [
        { match: '^nccl', threshold: 15 },
        { match: '^nccl', threshold: 1 },
        { match: 'tiny', minDelta: 10 }
      ]
    }
    expect(
      item({ nccl_allreduce: 100_000 }, { nccl_allreduce: 110_000 }, 'nccl_allreduce', file).status
    ).toBe('unchanged')
    expect(
      item({ nccl_allreduce: 100_000 }, { nccl_allreduce: 120_000 }, 'nccl_allreduce', file)
    ).toMatchObject({ status: 'regressed', rule: '^nccl' })
    expect(item({ tiny: 200 }, { tiny: 300 }, 'tiny', file).status).toBe('regressed')
    const comparison = compareProfiles(
      [profile({ kernels: { ...BIG, warmup_fill: 100 } })],
      [profile({ kernels: { ...BIG, warmup_fill: 900_000 } })],
      buildRules(file)
    )
    expect(comparison.tables[0]?.ignored).toBe(1)
    expect(comparison.tables[0]?.items.map((i) => i.key)).toEqual(['big'])
  })

  it('honours higher-is-better, and a rule can gate a table that is not gated by default', () => {
    const file = {
      rules: [{ table: 'nvtx', match: 'tokens', direction: 'higher-is-better', gate: true }]
    }
    const comparison = compareProfiles(
      [profile({ nvtx: { tokens: 100_000, other: 1_000_000 } })],
      [profile({ nvtx: { tokens: 80_000, other: 1_000_000 } })],
      buildRules(file)
    )
    expect(comparison.tables[0]?.items[0]).toMatchObject({
      key: 'tokens',
      status: 'regressed',
      gated: true
    })
    expect(comparison.gate.verdict).toBe('regression')
  })

  it('warns when a table that is not gated is on one side only', () => {
    const comparison = compareProfiles(
      [profile({ kernels: BIG, nvtx: { a: 1 } })],
      [profile({ kernels: BIG })],
      rules
    )
    expect(comparison.notes).toContainEqual({
      code: 'table-missing',
      severity: 'warning',
      message:
        'NVTX ranges: the base has data but the head has no such report, so it cannot be compared.'
    })
    expect(comparison.gate.verdict).toBe('pass')
  })
})

describe('compare, repeated runs', () => {
  const base = { attn: 200_000, gemm: 1_000_000 }
  const noise = [1.0, 1.01, 0.99, 1.005, 0.995]

  it('calls a consistent slowdown significant, with a confidence interval that excludes zero', () => {
    const comparison = compareProfiles(
      runs(base, noise),
      runs(base, noise).map((p) =>
        profile({
          kernels: {
            gemm: p.tables.kernels!.get('gemm')!.total,
            attn: p.tables.kernels!.get('attn')!.total * 1.1
          }
        })
      ),
      rules
    )
    expect(comparison.method).toMatchObject({ kind: 'mann-whitney-u', attainable: true })
    const attn = comparison.tables[0]?.items.find((i) => i.key === 'attn')
    expect(attn?.status).toBe('regressed')
    expect(attn?.significance?.p).toBeCloseTo(2 / 252, 6) // complete separation, 5 runs a side
    expect(attn?.significance?.ciLowPct).toBeGreaterThan(0)
    expect(attn?.samples?.base).toHaveLength(5)
    expect(comparison.gate.verdict).toBe('regression')
  })

  it('does not call a change whose runs overlap, even when the medians differ by more than the threshold', () => {
    const head = [0.9, 1.3, 0.95, 1.06, 1.25].map((f) =>
      profile({ kernels: { gemm: 1_000_000, attn: Math.round(200_000 * f) } })
    )
    const comparison = compareProfiles(runs(base, [0.88, 1.2, 1.0, 0.93, 1.22]), head, rules)
    const attn = comparison.tables[0]?.items.find((i) => i.key === 'attn')
    expect(Math.abs(attn?.deltaPct ?? 0)).toBeGreaterThanOrEqual(5)
    expect(attn?.significance?.significant).toBe(false)
    expect(attn?.status).toBe('unchanged')
  })

  it('controls false discoveries across the kernels tested (Benjamini–Hochberg), and a record re-derives it', () => {
    // Five runs a side, four kernels beyond the limits (threshold 5 %, floor 0.1 % of about
    // 10.6 ms). Exact two-sided Mann–Whitney p with 5 + 5 runs and no ties is 2·P(U ≤ u), the
    // counts of U = 0…7 among the C(10, 5) = 252 orders being 1, 1, 2, 3, 5, 7, 9, 11:
    // - a: every head run above every base run, U = 0, p = 2/252 = 0.0079;
    // - b: two (base, head) pairs the other way (102.5 < 103 and < 104), U = 2, p = 8/252 = 0.0317,
    //   significant alone;
    // - c and d: U = 7 (182 below four base runs, 192 below three), p = 78/252 = 0.31.
    // Benjamini–Hochberg at 0.05 over m = 4: 0.0079 ≤ 1·0.05/4, but 0.0317 > 2·0.05/4 and
    // 0.31 > 3·0.05/4, 4·0.05/4: only a is a discovery; b does not count.
    const base = [0, 1, 2, 3, 4].map((r) =>
      profile({
        kernels: {
          big: 10_000_000,
          a: [100_000, 101_000, 102_000, 103_000, 104_000][r]!,
          b: [100_000, 101_000, 102_000, 103_000, 104_000][r]!,
          c: [200_000, 220_000, 180_000, 210_000, 190_000][r]!,
          d: [200_000, 220_000, 180_000, 210_000, 190_000][r]!
        }
      })
    )
    const head = [0, 1, 2, 3, 4].map((r) =>
      profile({
        kernels: {
          big: 10_000_000,
          a: [120_000, 121_000, 122_000, 123_000, 124_000][r]!,
          b: [102_500, 130_000, 131_000, 132_000, 133_000][r]!,
          c: [182_000, 222_000, 224_000, 192_000, 221_000][r]!,
          d: [182_000, 222_000, 224_000, 192_000, 221_000][r]!
        }
      })
    )
    const comparison = compareProfiles(base, head, rules)
    const kernels = comparison.tables.find((t) => t.table === 'kernels')!
    const get = (key: string): ItemDiff => kernels.items.find((i) => i.key === key)!
    expect(get('a').significance?.p).toBeCloseTo(2 / 252, 6)
    expect(get('b').significance?.p).toBeCloseTo(8 / 252, 6)
    expect(get('c').significance?.p).toBeCloseTo(78 / 252, 6)
    expect(get('a').status).toBe('regressed')
    expect(get('b')).toMatchObject({
      status: 'unchanged',
      reason: 'not-significant',
      significance: { significant: false }
    })
    expect(get('c')).toMatchObject({ status: 'unchanged', reason: 'not-significant' })
    expect(comparison.notes.find((n) => n.code === 'run-tests')?.message).toBe(
      '4 changes beyond the limits were tested over the runs (Mann–Whitney), with false discoveries among the items of each table controlled at 0.05 (Benjamini–Hochberg): 1 change significant alone is not a discovery and does not count.'
    )
    expect(comparison.gate.verdict).toBe('regression')
    // The record carries the samples, not the decision: reading it back decides b alike.
    const again = rederiveVerdict(comparisonToRecord(comparison), 'c.json')
    expect(again.gate.verdict).toBe('regression')
    expect(again.notes.find((n) => n.code === 'run-tests')?.message).toContain(
      '1 change significant alone is not a discovery'
    )

    // Without a: b is the smallest p of three (0.0317 > 1·0.05/3), so nothing regressed.
    const noA = (p: ReturnType<typeof profile>): ReturnType<typeof profile> => {
      const kernels = new Map(p.tables.kernels)
      kernels.delete('a')
      return { ...p, tables: { ...p.tables, kernels } }
    }
    const withoutA = compareProfiles(base.map(noA), head.map(noA), rules)
    expect(withoutA.gate.verdict).toBe('pass')
  })

  it("tests runs too few for Mann–Whitney with Student's t on their logarithms", () => {
    const comparison = compareProfiles(
      runs(BIG, [1, 1.02, 0.98]),
      runs(BIG, [1.1, 1.12, 1.08]),
      rules
    )
    expect(comparison.method).toMatchObject({ kind: 'mann-whitney-u', attainable: false })
    expect(comparison.notes.find((n) => n.code === 'test-powerless')?.message).toMatch(
      /With 3 base and 3 head runs the Mann–Whitney test cannot reach p < 0\.05 \(the smallest possible p is 0\.100\): changes beyond the limits are tested with Student's t on the logarithms/
    )
    // By hand, for the run values of each kernel (rounded to the nanosecond as the profiles are):
    // t over the logarithms with a pooled spread, 4 df: P(|T| > t) = 1 − sin θ (1 + cos² θ / 2),
    // θ = atan(t / 2).
    const expected = (b: number[], h: number[]): number => {
      const lb = b.map(Math.log)
      const lh = h.map(Math.log)
      const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length
      const ss = (v: number[]) => v.reduce((x, y) => x + (y - mean(v)) ** 2, 0)
      const t = (mean(lh) - mean(lb)) / Math.sqrt(((ss(lb) + ss(lh)) / 4) * (2 / 3))
      const theta = Math.atan(Math.abs(t) / 2)
      return 1 - Math.sin(theta) * (1 + Math.cos(theta) ** 2 / 2)
    }
    for (const item of comparison.tables[0]!.items) {
      const v = BIG[item.key as keyof typeof BIG]
      const p = expected(
        [1, 1.02, 0.98].map((f) => Math.round(v * f)),
        [1.1, 1.12, 1.08].map((f) => Math.round(v * f))
      )
      expect(p).toBeLessThan(0.01)
      expect(item.significance).toMatchObject({ test: 'student-t', significant: true })
      expect(item.significance?.p).toBeCloseTo(p, 10)
      expect(item.status).toBe('regressed')
    }
    // A median 10 % up with head runs spread from −5 % to +30 %: not confirmed, and said so.
    const noisy = compareProfiles(runs(BIG, [1, 1.02, 0.98]), runs(BIG, [1.1, 1.3, 0.95]), rules)
    for (const item of noisy.tables[0]!.items) {
      expect(item.significance?.p).toBeGreaterThan(0.05)
      expect(item).toMatchObject({ status: 'unchanged', reason: 'not-significant' })
    }
    expect(noisy.gate.verdict).toBe('pass')
    // The record re-derives the same decision from its samples.
    expect(rederiveVerdict(comparisonToRecord(comparison), 'c.json').gate.verdict).toBe(
      'regression'
    )
  })

  it('counts a kernel missing from some runs as 0 in those runs', () => {
    const comparison = compareProfiles(
      [
        profile({ kernels: { ...BIG, flaky: 100_000 } }),
        profile({ kernels: BIG }),
        profile({ kernels: { ...BIG, flaky: 100_000 } })
      ],
      runs(BIG, [1, 1, 1]),
      rules
    )
    const flaky = comparison.tables[0]?.items.find((i) => i.key === 'flaky')
    expect(flaky?.base?.runs).toBe(2)
    expect(flaky?.status).toBe('removed')
  })
})
