/**
 * Whether the rank test over the runs can reach a level depends on the run values, not only on
 * how many there are: values tied across the sides (a kernel missing from runs counts 0 in each,
 * call counts repeat) raise the least p the exact test can give. The least p is checked here
 * against every split of the pooled values enumerated, each split's p counted from the U of all
 * splits (no formula of the code under test), and the choice of test it drives through whole
 * comparisons, with the t test's p from its closed form for even degrees of freedom.
 */
import { describe, expect, it } from 'vitest'
import { compareProfiles, type Comparison, type ItemDiff } from '../../src/compare/compare.js'
import { comparisonToRecord, rederiveVerdict } from '../../src/compare/record.js'
import { buildRules } from '../../src/compare/rules.js'
import { leastPValue, mannWhitney, minimumPValue } from '../../src/compare/statistics.js'
import type { Profile } from '../../src/profile/model.js'
import { profile } from '../support/profiles.js'
import { seededRandom } from '../support/random.js'
import { subsets, uOf } from '../support/rank-enumeration.js'

/**
 * The least exact two-sided p over the splits of `pooled` into n base and m head values whose U
 * is above n·m / 2 (way > 0), below (way < 0), or either (0); 1 when no split moves that way.
 * Each split's p is 2 · min(#{U ≤ u}, #{U ≥ u}) / #splits, capped at 1.
 */
function enumeratedLeast(pooled: readonly number[], m: number, ways: readonly number[]): number[] {
  const N = pooled.length
  const n = N - m
  const us: number[] = []
  for (const chosen of subsets(N, m)) {
    const set = new Set(chosen)
    us.push(
      uOf(
        pooled.filter((_, i) => !set.has(i)),
        chosen.map((i) => pooled[i]!)
      )
    )
  }
  const total = us.length
  return ways.map((way) => {
    let least = 1
    for (const u of new Set(us)) {
      const side = Math.sign(u - (n * m) / 2)
      if (side === 0 || (way !== 0 && side !== way)) continue
      let low = 0
      let high = 0
      for (const v of us) {
        if (v <= u) low += 1
        if (v >= u) high += 1
      }
      least = Math.min(least, Math.min(1, (2 * Math.min(low, high)) / total))
    }
    return least
  })
}

/** Every composition of N (tie groups in order, by size). */
function compositions(N: number): number[][] {
  if (N === 0) return [[]]
  const out: number[][] = []
  for (let first = 1; first <= N; first++)
    for (const rest of compositions(N - first)) out.push([first, ...rest])
  return out
}

/** Shuffled in place (Fisher–Yates). */
function shuffle<T>(values: T[], next: () => number): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[values[i], values[j]] = [values[j]!, values[i]!]
  }
  return values
}

const WAYS = [1, -1, 0]

describe('the least p of the rank test over the runs, with ties', () => {
  it('is the least over every split in that direction, for every tie pattern of up to 10 runs', () => {
    const next = seededRandom(7)
    let cases = 0
    let raised = 0
    for (let N = 2; N <= 10; N++) {
      for (const groups of compositions(N)) {
        // Tie groups of values 0, 1, 2, …, handed out to the sides at random: only the pooled
        // values count.
        const pooled = shuffle(
          groups.flatMap((t, g) => Array.from({ length: t }, () => g)),
          next
        )
        for (let m = 1; m < N; m++) {
          const expected = enumeratedLeast(pooled, m, WAYS)
          WAYS.forEach((way, i) => {
            const got = leastPValue(pooled.slice(0, N - m), pooled.slice(N - m), way)
            if (Math.abs(got - expected[i]!) > 1e-12)
              expect(got, JSON.stringify({ pooled, m, way })).toBe(expected[i])
            if (got > 2 / binomial(N, m) + 1e-12) raised += 1
          })
          cases += 1
        }
      }
    }
    expect(cases).toBe(8_194)
    // The ties do raise it, often: the check is not of untied patterns only.
    expect(raised).toBeGreaterThan(10_000)
  })

  it('is the least over every split for random tie patterns of 11 to 14 runs', () => {
    const next = seededRandom(11)
    for (let trial = 0; trial < 60; trial++) {
      const N = 11 + (trial % 4)
      const distinct = 2 + Math.floor(next() * 5)
      const pooled = Array.from({ length: N }, () => Math.floor(next() * distinct))
      const m = 1 + Math.floor(next() * (N - 1))
      const expected = enumeratedLeast(pooled, m, WAYS)
      WAYS.forEach((way, i) => {
        expect(leastPValue(pooled.slice(0, N - m), pooled.slice(N - m), way)).toBeCloseTo(
          expected[i]!,
          12
        )
      })
    }
  })

  it('ties of zeros and infinities, as the runs have them', () => {
    // A kernel missing from 5 of 8 runs, 4 a side: head 0, 1.2, 1.3, 1.4 against base 0 × 4.
    const base = [0, 0, 0, 0]
    const head = [0, 1.2, 1.3, 1.4]
    // The head above: 4 of the 5 zeros in the base, C(5, 4) = 5 splits as extreme of C(8, 4) = 70.
    expect(enumeratedLeast([...base, ...head], 4, [1])[0]).toBeCloseTo(10 / 70, 14)
    expect(leastPValue(base, head, 1)).toBeCloseTo(10 / 70, 14)
    // The head below: the head takes 4 of the 5 zeros, as many ways.
    expect(leastPValue(base, head, -1)).toBeCloseTo(10 / 70, 14)
    const infinite = [-Infinity, -Infinity, 0, 5, Infinity, Infinity, Infinity]
    for (let m = 1; m < infinite.length; m++) {
      const expected = enumeratedLeast(infinite, m, WAYS)
      WAYS.forEach((way, i) =>
        expect(leastPValue(infinite.slice(m), infinite.slice(0, m), way)).toBeCloseTo(
          expected[i]!,
          12
        )
      )
    }
    // Every value tied: no split moves either way.
    expect(leastPValue([3, 3, 3], [3, 3, 3, 3], 0)).toBe(1)
  })

  it('without ties is the bound of the sizes, whatever the values and the direction', () => {
    const next = seededRandom(3)
    for (const [n, m] of [
      [2, 2],
      [3, 3],
      [4, 3],
      [5, 5],
      [1, 40],
      [20, 20],
      [21, 20],
      [30, 30]
    ] as const) {
      const values = shuffle(
        Array.from({ length: n + m }, (_, i) => i * 1.5),
        next
      )
      for (const way of WAYS) {
        const got = leastPValue(values.slice(0, n), values.slice(n), way)
        expect(got).toBe(minimumPValue(n, m))
        // 2 / C(n + m, m) while the test is exact (n·m ≤ 400), 0 (unbounded) beyond.
        if (n * m <= 400) expect(got).toBeCloseTo(Math.min(1, 2 / binomial(n + m, m)), 15)
        else expect(got).toBe(0)
      }
    }
    // Ties within one side only leave the extreme split alone: the bound of the sizes.
    expect(leastPValue([1, 1, 2, 3], [5, 6, 6, 7], 1)).toBeCloseTo(2 / 70, 15)
  })

  it('beyond the exact sizes, the normal approximation at the extreme split', () => {
    // 20 base and 21 head runs, 38 of the 41 values 0 (the kernel missing from those runs).
    const pooled = [...Array.from({ length: 38 }, () => 0), 1, 2, 3]
    const base = pooled.slice(0, 20)
    const head = pooled.slice(20)
    // By hand: σ² = nm/12 · (N + 1 − (38³ − 38) / (N (N − 1))), U about n·m / 2 = 210.
    const N = 41
    const sigma = Math.sqrt((420 / 12) * (N + 1 - (38 ** 3 - 38) / (N * (N - 1))))
    // The head above: it takes the 3 values and 18 zeros, the base 20 zeros: U = 3 · 20 + 18 · 20 / 2.
    const above = 2 * upperTail((3 * 20 + (18 * 20) / 2 - 210 - 0.5) / sigma)
    // The head below: it takes 21 zeros, the base 17 zeros and the 3 values: U = 21 · 17 / 2.
    const below = 2 * upperTail((210 - (21 * 17) / 2 - 0.5) / sigma)
    expect(leastPValue(base, head, 1)).toBeCloseTo(above, 10)
    expect(leastPValue(base, head, -1)).toBeCloseTo(below, 10)
    expect(leastPValue(base, head, 0)).toBeCloseTo(Math.min(above, below), 10)
    // Neither reaches α, where the bound of the sizes (0: unbounded) said both could.
    expect(Math.min(above, below)).toBeGreaterThan(0.05)
    // And no other split that way gives less (a sample of them, by the test itself).
    const next = seededRandom(5)
    for (let trial = 0; trial < 200; trial++) {
      const split = shuffle([...pooled], next)
      const test = mannWhitney(split.slice(0, 20), split.slice(20))
      if (test.u > 210) expect(test.p).toBeGreaterThanOrEqual(above - 1e-12)
      if (test.u < 210) expect(test.p).toBeGreaterThanOrEqual(below - 1e-12)
    }
  })
})

/** C(a, b) by Pascal's triangle. */
function binomial(a: number, b: number): number {
  let row = [1]
  for (let i = 1; i <= a; i++) row = [1, ...row.slice(1).map((v, j) => v + row[j]!), 1]
  return row[b] ?? 0
}

/** P(Z > z) by Simpson's rule on the density over [z, z + 40]. */
function upperTail(z: number): number {
  const steps = 200_000
  const h = 40 / steps
  const f = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)
  let sum = f(z) + f(z + 40)
  for (let i = 1; i < steps; i++) sum += f(z + i * h) * (i % 2 === 1 ? 4 : 2)
  return (sum * h) / 3
}

/**
 * Two-sided P(|T| > t) for Student's t with an even number ν of degrees of freedom, in closed
 * form: 1 − sin θ · Σ_{j < ν/2} c_j cos^(2j) θ, θ = atan(t / √ν), c_0 = 1, c_j = c_{j−1} (2j − 1)/(2j).
 */
function tTwoSided(t: number, df: number): number {
  const theta = Math.atan(Math.abs(t) / Math.sqrt(df))
  let c = 1
  let sum = 0
  for (let j = 0; j < df / 2; j++) {
    if (j > 0) c *= (2 * j - 1) / (2 * j)
    sum += c * Math.cos(theta) ** (2 * j)
  }
  return 1 - Math.sin(theta) * sum
}

/** Pooled two-sample t over the logarithms, and its p. */
function tOnLogs(base: number[], head: number[]): number {
  const a = base.map(Math.log)
  const b = head.map(Math.log)
  const mean = (v: number[]): number => v.reduce((x, y) => x + y, 0) / v.length
  const ss = (v: number[]): number => v.reduce((x, y) => x + (y - mean(v)) ** 2, 0)
  const df = a.length + b.length - 2
  const se = Math.sqrt(((ss(a) + ss(b)) / df) * (1 / a.length + 1 / b.length))
  return tTwoSided((mean(b) - mean(a)) / se, df)
}

const rules = buildRules(undefined)
const rederived = (c: Comparison) =>
  rederiveVerdict(JSON.parse(JSON.stringify(comparisonToRecord(c))) as unknown, 'record.json').gate
const kernel = (c: Comparison, name: string): ItemDiff => {
  const item = c.tables.find((t) => t.table === 'kernels')?.items.find((i) => i.name === name)
  if (!item) throw new Error(`no kernel ${name}`)
  return item
}
/** Runs with these kernels, each [total ns per run]. */
const runsOf = (kernels: Record<string, number[]>): Profile[] =>
  Object.values(kernels)[0]!.map((_, r) =>
    profile({ kernels: Object.fromEntries(Object.entries(kernels).map(([k, v]) => [k, v[r]!])) })
  )

describe('the test an item gets, with tied runs', () => {
  const steady = (v: number, runs: number): number[] =>
    Array.from({ length: runs }, (_, i) => v + i)

  it('six runs a side, a kernel at exactly 1 ms in eight of twelve: Student’s t, and it regresses', () => {
    // Every base run and two head runs 1.000 ms, four head runs 1.300 ms: the head's median is
    // 30 % up. The rank test could go down to 2 / C(12, 6) = 0.0022 without ties; with these,
    // its least p is 2 · C(8, 6) / C(12, 6) = 56 / 924 = 0.061, above α, and the split observed
    // is that one: before, the item was tested by rank, p = 0.061, `not-significant`, a pass.
    const attn = { base: steady(0, 6).map(() => 1_000_000), head: [1, 1, 1.3, 1.3, 1.3, 1.3] }
    attn.head = attn.head.map((f) => f * 1_000_000)
    const base = runsOf({ gemm: steady(8_000_000, 6), attn: attn.base })
    const head = runsOf({ gemm: steady(8_000_000, 6), attn: attn.head })
    expect(enumeratedLeast([...attn.base, ...attn.head], 6, [1])[0]).toBeCloseTo(56 / 924, 14)
    const c = compareProfiles(base, head, rules)
    expect(c.method).toMatchObject({ kind: 'mann-whitney-u', attainable: true })
    const item = kernel(c, 'attn')
    expect(item.significance?.test).toBe('student-t')
    expect(item.significance?.p).toBeCloseTo(tOnLogs(attn.base, attn.head), 10)
    expect(item.significance?.p).toBeLessThan(0.02)
    expect(item.status).toBe('regressed')
    expect(c.gate.verdict).toBe('regression')
    expect(rederived(c)).toEqual(c.gate)
  })

  it('two items tested, one tied: it reaches α alone but not α / 2, so it switches to t', () => {
    // attn: base 1 ms × 5, head 1 ms once and 1.3 ms four times. Its least p is
    // 2 · C(6, 5) / C(10, 5) = 12 / 252 = 0.048: below α alone, above the α / 2 Benjamini–Hochberg
    // asks of the stronger of two; without ties the bound would be 2 / 252 = 0.0079, below it.
    const attn = { base: [1, 1, 1, 1, 1], head: [1, 1.3, 1.3, 1.3, 1.3] }
    attn.base = attn.base.map((f) => f * 1_000_000)
    attn.head = attn.head.map((f) => f * 1_000_000)
    const gemmBase = steady(8_000_000, 5)
    const gemmHead = gemmBase.map((v) => 2 * v)
    const c = compareProfiles(
      runsOf({ gemm: gemmBase, attn: attn.base }),
      runsOf({ gemm: gemmHead, attn: attn.head }),
      rules
    )
    expect(enumeratedLeast([...attn.base, ...attn.head], 5, [1])[0]).toBeCloseTo(12 / 252, 14)
    const item = kernel(c, 'attn')
    expect(item.significance?.test).toBe('student-t')
    expect(item.significance?.p).toBeCloseTo(tOnLogs(attn.base, attn.head), 10)
    expect(item.status).toBe('regressed')
    // gemm, untied and twice as slow in every run, keeps the rank test: 2 / 252.
    expect(kernel(c, 'gemm').significance).toMatchObject({ test: 'mann-whitney-u' })
    expect(kernel(c, 'gemm').significance?.p).toBeCloseTo(2 / 252, 14)
    // Two switched: attn, and the attention category (the derived categories table) it makes up.
    expect(c.notes.find((n) => n.code === 'run-tests')?.message).toContain(
      "Student's t on the logarithms for 2 whose runs are too few, or too often tied,"
    )
    expect(rederived(c)).toEqual(c.gate)
  })

  it('one base run has the table and its value ties with half the head runs: cannot be tested', () => {
    // 2 base runs, one without the kernel report; 40 head runs. Without ties one base sample
    // against 40 reaches 2 / 41 = 0.049 < α. Here the base's 1 ms ties with 20 head runs (the other
    // 20 at 2 ms): the least p is 2 · C(21, 1) / 41 > 1, so no test can confirm the +50 %; before,
    // it was `not-significant` and the comparison passed.
    const headAttn = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 1_000_000 : 2_000_000))
    const base = runsOf({ gemm: [30_000_000, 30_000_000], attn: [1_000_000, 1_000_000] })
    delete base[1]!.tables.kernels
    const head = runsOf({ gemm: headAttn.map(() => 30_000_000), attn: headAttn })
    expect(enumeratedLeast([1_000_000, ...headAttn], 40, [1])[0]).toBe(1)
    const c = compareProfiles(base, head, rules)
    const item = kernel(c, 'attn')
    expect(item.samples?.base).toEqual([1_000_000])
    expect(item).toMatchObject({ status: 'unchanged', reason: 'not-significant' })
    expect(c.gate.verdict).toBe('inconclusive')
    expect(c.gate.reasons.map((r) => r.code)).toEqual(['test-underpowered'])
    expect(c.gate.reasons[0]?.message).toContain('GPU kernels: attn (1 base, 40 head runs)')
    expect(rederived(c)).toEqual(c.gate)
    // The same runs untied (head runs at 1.000001 ms and 2 ms): the rank test can decide, and
    // does (p = 2 · 1 / 41 when the base's run is below every head run).
    const untied = runsOf({
      gemm: headAttn.map(() => 30_000_000),
      attn: headAttn.map((v) => v + 1)
    })
    const d = compareProfiles(base, untied, rules)
    expect(kernel(d, 'attn').significance).toMatchObject({ test: 'mann-whitney-u' })
    expect(kernel(d, 'attn').significance?.p).toBeCloseTo(2 / 41, 14)
    expect(kernel(d, 'attn').status).toBe('regressed')
  })
})
