import type { ItemDiff, Status, TableDiff } from '../../compare/compare.js'
import type { Profile, Unit } from '../../profile/model.js'
import { bucketBounds, bucketOf, DurationSketch } from '../../profile/sketch.js'
import { visible } from '../../text.js'
import { formatCount, formatDuration, formatP, formatPercent, formatValue } from '../format.js'

/**
 * A kernel's details in the HTML report (docs/html-report.md), drawn by the script when its row is
 * expanded, and the launch distribution inline for regressed and improved kernels:
 *
 * - `l`: the distributions of the launch durations of base and head (the per-launch sketches of
 *   the runs, src/profile/sketch.ts, pooled over each side's runs), binned for a histogram, with
 *   p50/p90/p99;
 * - `lt`: the launch test's result (compare/launches.ts), where the kernel was tested;
 * - `sh`: the kernel's launch shapes (`kernelShapes`), base vs head;
 * - `tr`: the item's trend over the baseline's history (docs/history.md), with its noise band
 *   and this head's value (any table's item that has a history, not only kernels).
 */
export interface DetailData {
  l?: DistData
  lt?: string
  sh?: ShapeData[]
  tr?: TrendData
}

/**
 * An item's values over the comparable runs of the history, oldest first, then the head's: the
 * script draws them as a line (the history) and a marked point (the head), over the noise band.
 * Positions are fractions of the value axis, 0 at the bottom (`lo`) and 1 at the top (`hi`).
 */
export interface TrendData {
  /** The history runs' values as positions, oldest first. */
  v: number[]
  /** The head's value as a position (above 1 or below 0 is clipped by the script to the edge). */
  h: number
  /** The noise band's low and high as positions, with enough history runs. */
  b?: [number, number]
  /** The axis' ends, formatted. */
  lo: string
  hi: string
  /** What the chart shows, in words (its title, and the line under it). */
  t: string
}

/**
 * The trend of an item with a history (ItemDiff.history); undefined without one. The axis spans
 * the history's values, the band and the head's value, with a twentieth of the span as margin.
 */
export function trendData(item: ItemDiff, unit: Unit): TrendData | undefined {
  const history = item.history
  const head = item.head?.value
  if (!history || history.values.length === 0 || head === undefined) return undefined
  const all = [...history.values, head]
  if (history.band) all.push(history.band.low, history.band.high)
  let lo = Math.min(...all)
  let hi = Math.max(...all)
  const margin = (hi - lo) / 20 || Math.abs(hi) / 20 || 1
  lo = Math.max(0, lo - margin)
  hi += margin
  const at = (value: number): number => round4((value - lo) / (hi - lo))
  const f = (value: number): string => formatValue(unit, value)
  const n = history.values.length
  const band = history.band
  const out: TrendData = {
    v: history.values.map(at),
    h: at(head),
    lo: f(lo),
    hi: f(hi),
    t: `The last ${n} comparable run${n === 1 ? '' : 's'} of the baseline's history: ${f(Math.min(...history.values))} to ${f(Math.max(...history.values))}${band ? `; noise band ${f(band.low)} to ${f(band.high)}` : ' (too few runs for a noise band)'}; this head: ${f(head)}.`
  }
  if (band) out.b = [at(band.low), at(band.high)]
  return out
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000
}

/**
 * A histogram of launch durations, base and head on one axis. The axis is the sketch's own: each
 * bar is the same number of adjacent sketch buckets (a bucket spans 0.4–0.8 % of its value, so
 * the axis is close to logarithmic, linear within an octave). Positions are fractions of the axis.
 */
export interface DistData {
  /** Launches per bar, base; null when that side has no launch sketch (no GPU trace). */
  b: number[] | null
  h: number[] | null
  /** Axis ticks: position in [0, 1] and label. */
  t: [number, string][]
  /** Each side's p50 as a position in [0, 1]. */
  m: [number | null, number | null]
  /**
   * Rows of the quantile table: label, base, head, change (launches, p50, p90, p99). The script
   * writes the chart's title from them and the axis' ends.
   */
  q: string[][]
}

/** One launch shape of a kernel: the shape as written, status, cells (base, head, Δ %, launches). */
export interface ShapeData {
  n: string
  s: number
  t: string
  c: string[]
}

/** The most bars a histogram has. */
const MAX_BARS = 40
const QUANTILES = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p99', 0.99]
] as const

/** The launch sketches of each side, pooled over its runs; undefined where a run has no trace. */
export interface LaunchSides {
  base: Map<string, DurationSketch> | undefined
  head: Map<string, DurationSketch> | undefined
}

export function launchSides(runs: {
  base: readonly Profile[]
  head: readonly Profile[]
}): LaunchSides {
  return { base: pooledLaunches(runs.base), head: pooledLaunches(runs.head) }
}

/** Every kernel's sketch over the runs (keys: canonical kernel keys); undefined if a run lacks one. */
function pooledLaunches(runs: readonly Profile[]): Map<string, DurationSketch> | undefined {
  if (runs.length === 0 || runs.some((r) => !r.launches)) return undefined
  const out = new Map<string, DurationSketch>()
  // One run: its sketches as they are (read only here).
  if (runs.length === 1) {
    for (const [key, entry] of runs[0]!.launches!) out.set(key, entry.sketch)
    return out
  }
  for (const run of runs)
    for (const [key, entry] of run.launches!) {
      let sketch = out.get(key)
      if (!sketch) out.set(key, (sketch = new DurationSketch()))
      sketch.merge(entry.sketch)
    }
  return out
}

/** Shape rows of the `kernelShapes` table by kernel key (the key before ` [grid `). */
export function shapesByKernel(
  shapes: TableDiff | undefined,
  statusOf: (status: Status) => number
): Map<string, ShapeData[]> {
  const out = new Map<string, ShapeData[]>()
  if (!shapes) return out
  for (const item of shapes.items) {
    const at = item.key.lastIndexOf(' [grid ')
    if (at < 0) continue
    const kernel = item.key.slice(0, at)
    const b = item.base?.value
    const h = item.head?.value
    const row: ShapeData = {
      n: visible(item.key.slice(at + 1)),
      s: statusOf(item.status),
      t: item.status,
      c: [
        b === undefined ? '—' : formatValue('ns', b),
        h === undefined ? '—' : formatValue('ns', h),
        formatPercent(item.deltaPct),
        launchesText(item.base?.instances, item.head?.instances)
      ]
    }
    const list = out.get(kernel)
    if (list) list.push(row)
    else out.set(kernel, [row])
  }
  return out
}

function launchesText(base: number | undefined, head: number | undefined): string {
  if (base === undefined || head === undefined) return formatCount(base ?? head ?? 0)
  return base === head ? formatCount(base) : `${formatCount(base)} → ${formatCount(head)}`
}

/** A kernel's details, or undefined when there is nothing to show beyond its row. */
export function detailData(
  item: ItemDiff,
  launches: LaunchSides,
  shapes: Map<string, ShapeData[]>,
  unit: Unit
): DetailData | undefined {
  const out: DetailData = {}
  const tr = trendData(item, unit)
  if (tr) out.tr = tr
  if (!item.variant) {
    const l = distData(launches.base?.get(item.key), launches.head?.get(item.key), launches)
    if (l) out.l = l
    const sh = shapes.get(item.key)
    if (sh) out.sh = sh
  }
  if (item.launches) {
    const t = item.launches
    const decided =
      t.significant === undefined
        ? ''
        : t.significant
          ? ', a discovery after the Benjamini–Hochberg correction over the kernels tested'
          : t.byCount
            ? ', not a discovery after the Benjamini–Hochberg correction over the kernels tested, but the launch count alone passes the limits: the change counts'
            : ', not a discovery after the Benjamini–Hochberg correction over the kernels tested: the change does not count'
    const how = t.paired
      ? 'signed-rank test on the launches paired by order, the k-th against the k-th'
      : 'rank test on the launch durations'
    out.lt = `Launch test (${how}, ${formatCount(t.base.launches)} → ${formatCount(t.head.launches)} launches): p ${t.p < 0.001 ? '< 0.001' : `= ${formatP(t.p)}`}${decided}.`
  }
  return out.l || out.sh || out.lt || out.tr ? out : undefined
}

/**
 * The histogram of a kernel's launches. Bars are runs of `width` adjacent sketch buckets from the
 * lowest bucket of either side to the highest, at most MAX_BARS of them, so that a bar never
 * splits a bucket (no comb from binning).
 */
export function distData(
  base: DurationSketch | undefined,
  head: DurationSketch | undefined,
  sides: LaunchSides
): DistData | undefined {
  const present = [base, head].filter((s): s is DurationSketch => s !== undefined && s.count > 0)
  if (present.length === 0) return undefined
  const lists = [base, head].map((s) => (s ? s.toArray() : []))
  let low = Infinity
  let high = -Infinity
  for (const list of lists)
    if (list.length > 0) {
      low = Math.min(low, list[0]!)
      high = Math.max(high, list[list.length - 2]!)
    }
  const span = high - low + 1
  const width = Math.max(1, Math.ceil(span / MAX_BARS))
  // One bar of margin each side where the axis allows it.
  const start = Math.max(0, low - width)
  const bars = Math.ceil((high + 1 + width - start) / width)
  const end = start + bars * width
  const counts = (list: number[], has: boolean): number[] | null => {
    if (!has) return null
    const out = new Array<number>(bars).fill(0)
    for (let i = 0; i + 1 < list.length; i += 2)
      out[Math.floor((list[i]! - start) / width)]! += list[i + 1]!
    return out
  }
  const position = (value: number): number => {
    const v = Math.max(0, Math.round(value))
    const index = bucketOf(v)
    const [lo, hi] = bucketBounds(index)
    const at = (index - start + (v - lo) / (hi - lo)) / (end - start)
    // Four decimals: a tenth of a pixel on the widest chart, and a shorter report.
    return Math.round(Math.min(1, Math.max(0, at)) * 1e4) / 1e4
  }
  const lo = bucketBounds(start)[0]
  const hi = bucketBounds(end - 1)[1]
  const ticks: [number, string][] = [[0, formatDuration(lo)]]
  for (const v of middleTicks(lo, hi)) ticks.push([position(v), formatDuration(v)])
  ticks.push([1, formatDuration(hi)])
  const levels = QUANTILES.map(([, p]) => p)
  const quantiles = (s: DurationSketch | undefined): (number | undefined)[] =>
    s && s.count > 0 ? s.quantiles(levels) : levels.map(() => undefined)
  const bq = quantiles(base)
  const hq = quantiles(head)
  const q: string[][] = [
    ['launches', launchCount(base, sides.base), launchCount(head, sides.head), '']
  ]
  for (const [k, [label]] of QUANTILES.entries()) {
    const b = bq[k]
    const h = hq[k]
    q.push([
      label,
      b === undefined ? '—' : formatDuration(b),
      h === undefined ? '—' : formatDuration(h),
      b !== undefined && h !== undefined && b > 0 ? formatPercent((h / b - 1) * 100) : ''
    ])
  }
  const b50 = bq[0]
  const h50 = hq[0]
  return {
    b: counts(lists[0]!, sides.base !== undefined),
    h: counts(lists[1]!, sides.head !== undefined),
    t: ticks,
    m: [b50 === undefined ? null : position(b50), h50 === undefined ? null : position(h50)],
    q
  }
}

function launchCount(
  sketch: DurationSketch | undefined,
  side: Map<string, DurationSketch> | undefined
): string {
  if (!side) return 'no trace'
  return formatCount(sketch?.count ?? 0)
}

/**
 * Up to three round values strictly inside (lo, hi), away from the ends: 1-2-5 steps of a tenth
 * of the range where the range is narrow (the axis is nearly linear there), 1-2-5 decades where
 * it spans more than a factor of four.
 */
export function middleTicks(lo: number, hi: number): number[] {
  if (!(hi > lo) || lo < 0) return []
  const inside = (v: number): boolean => v > lo + (hi - lo) * 0.12 && v < hi - (hi - lo) * 0.12
  let values: number[] = []
  if (lo > 0 && hi / lo > 4) {
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e
        if (v > lo && v < hi) values.push(v)
      }
    values = values.filter((v) => v > lo * 1.3 && v < hi / 1.3)
  } else {
    const rough = (hi - lo) / 4
    const power = 10 ** Math.floor(Math.log10(rough))
    const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power
    for (let v = Math.ceil(lo / step) * step; v < hi; v += step) if (inside(v)) values.push(v)
  }
  if (values.length <= 3) return values
  const every = Math.ceil(values.length / 3)
  return values.filter((_, i) => i % every === 0)
}
