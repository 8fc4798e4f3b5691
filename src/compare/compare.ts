import { InputError } from '../errors.js'
import { compareText } from '../profile/json.js'
import {
  TABLE_LABEL,
  TABLE_NAMES,
  TABLE_UNIT,
  tableTotal,
  type Profile,
  type Stat,
  type Table,
  type TableName,
  type Unit
} from '../profile/model.js'
import { resolveLimits, type Direction, type Rules } from './rules.js'
import { mannWhitney, median, minimumPValue, ratioInterval } from './statistics.js'

export type Status = 'regressed' | 'improved' | 'unchanged' | 'new' | 'removed'

/** One side of an item: the median run (or the one run). */
export interface SideStat extends Stat {
  /** Runs of this side that had the item (0 counts for the others). */
  runs: number
}

export interface Significance {
  test: 'mann-whitney-u'
  p: number
  significant: boolean
  /** Confidence interval of the change, percent (Hodges–Lehmann, head/base − 1). */
  ciLowPct: number
  ciHighPct: number
  confidence: number
}

/** Why a change did not count. */
export type Reason = 'below-threshold' | 'below-floor' | 'not-significant'

export interface ItemDiff {
  key: string
  name: string
  status: Status
  /** For an unchanged item that did move: why it does not count. */
  reason?: Reason
  base: SideStat | null
  head: SideStat | null
  /** Head minus base, in the table's unit (medians over runs). */
  delta: number
  /** Percent of the base; null when the base is 0 or absent. */
  deltaPct: number | null
  /** Share of the base's (or, for new items, the head's) table total, percent. */
  sharePct: number
  /** A regression here fails the check. */
  gated: boolean
  threshold: number
  floor: number
  direction: Direction
  rule?: string
  significance?: Significance
  samples?: { base: number[]; head: number[] }
}

export interface TotalDiff {
  base: number
  head: number
  delta: number
  deltaPct: number | null
  status: Status
  gated: boolean
  significance?: Significance
}

export interface TableDiff {
  table: TableName
  unit: Unit
  gated: boolean
  items: ItemDiff[]
  ignored: number
  counts: Record<Status, number>
  total: TotalDiff
}

export type Method =
  | { kind: 'single-run' }
  | { kind: 'mann-whitney-u'; alpha: number; minimumP: number; attainable: boolean }

export interface Comparison {
  verdict: 'regression' | 'pass'
  runs: { base: number; head: number }
  method: Method
  tables: TableDiff[]
  notes: string[]
  meta: { base: Profile['meta']; head: Profile['meta'] }
}

/**
 * Compares base runs with head runs item by item, table by table.
 *
 * With one run a side, a change is called when it passes both the relative threshold and the
 * absolute floor. With several runs a side, each item's per-run totals are compared as
 * distributions: the medians give the change, a two-sided Mann–Whitney U test its significance,
 * and a change is called only when it is significant at `alpha` AND passes both limits.
 */
export function compareProfiles(
  base: readonly Profile[],
  head: readonly Profile[],
  rules: Rules
): Comparison {
  if (base.length === 0 || head.length === 0)
    throw new InputError('compare needs at least one base and one head run')
  const notes: string[] = []
  checkComparable(base, head, notes)
  const n = base.length
  const m = head.length
  const method: Method =
    n === 1 || m === 1
      ? { kind: 'single-run' }
      : {
          kind: 'mann-whitney-u',
          alpha: rules.alpha,
          minimumP: minimumPValue(n, m),
          attainable: minimumPValue(n, m) < rules.alpha
        }
  if (method.kind === 'single-run' && (n > 1 || m > 1)) {
    notes.push(
      `${n} base run${n === 1 ? '' : 's'} against ${m} head run${m === 1 ? '' : 's'}: a significance test needs several runs on both sides; changes are judged on the medians and thresholds alone.`
    )
  }
  if (method.kind === 'mann-whitney-u' && !method.attainable) {
    notes.push(
      `With ${n} base and ${m} head runs the Mann–Whitney test cannot reach p < ${rules.alpha} (the smallest possible p is ${method.minimumP.toFixed(3)}); changes are judged on the medians and thresholds alone. Use 4 or more runs a side.`
    )
  }

  const seen = new Set<string>()
  for (const [label, runs] of [
    ['base', base],
    ['head', head]
  ] as const) {
    for (const note of runs.flatMap((p) => p.meta.notes)) {
      const text = `${label}: ${note}`
      if (!seen.has(text)) notes.push(text)
      seen.add(text)
    }
  }

  const tables: TableDiff[] = []
  for (const table of TABLE_NAMES) {
    const baseRuns = base.map((p) => p.tables[table])
    const headRuns = head.map((p) => p.tables[table])
    const baseHas = baseRuns.filter((t) => t !== undefined).length
    const headHas = headRuns.filter((t) => t !== undefined).length
    if (baseHas === 0 && headHas === 0) continue
    if (baseHas === 0 || headHas === 0) {
      notes.push(
        `${TABLE_LABEL[table].title}: only the ${baseHas === 0 ? 'head' : 'base'} has this report, so it is not compared.`
      )
      continue
    }
    if (baseHas < baseRuns.length || headHas < headRuns.length) {
      notes.push(
        `${TABLE_LABEL[table].title}: some runs lack this report; only the runs that have it are compared.`
      )
    }
    tables.push(
      compareTable(
        table,
        baseRuns.filter((t): t is Table => t !== undefined),
        headRuns.filter((t): t is Table => t !== undefined),
        rules,
        method
      )
    )
  }
  const regressed = tables.some(
    (t) =>
      t.items.some((i) => i.gated && i.status === 'regressed') ||
      (t.total.gated && t.total.status === 'regressed')
  )
  return {
    verdict: regressed ? 'regression' : 'pass',
    runs: { base: n, head: m },
    method,
    tables,
    notes,
    meta: { base: lastOf(base).meta, head: lastOf(head).meta }
  }
}

function compareTable(
  table: TableName,
  base: Table[],
  head: Table[],
  rules: Rules,
  method: Method
): TableDiff {
  const unit = TABLE_UNIT[table]
  const tableRules = rules.tables[table]
  const baseTotals = base.map(tableTotal)
  const headTotals = head.map(tableTotal)
  const baseTotal = median(baseTotals)
  const headTotal = median(headTotals)
  const keys = new Set<string>()
  for (const t of [...base, ...head]) for (const key of t.keys()) keys.add(key)

  const items: ItemDiff[] = []
  let ignored = 0
  for (const key of keys) {
    const baseSide = side(base, key)
    const headSide = side(head, key)
    const name = headSide.stat?.name ?? baseSide.stat?.name ?? key
    const limits = resolveLimits(rules, table, name, key)
    if (limits.ignored) {
      ignored += 1
      continue
    }
    const floor = limits.minDelta ?? (limits.minShare / 100) * baseTotal
    const baseValue = baseSide.stat ? baseSide.stat.total : 0
    const headValue = headSide.stat ? headSide.stat.total : 0
    const delta = headValue - baseValue
    const deltaPct = baseSide.stat && baseValue > 0 ? (delta / baseValue) * 100 : null
    const item: ItemDiff = {
      key,
      name,
      status: 'unchanged',
      base: baseSide.stat,
      head: headSide.stat,
      delta,
      deltaPct,
      sharePct: percentOf(
        baseSide.stat ? baseValue : headValue,
        baseSide.stat ? baseTotal : headTotal
      ),
      gated: limits.gate,
      threshold: limits.threshold,
      floor,
      direction: limits.direction
    }
    if (limits.rule !== undefined) item.rule = limits.rule
    if (!baseSide.stat) item.status = 'new'
    else if (!headSide.stat) item.status = 'removed'
    else {
      if (method.kind === 'mann-whitney-u') {
        item.samples = { base: baseSide.samples, head: headSide.samples }
      }
      const verdict = judge(delta, deltaPct, limits.threshold, floor, limits.direction, () => {
        if (method.kind !== 'mann-whitney-u') return true
        const significance = testSamples(baseSide.samples, headSide.samples, method.alpha)
        item.significance = significance
        return method.attainable ? significance.significant : true
      })
      item.status = verdict.status
      if (verdict.reason) item.reason = verdict.reason
    }
    items.push(item)
  }
  items.sort(byImportance)

  const totalDelta = headTotal - baseTotal
  const totalPct = baseTotal > 0 ? (totalDelta / baseTotal) * 100 : null
  const total: TotalDiff = {
    base: baseTotal,
    head: headTotal,
    delta: totalDelta,
    deltaPct: totalPct,
    status: 'unchanged',
    gated: tableRules.gateTotal
  }
  const totalVerdict = judge(
    totalDelta,
    totalPct,
    tableRules.threshold,
    tableRules.minDelta ?? (tableRules.minShare / 100) * baseTotal,
    tableRules.direction,
    () => {
      if (method.kind !== 'mann-whitney-u') return true
      total.significance = testSamples(baseTotals, headTotals, method.alpha)
      return method.attainable ? total.significance.significant : true
    }
  )
  total.status = totalVerdict.status
  if (baseTotal === 0 && headTotal > 0) total.status = 'new'
  if (headTotal === 0 && baseTotal > 0) total.status = 'removed'

  const counts: Record<Status, number> = {
    regressed: 0,
    improved: 0,
    unchanged: 0,
    new: 0,
    removed: 0
  }
  for (const item of items) counts[item.status] += 1
  return { table, unit, gated: tableRules.gate, items, ignored, counts, total }
}

/** Passes both limits (and, with repeated runs, the significance test)? Then which way? */
function judge(
  delta: number,
  deltaPct: number | null,
  threshold: number,
  floor: number,
  direction: Direction,
  significant: () => boolean
): { status: 'regressed' | 'improved' | 'unchanged'; reason?: Reason } {
  if (delta === 0) return { status: 'unchanged' }
  if (deltaPct !== null && Math.abs(deltaPct) < threshold)
    return { status: 'unchanged', reason: 'below-threshold' }
  if (Math.abs(delta) < floor) return { status: 'unchanged', reason: 'below-floor' }
  if (!significant()) return { status: 'unchanged', reason: 'not-significant' }
  const worse = direction === 'lower-is-better' ? delta > 0 : delta < 0
  return { status: worse ? 'regressed' : 'improved' }
}

function testSamples(base: number[], head: number[], alpha: number): Significance {
  const test = mannWhitney(base, head)
  const interval = ratioInterval(base, head, 1 - alpha)
  return {
    test: 'mann-whitney-u',
    p: test.p,
    significant: test.p < alpha,
    ciLowPct: interval ? (interval.low - 1) * 100 : Number.NaN,
    ciHighPct: interval ? (interval.high - 1) * 100 : Number.NaN,
    confidence: interval?.confidence ?? Number.NaN
  }
}

/**
 * One side's view of an item across its runs: per-run totals (0 where a run lacks the item) and
 * the median run's numbers.
 */
function side(runs: Table[], key: string): { stat: SideStat | null; samples: number[] } {
  const present: Stat[] = []
  const samples = runs.map((t) => {
    const stat = t.get(key)
    if (stat) present.push(stat)
    return stat ? stat.total : 0
  })
  const last = present[present.length - 1]
  if (!last) return { stat: null, samples }
  if (runs.length === 1) return { stat: { ...last, runs: 1 }, samples }
  const total = median(samples)
  const instances = median(runs.map((t) => t.get(key)?.instances ?? 0))
  return {
    stat: {
      name: last.name,
      total,
      instances,
      avg: instances > 0 ? total / instances : 0,
      min: Math.min(...present.map((s) => s.min)),
      max: Math.max(...present.map((s) => s.max)),
      runs: present.length,
      ...(present.some((s) => s.truncated) ? { truncated: true } : {})
    },
    samples
  }
}

const ORDER: Readonly<Record<Status, number>> = {
  regressed: 0,
  improved: 1,
  new: 2,
  removed: 3,
  unchanged: 4
}

function byImportance(a: ItemDiff, b: ItemDiff): number {
  if (a.status !== b.status) return ORDER[a.status] - ORDER[b.status]
  const weight = (i: ItemDiff): number =>
    i.status === 'regressed' || i.status === 'improved'
      ? Math.abs(i.delta)
      : Math.max(i.base?.total ?? 0, i.head?.total ?? 0)
  return weight(b) - weight(a) || compareText(a.key, b.key)
}

function lastOf(runs: readonly Profile[]): Profile {
  const last = runs[runs.length - 1]
  if (!last) throw new InputError('compare needs at least one run a side')
  return last
}

function percentOf(value: number, total: number): number {
  return total > 0 ? (value / total) * 100 : 0
}

/** Refuses comparisons that are meaningless, and notes the ones that are doubtful. */
function checkComparable(
  base: readonly Profile[],
  head: readonly Profile[],
  notes: string[]
): void {
  const namings = new Set([...base, ...head].map((p) => p.meta.kernelNaming))
  if (namings.size > 1) {
    throw new InputError(
      `the runs name kernels differently (${[...namings].join(' vs ')}: nsys cuda_gpu_kern_sum variants); compare profiles made with the same report variant`
    )
  }
  const gpuNames = (runs: readonly Profile[]): string =>
    [...new Set(runs.flatMap((p) => (p.meta.gpus ?? []).map((g) => g.name)))].sort().join(', ')
  const baseGpus = gpuNames(base)
  const headGpus = gpuNames(head)
  if (baseGpus && headGpus && baseGpus !== headGpus) {
    notes.push(
      `Different GPUs: base ran on ${baseGpus}, head on ${headGpus}; timings are not comparable.`
    )
  }
  const major = (runs: readonly Profile[]): string =>
    [...new Set(runs.map((p) => p.meta.profiler.version?.split('.')[0]).filter(Boolean))].join(', ')
  const baseMajor = major(base)
  const headMajor = major(head)
  if (baseMajor && headMajor && baseMajor !== headMajor) {
    notes.push(`Different Nsight Systems versions: base ${baseMajor}, head ${headMajor}.`)
  }
  const truncated = [...base, ...head].some((p) =>
    Object.values(p.tables).some((t) => [...(t?.values() ?? [])].some((s) => s.truncated))
  )
  if (truncated) {
    notes.push(
      'Some names were cut to 100 characters by nsys column output (ending in "…"); such names may not match between runs. Use `nsys stats --format csv`.'
    )
  }
}
