import { describe, expect, it } from 'vitest'
import { buildRules, type Direction } from '../../src/compare/rules.js'
import { appendRun, type RunEntry } from '../../src/history/append.js'
import { autoLimit, bandOf } from '../../src/history/band.js'
import { decodeHistory, encodeHistory } from '../../src/history/codec.js'
import { findDrifts, streak } from '../../src/history/drift.js'
import {
  emptyHistory,
  type Fingerprint,
  type History,
  type HistoryRun,
  type Series
} from '../../src/history/model.js'
import { historyView } from '../../src/history/view.js'
import { seededRandom } from '../support/random.js'

/**
 * The band, the auto limit, the comparable runs and the drift check against a computation of
 * their own, written from docs/history.md alone (no helper of src/history is used to get an
 * expected value): median and MAD by hand, the comparable runs by the fingerprint's four fields,
 * the history as a dense matrix of what every push measured.
 */

// ---------------------------------------------------------------- the reference, from the docs

/** The median: the middle value of the sorted list, the mean of the two middle ones when even. */
function refMedian(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const n = s.length
  if (n === 0) return NaN
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2
}

/** Median absolute deviation from the median. */
function refMad(xs: readonly number[]): number {
  const m = refMedian(xs)
  return refMedian(xs.map((x) => (x >= m ? x - m : m - x)))
}

/** median ± 3·1.4826·MAD, with at least 5 values. */
function refBand(xs: readonly number[]): { center: number; half: number } | undefined {
  if (xs.length < 5) return undefined
  return { center: refMedian(xs), half: 3 * 1.4826 * refMad(xs) }
}

/** Same GPU model, same profiler, same major, same naming. */
function refComparable(a: Fingerprint, b: Fingerprint): boolean {
  return (
    a.gpu === b.gpu && a.profiler === b.profiler && a.major === b.major && a.naming === b.naming
  )
}

/** A history as what each push measured: runs oldest first, per run a map key → value. */
interface Dense {
  runs: HistoryRun[]
  values: Map<string, number>[]
}

/** The item's history for a comparison: its values on the comparable runs, oldest first. */
function refSeries(d: Dense, fp: Fingerprint, key: string): number[] {
  const out: number[] = []
  d.runs.forEach((r, i) => {
    const v = d.values[i]!.get(key)
    if (refComparable(r, fp) && v !== undefined) out.push(v)
  })
  return out
}

/**
 * The auto limit: the band's half-width in percent of its median when wider than the fixed
 * threshold, else the fixed threshold; fewer than 5 runs: fixed. Returns the percent unrounded.
 */
function refAuto(
  xs: readonly number[],
  fixed: number
): { source: 'history' | 'fixed'; why?: string; pct?: number } {
  const band = refBand(xs)
  if (!band) return { source: 'fixed', why: 'too-few-runs' }
  const pct = band.center > 0 ? (band.half / band.center) * 100 : band.half > 0 ? Infinity : 0
  return pct > fixed
    ? { source: 'history', pct }
    : { source: 'fixed', why: 'band-within-fixed', pct }
}

/** The longest newest streak (≥ 3) outside, on one side, of the band before it (≥ 5 runs). */
function refDrift(
  xs: readonly number[],
  thresholdPct: number,
  direction: Direction
): { runs: number; reference: number; worse: boolean } | undefined {
  let best: { runs: number; reference: number; worse: boolean } | undefined
  for (let n = 3; n <= xs.length; n++) {
    const before = xs.slice(0, xs.length - n)
    if (before.length < 5) break
    const recent = xs.slice(xs.length - n)
    const c = refMedian(before)
    // A median of 0 before is no band (its MAD is 0 too): docs/history.md, "Drift".
    if (c === 0) continue
    const half = Math.max(3 * 1.4826 * refMad(before), (thresholdPct * c) / 100)
    const up = recent.every((v) => v > c + half)
    const down = recent.every((v) => v < c - half)
    if (up || down)
      best = { runs: n, reference: c, worse: direction === 'lower-is-better' ? up : down }
  }
  return best
}

// ------------------------------------------------------------------------- generated histories

const H100: Fingerprint = {
  gpu: 'NVIDIA H100 80GB HBM3',
  profiler: 'nsys',
  major: '2024',
  naming: 'demangled'
}
const A100: Fingerprint = { ...H100, gpu: 'NVIDIA A100-SXM4-80GB' }
const NSYS2025: Fingerprint = { ...H100, major: '2025' }
const BASE: Fingerprint = { ...H100, naming: 'base' }
const OTHERS = [A100, NSYS2025, BASE]

function runOf(i: number, fp: Fingerprint, date?: string): HistoryRun {
  return {
    sha: `${i}`.padStart(40, '0'),
    date: date ?? new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    repetitions: 1,
    ...fp
  }
}

function entryOf(run: HistoryRun, values: Map<string, number>): RunEntry {
  return {
    run,
    tables: {
      kernels: new Map(
        [...values].map(([k, v]) => [k, { name: `name of ${k}`, value: v, spread: 0, count: 1 }])
      )
    }
  }
}

/** A history grown push by push through appendRun, and the same pushes kept densely. */
function grow(d: Dense, length: number): History {
  return d.runs.reduce(
    (h, run, i) => appendRun(h, entryOf(run, d.values[i]!), length),
    emptyHistory()
  )
}

/** The dense history cut to the newest `length` runs (what appendRun keeps). */
function newest(d: Dense, length: number): Dense {
  return { runs: d.runs.slice(-length), values: d.values.slice(-length) }
}

/** Whole values (a history file holds whole units), of several shapes. */
function generate(seed: number, runs: number): Dense {
  const r = seededRandom(seed)
  const d: Dense = { runs: [], values: [] }
  const shapes = ['steady', 'noisy', 'constant', 'step', 'sometimes', 'zero', 'huge', 'wild']
  const jump = Math.floor(runs * (0.4 + 0.5 * r()))
  for (let i = 0; i < runs; i++) {
    const fp = r() < 0.25 ? OTHERS[Math.floor(r() * OTHERS.length)]! : H100
    // Parallel pushes: dates out of order, some the same.
    const date =
      r() < 0.2
        ? new Date(Date.UTC(2026, 0, 1) + Math.floor(r() * runs) * 3_600_000).toISOString()
        : undefined
    d.runs.push(runOf(i, fp, date))
    const values = new Map<string, number>()
    for (const shape of shapes) {
      const noise = (width: number): number => (r() - 0.5) * 2 * width
      let v: number | undefined
      switch (shape) {
        case 'steady':
          v = 1_000_000 + noise(10_000)
          break
        case 'noisy':
          v = 200_000 + noise(60_000)
          break
        case 'constant':
          v = 5_000
          break
        case 'step':
          v = (i >= jump ? 1_300_000 : 1_000_000) + noise(5_000)
          break
        case 'sometimes':
          v = r() < 0.5 ? 40_000 + noise(2_000) : undefined
          break
        case 'zero':
          v = r() < 0.7 ? 0 : 50 + noise(50)
          break
        case 'huge':
          v = 2 ** 52 + noise(2 ** 45)
          break
        case 'wild':
          v = r() < 0.15 ? 10_000_000 : 100_000 + noise(1_000)
          break
      }
      if (v !== undefined) values.set(shape, Math.round(v))
    }
    // A kernel renamed (a new key) half way: the old key ends, the new one starts.
    values.set(i < runs / 2 ? 'old-key' : 'new-key', 300_000 + Math.round(noise3(r)))
    d.values.push(values)
  }
  return d
}

function noise3(r: () => number): number {
  return (r() - 0.5) * 6_000
}

const KEYS = ['steady', 'noisy', 'constant', 'step', 'sometimes', 'zero', 'huge', 'wild']

// ------------------------------------------------------------------------------------- checks

describe('the band against its own computation', () => {
  const cases: [string, number[]][] = [
    ['5 runs', [100, 102, 98, 101, 99]],
    ['6 runs (even: the mean of the two middle values)', [100, 110, 90, 104, 96, 130]],
    ['one outlier', [100, 101, 99, 100, 100_000, 101, 99]],
    ['MAD 0 (all equal)', [7, 7, 7, 7, 7, 7]],
    ['MAD 0 with outliers', [10, 10, 10, 10, 900, 1, 10]],
    ['median 0', [0, 0, 0, 5, 9]],
    ['all 0', [0, 0, 0, 0, 0]],
    ['band below 0', [10, 1000, 20, 5000, 30, 2000, 15]],
    ['near 2^53', [2 ** 53 - 1, 2 ** 53 - 5, 2 ** 53 - 3, 2 ** 52, 2 ** 53 - 2]]
  ]
  for (const [what, xs] of cases)
    it(`is median ± 3·1.4826·MAD: ${what}`, () => {
      const mine = refBand(xs)!
      const band = bandOf(xs)!
      expect(band.center).toBe(mine.center)
      expect(band.halfWidth).toBeCloseTo(mine.half, 6)
      expect(band.high).toBeCloseTo(mine.center + mine.half, 6)
      // The measures are never negative: the lower bound stops at 0.
      expect(band.low).toBeCloseTo(Math.max(0, mine.center - mine.half), 6)
      expect(band.runs).toBe(xs.length)
    })

  it('has no band under 5 runs', () => {
    for (const xs of [[], [1], [1, 2, 3, 4]]) expect(bandOf(xs)).toBeUndefined()
  })
})

describe('the auto limit against its own computation', () => {
  const check = (xs: number[], fixed: number): void => {
    const mine = refAuto(xs, fixed)
    const { threshold, limit } = autoLimit(xs, fixed)
    expect(limit.source).toBe(mine.source)
    expect(limit.runs).toBe(xs.length)
    if (mine.why !== undefined) expect(limit.why).toBe(mine.why)
    if (mine.source === 'fixed') expect(threshold).toBe(fixed)
    else expect(threshold).toBeCloseTo(Math.min(mine.pct!, 1000), 2)
    if (mine.pct !== undefined) expect(limit.bandPct).toBeCloseTo(Math.min(mine.pct, 1000), 2)
  }

  it('fewer than 5 runs: the fixed threshold; exactly 5: the band', () => {
    check([100, 150, 50, 120], 5)
    check([100, 150, 50, 120, 80], 5)
    expect(autoLimit([100, 150, 50, 120, 80], 5).limit.source).toBe('history')
  })

  it('MAD 0: the floor', () => {
    check([7, 7, 7, 7, 7], 5)
    expect(autoLimit([7, 7, 7, 7, 7], 5).threshold).toBe(5)
  })

  it('median 0: the floor, never a limit of 0 or of infinity', () => {
    check([0, 0, 0, 5, 9], 5)
    expect(autoLimit([0, 0, 0, 5, 9], 5).threshold).toBe(5)
  })

  it('a band wider than the input cap is capped at 1000 %', () => {
    const xs = [10, 1000, 20, 5000, 30, 2000, 15]
    check(xs, 5)
  })

  it('a floor above the band wins; a rule wins over both', () => {
    const xs = [100, 150, 50, 120, 80]
    check(xs, 90)
    expect(autoLimit(xs, 90).threshold).toBe(90)
    expect(autoLimit(xs, 5, true)).toEqual({
      threshold: 5,
      limit: { source: 'fixed', why: 'rule', runs: 5 }
    })
  })

  it('on generated series, for floors from 0 to 50 %', () => {
    const r = seededRandom(7)
    for (let t = 0; t < 400; t++) {
      const n = Math.floor(r() * 40)
      const centre = 1 + Math.floor(r() * 1e7)
      const width = r() * r() * 0.5
      const xs = Array.from({ length: n }, () => Math.round(centre * (1 + (r() - 0.5) * width)))
      check(xs, [0.5, 1, 5, 10, 50][t % 5]!)
    }
  })
})

describe('the comparable runs of a generated history', () => {
  for (const seed of [1, 2, 3, 4, 5, 6])
    for (const [runs, length] of [
      [12, 50],
      [80, 50],
      [60, 1],
      [40, 7],
      [520, 500]
    ] as const)
      it(`seed ${seed}: ${runs} pushes kept to ${length}`, () => {
        const dense = generate(seed, runs)
        const history = grow(dense, length)
        const kept = newest(dense, length)
        // appendRun keeps the newest `length` runs in push order, whatever their dates.
        expect(history.runs.map((r) => r.sha)).toEqual(kept.runs.map((r) => r.sha))
        // Through the file, as a pull request reads it.
        const read = decodeHistory(encodeHistory(history), 'history.json.gz')
        for (const h of [history, read]) {
          const view = historyView(h, H100)
          expect(view.total).toBe(kept.runs.length)
          expect(view.comparable).toBe(kept.runs.filter((r) => refComparable(r, H100)).length)
          for (const key of [...KEYS, 'old-key', 'new-key', 'never']) {
            const mine = refSeries(kept, H100, key)
            expect(view.series('kernels', key), key).toEqual(mine)
            const { threshold, limit } = autoLimit(view.series('kernels', key), 5)
            const ref = refAuto(mine, 5)
            expect(limit.source, key).toBe(ref.source)
            expect(threshold, key).toBeCloseTo(
              ref.source === 'history' ? Math.min(ref.pct!, 1000) : 5,
              2
            )
          }
          // Another fingerprint sees only its own runs.
          for (const fp of OTHERS)
            for (const key of KEYS)
              expect(historyView(h, fp).series('kernels', key)).toEqual(refSeries(kept, fp, key))
        }
        // An item no kept run has left the history.
        for (const key of ['old-key', 'new-key'])
          expect(history.tables.kernels?.has(key)).toBe(kept.values.some((v) => v.has(key)))
      })
})

describe('the drift check against its own computation', () => {
  const rules = buildRules(undefined)

  for (const seed of [11, 12, 13, 14, 15, 16, 17, 18])
    for (const runs of [8, 9, 30, 60])
      it(`seed ${seed}: ${runs} pushes`, () => {
        const dense = generate(seed, runs)
        const history = grow(dense, 50)
        const kept = newest(dense, 50)
        const last = kept.runs.at(-1)!
        const drifts = findDrifts(history, rules)
        const expected = new Map<string, { runs: number; reference: number; worse: boolean }>()
        for (const key of [...KEYS, 'old-key', 'new-key']) {
          // A kernel gone from the newest run did not drift.
          if (!kept.values.at(-1)!.has(key)) continue
          const d = refDrift(refSeries(kept, last, key), 5, 'lower-is-better')
          if (d) expected.set(key, d)
        }
        const got = new Map(
          drifts
            .filter((d) => d.table === 'kernels')
            .map((d) => [d.key, { runs: d.runs, reference: d.reference, worse: d.worse }])
        )
        expect(got).toEqual(expected)
        for (const d of drifts) {
          const xs = refSeries(kept, last, d.key)
          expect(d.latest).toBe(xs.at(-1))
          if (d.reference > 0) expect(d.pct).toBeCloseTo((xs.at(-1)! / d.reference - 1) * 100, 6)
          else expect(d.pct).toBeNull()
        }
      })

  it('a step up for 3 merges, after 5 steady ones: a drift toward worse', () => {
    const xs = [100, 100, 100, 100, 100, 130, 130, 130]
    expect(streak(xs, 5, 'lower-is-better')).toMatchObject({ runs: 3, reference: 100, worse: true })
    expect(streak(xs, 5, 'lower-is-better')?.pct).toBeCloseTo(30, 9)
    expect(streak(xs, 5, 'higher-is-better')?.worse).toBe(false)
  })

  it('a step down is better for lower-is-better, worse for higher-is-better', () => {
    const xs = [100, 100, 100, 100, 100, 70, 70, 70]
    expect(streak(xs, 5, 'lower-is-better')?.worse).toBe(false)
    expect(streak(xs, 5, 'higher-is-better')?.worse).toBe(true)
  })

  it('within the fixed floor: no drift (a quiet kernel does not drift by half a percent)', () => {
    expect(streak([100, 100, 100, 100, 100, 104, 104, 104], 5, 'lower-is-better')).toBe(undefined)
  })

  it('4 runs before the streak: too few; 2 runs out: too few', () => {
    expect(streak([100, 100, 100, 100, 130, 130, 130], 5, 'lower-is-better')).toBeUndefined()
    expect(streak([100, 100, 100, 100, 100, 100, 130, 130], 5, 'lower-is-better')).toBeUndefined()
  })

  it('runs of another GPU between the streak do not break it, nor count in it', () => {
    const dense: Dense = { runs: [], values: [] }
    const plan: [Fingerprint, number][] = [
      [H100, 100],
      [H100, 100],
      [A100, 50],
      [H100, 100],
      [H100, 100],
      [H100, 100],
      [H100, 140],
      [A100, 50],
      [H100, 140],
      [A100, 50],
      [H100, 140]
    ]
    plan.forEach(([fp, v], i) => {
      dense.runs.push(runOf(i, fp))
      dense.values.push(new Map([['k', v]]))
    })
    const [d] = findDrifts(grow(dense, 50), rules)
    expect(d).toMatchObject({ key: 'k', runs: 3, reference: 100, latest: 140, worse: true })
    expect(d?.pct).toBeCloseTo(40, 9)
  })

  /** A history of one kernel `k` (and what else is given) on the H100, one push a value. */
  function pushes(values: (number | undefined)[], table: 'kernels' | 'nvtx' = 'kernels'): History {
    return values.reduce<History>((h, v, i) => {
      const e = entryOf(runOf(i, H100), new Map(v === undefined ? [] : [['k', v]]))
      if (table !== 'kernels') e.tables = { [table]: e.tables.kernels }
      return appendRun(h, e, 50)
    }, emptyHistory())
  }

  it('a kernel mostly absent before (median 0) that shows up on 3 pushes did not drift', () => {
    // Run values are medians over repetitions: 0 where the kernel ran in fewer than half of them.
    const h = pushes([0, 0, 0, 40, 0, 0, 0, 50, 73, 20])
    expect(refDrift(refSeries(denseOf(h), H100, 'k'), 5, 'lower-is-better')).toBeUndefined()
    expect(findDrifts(h, rules)).toEqual([])
    expect(streak([0, 0, 0, 0, 0, 5, 5, 5], 5, 'lower-is-better')).toBeUndefined()
  })

  it('a median above 0 before is a band as any: 0 → present is not, present → 0 is', () => {
    const xs = [10, 10, 10, 10, 10, 0, 0, 0]
    expect(streak(xs, 5, 'lower-is-better')).toMatchObject({ runs: 3, reference: 10, worse: false })
    expect(streak(xs, 5, 'lower-is-better')?.pct).toBe(-100)
  })

  it('checks an item a rule gates in a table that does not gate', () => {
    const h = pushes([100, 100, 100, 100, 100, 100, 150, 150, 150], 'nvtx')
    expect(findDrifts(h, rules)).toEqual([])
    const gated = buildRules({ rules: [{ table: 'nvtx', match: '^k$', gate: true }] })
    expect(findDrifts(h, gated)).toMatchObject([
      { table: 'nvtx', key: 'k', runs: 3, reference: 100, latest: 150, pct: 50, worse: true }
    ])
    // And not one a rule ungates in a table that does.
    const kernels = pushes([100, 100, 100, 100, 100, 100, 150, 150, 150])
    expect(findDrifts(kernels, rules)).toHaveLength(1)
    expect(findDrifts(kernels, buildRules({ rules: [{ match: '^k$', gate: false }] }))).toEqual([])
  })

  it('judges the run it appends as the file will hold it (whole units; a value no file holds: absent)', () => {
    // 105.4 is saved as 105, inside 100 ± 5 %: the next push reads no streak there, nor does this one.
    const fraction = pushes([100, 100, 100, 100, 100, 100, 106, 106, 105.4])
    const read = decodeHistory(encodeHistory(fraction), 'history.json.gz')
    expect(findDrifts(read, rules)).toEqual([])
    expect(findDrifts(fraction, rules)).toEqual([])
    // A value past 2^53 (or not finite) is written as the run not having the item.
    for (const wild of [2 ** 60, Infinity, NaN, -5]) {
      const h = pushes([100, 100, 100, 100, 100, 100, 150, 150, wild])
      expect(findDrifts(h, rules), String(wild)).toEqual([])
      expect(findDrifts(decodeHistory(encodeHistory(h), 'h'), rules), String(wild)).toEqual([])
    }
  })
})

/** A history's runs and values back as the dense form (the reference reads that). */
function denseOf(h: History): Dense {
  const values = h.runs.map(() => new Map<string, number>())
  for (const [key, s] of h.tables.kernels ?? new Map<string, Series>())
    s.value.forEach((v, i) => {
      if (v !== null) values[i]!.set(key, v)
    })
  return { runs: h.runs, values }
}

describe('the window of a history view', () => {
  const dense = generate(21, 40)
  const history = grow(dense, 50)
  const comparable = dense.runs.filter((r) => refComparable(r, H100))
  for (const window of [0, 1, 2.5, 7, 500, Infinity])
    it(`of ${window} uses the newest ${window} comparable runs`, () => {
      const n = Math.min(comparable.length, Math.floor(window))
      const used = new Set(n === 0 ? [] : comparable.slice(-n).map((r) => r.sha))
      const kept: Dense = { runs: [], values: [] }
      dense.runs.forEach((r, i) => {
        if (used.has(r.sha)) {
          kept.runs.push(r)
          kept.values.push(dense.values[i]!)
        }
      })
      const view = historyView(history, H100, { window })
      expect(view.comparable).toBe(used.size)
      for (const key of KEYS)
        expect(view.series('kernels', key)).toEqual(refSeries(kept, H100, key))
    })
})

describe('the docs\' false-alarm figures (docs/history.md, "The band")', () => {
  /** Standard normal draws (Box–Muller) from the generator. */
  function normal(r: () => number): () => number {
    return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
  }

  it('a run falls outside a well-estimated band 0.27 % of the time; a head judged against its baseline at that limit, 3.4 %', () => {
    const z = normal(seededRandom(99))
    const runs = 201
    let outside = 0
    let flagged = 0
    const trials = 20_000
    // One long history (its MAD near the true σ), steady kernel of 1 ms, σ = 30 µs (3 %).
    const history = Array.from({ length: runs }, () => 1_000_000 + 30_000 * z())
    const { threshold, limit } = autoLimit(history, 1)
    expect(limit.source).toBe('history')
    const band = refBand(history)!
    for (let t = 0; t < trials; t++) {
      const base = 1_000_000 + 30_000 * z()
      const head = 1_000_000 + 30_000 * z()
      if (Math.abs(head - band.center) > band.half) outside += 1
      if ((Math.abs(head - base) / base) * 100 > threshold) flagged += 1
    }
    // 2·(1 − Φ(3)) = 0.27 %; 2·(1 − Φ(3/√2)) = 3.39 %.
    expect(outside / trials).toBeGreaterThan(0.0005)
    expect(outside / trials).toBeLessThan(0.006)
    expect(flagged / trials).toBeGreaterThan(0.022)
    expect(flagged / trials).toBeLessThan(0.048)
  })
})

describe('the streak search against its own computation, on generated series', () => {
  it('finds the same streak for every length, floor and direction', () => {
    const r = seededRandom(5)
    const z = (): number => r() - 0.5
    let drifts = 0
    for (let t = 0; t < 3000; t++) {
      const n = Math.floor(r() * 60)
      const step = Math.floor(r() * n)
      const noise = r() < 0.2 ? 0 : r() * 0.2
      const lift = [0, 0.05, 0.2, -0.3, 1][t % 5]!
      const xs = Array.from({ length: n }, (_, i) =>
        // Ties (whole values of a narrow range), zeros now and then, a step after `step`.
        r() < 0.05 ? 0 : Math.round(100 * (1 + noise * z()) * (i >= step ? 1 + lift : 1))
      )
      const threshold = [0, 1, 5, 20][t % 4]!
      for (const direction of ['lower-is-better', 'higher-is-better'] as const) {
        const mine = refDrift(xs, threshold, direction)
        const got = streak(xs, threshold, direction)
        expect(got && { runs: got.runs, reference: got.reference, worse: got.worse }).toEqual(mine)
        if (got) {
          expect(got.pct).toBeCloseTo((xs.at(-1)! / got.reference - 1) * 100, 9)
          drifts += 1
        }
      }
    }
    // The generator makes drifts, not only quiet series.
    expect(drifts).toBeGreaterThan(500)
  })

  it('checks 1,000 kernels over 500 runs in well under the time of a push (a bound, not a benchmark)', () => {
    const r = seededRandom(8)
    const fp = H100
    const runs = Array.from({ length: 500 }, (_, i) => runOf(i, fp))
    const kernels = new Map<string, Series>()
    for (let k = 0; k < 1000; k++) {
      const v = runs.map(() => Math.round(1e6 * (1 + 0.05 * (r() - 0.5))))
      kernels.set(`k${k}`, {
        name: `k${k}`,
        value: v,
        spread: v.map(() => 0),
        count: v.map(() => 1)
      })
    }
    const history: History = { runs, tables: { kernels } }
    expect(findDrifts(history, buildRules(undefined))).toEqual([])
  }, 20_000)
})
