import { InputError } from '../errors.js'
import { compareText } from '../profile/json.js'
import {
  measureOf,
  occurrencesOf,
  profilerMajor,
  TABLE_NAMES,
  TABLES,
  tableState,
  type Measure,
  type Note,
  type Profile,
  type Stat,
  type Table,
  type TableName,
  type Unit
} from '../profile/model.js'
import { scanRows } from '../profile/packed.js'
import { mergeStat } from '../profile/stat.js'
import type { GpuTimeline } from '../profile/timeline.js'
import { clip, listed, quoted } from '../text.js'
import { TOOL } from '../version.js'
import { autoLimit, bandOf, MIN_HISTORY_RUNS, type AppliedLimit } from '../history/band.js'
import type { Fingerprint } from '../history/model.js'
import type { HistoryView } from '../history/view.js'
import {
  gpuRunFacts,
  INCOMPLETE_INPUT,
  kernelFacts,
  runChecks,
  ungateTotals,
  idleWithoutRuns,
  busyWithIgnored,
  gatedMeasurement,
  type Evidence,
  type SideFacts
} from './checks.js'
import { decide, type Acceptance, type Gate } from './gate.js'
import {
  attachLaunchTests,
  decideLaunchTests,
  MIN_LAUNCHES,
  keepDiscoveries,
  type LaunchTest
} from './launches.js'
import { cutNameJoiner, familyOf } from './identity.js'
import { itemNames, resolveLimits, type Direction, type Rules, type TableRules } from './rules.js'
import {
  leastPValue,
  mannWhitney,
  median,
  minimumPValue,
  ratioInterval,
  runTTest
} from './statistics.js'
// Imported last so that the bundle keeps its module order (readable dist/ diffs).
import { withDerivedTables } from '../analyze/derived.js'

export type Status = 'regressed' | 'improved' | 'unchanged' | 'new' | 'removed'

/** One side of an item: the median run (or the one run). */
export interface SideStat extends Stat {
  /** Runs of this side that had the item (0 counts for the others). */
  runs: number
  /**
   * The number compared (TableSpec.measure): the total, or for a per-occurrence table the time
   * per occurrence; the median over runs with repeated runs.
   */
  value: number
}

export interface Significance {
  /**
   * The test over the runs: Mann–Whitney when it can reach α with these runs, else Student's t
   * (on the logarithms of the run values when all are positive; statistics.ts runTTest).
   */
  test: 'mann-whitney-u' | 'student-t'
  p: number
  significant: boolean
  /**
   * Confidence interval of the change, percent (head/base − 1): Hodges–Lehmann for Mann–Whitney,
   * the t interval of the ratio for Student's t (NaN when it tested raw values).
   */
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
  /** Head minus base of the compared value (SideStat.value), in the table's unit. */
  delta: number
  /** Percent of the base; null when the base is 0 or absent. */
  deltaPct: number | null
  /** Share of the base's (or, for new items, the head's) table total, percent. */
  sharePct: number
  /** A regression here fails the check. */
  gated: boolean
  threshold: number
  /** The absolute floor, in the table's unit. */
  floor: number
  direction: Direction
  rule?: string
  significance?: Significance
  /** Per-run totals, with repeated runs. */
  samples?: { base: number[]; head: number[] }
  /** Kernels that disappeared and the ones that replaced them, judged as one item. */
  variant?: { family: string; base: string[]; head: string[] }
  /** A gated regression that was accepted (by a label or a rules-file entry). */
  accepted?: Acceptance
  /** One run a side with a GPU trace: the launch-by-launch test (compare/launches.ts). */
  launches?: LaunchTest
  /** With `threshold: auto`: where `threshold` came from (history/band.ts). */
  limit?: AppliedLimit
  /** The item's history (comparable runs of the baseline's branch), where it had one. */
  history?: ItemHistory
}

/** An item's values over the comparable runs of the history, oldest first, and their band. */
export interface ItemHistory {
  values: number[]
  /** Runs the values come from (one value each). */
  runs: number
  /** The noise band (median ± 3·1.4826·MAD), with enough runs (history/band.ts). */
  band?: { low: number; high: number }
}

/** The history a comparison used: how many runs, which were comparable, from where. */
export interface HistoryUsed {
  /** Runs in the baseline's history. */
  total: number
  /** Runs measured like the head (same GPU model, profiler major, naming). */
  comparable: number
  fingerprint: Fingerprint
  branch?: string
}

export interface TotalDiff {
  base: number
  head: number
  delta: number
  deltaPct: number | null
  status: Status
  gated: boolean
  threshold: number
  floor: number
  direction: Direction
  samples?: { base: number[]; head: number[] }
  significance?: Significance
  accepted?: Acceptance
}

export interface TableDiff {
  table: TableName
  unit: Unit
  /** What items are compared by (TableSpec.measure); for `perOccurrence` the total is the sum of the items' per-occurrence values. */
  measure: Measure
  gated: boolean
  items: ItemDiff[]
  ignored: number
  counts: Record<Status, number>
  total: TotalDiff
  /**
   * What the floor (`minShare`) of the items and of the total is a share of, where it is not the
   * table's own base total: for `memTime`, the GPU's time, kernels and memory operations together
   * (floorShareOf).
   */
  shareOf?: number
}

export type Method =
  | { kind: 'single-run' }
  | { kind: 'mann-whitney-u'; alpha: number; minimumP: number; attainable: boolean }

export interface CompareOptions {
  /** A pull-request label that accepts every gated regression, when the pull request has it. */
  acceptLabel?: string
  /** Today, for acceptances that end (`until`). Default: now. */
  now?: Date
  /** The baseline's history: trends, and with `threshold: auto` the items' limits. */
  history?: HistoryView
}

export interface Comparison {
  gate: Gate
  runs: { base: number; head: number }
  method: Method
  tables: TableDiff[]
  /** Everything a reader should know; `error` notes are the reasons of an inconclusive verdict. */
  notes: Note[]
  /** The facts the checks judged (compare/checks.ts), kept so the verdict can be re-derived. */
  evidence: Evidence
  rules: Rules
  /** The day acceptances were checked against (YYYY-MM-DD). */
  today: string
  acceptLabel?: string
  tool: { name: string; version: string }
  meta: { base: Profile['meta']; head: Profile['meta'] }
  /**
   * The GPU timeline figures of one run a side (analyze/): of the runs that had a GPU trace, the
   * one with the median idle time (all GPUs together; the lower of the middle two for an even
   * count), so that the figures shown go the way the idle table's medians go. `baseRun` and
   * `headRun` say which run, from 1, in the order the side's runs were given.
   */
  timeline?: { base?: GpuTimeline; head?: GpuTimeline; baseRun?: number; headRun?: number }
  /** The history the comparison had (absent: none). */
  history?: HistoryUsed
}

/**
 * Compares base runs with head runs item by item, table by table, then decides the verdict
 * (compare/gate.ts) from the item statuses and the checks of comparability (compare/checks.ts).
 *
 * With one run a side, a change is called when it passes both the relative threshold and the
 * absolute floor. With several runs a side, each item's per-run totals are compared as
 * distributions: the medians give the change, a two-sided Mann–Whitney U test its significance
 * (Student's t on the logarithms when the runs are too few for Mann–Whitney to reach `alpha`),
 * and a change is called only when it is significant at `alpha` AND passes both limits.
 */
export function compareProfiles(
  baseRuns: readonly Profile[],
  headRuns: readonly Profile[],
  rules: Rules,
  options: CompareOptions = {}
): Comparison {
  // Tables derived from each run's own (categories, host side): both sides alike, same rules.
  const base = baseRuns.map((p) => withDerivedTables(p, rules))
  const head = headRuns.map((p) => withDerivedTables(p, rules))
  if (base.length === 0 || head.length === 0)
    throw new InputError('compare needs at least one base and one head run')
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
  // Every run on both sides has a GPU trace's launches: kernels can be tested launch by launch.
  const traced = [...base, ...head].every((p) => p.launches !== undefined)
  const notes: Note[] = [
    ...methodNotes(method, n, m, rules.alpha, traced),
    ...profileNotes(base, head)
  ]
  const today = (options.now ?? new Date()).toISOString().slice(0, 10)

  const tables: TableDiff[] = []
  for (const table of TABLE_NAMES) {
    const baseRuns = base.map((p) => p.tables[table]).filter((t): t is Table => t !== undefined)
    const headRuns = head.map((p) => p.tables[table]).filter((t): t is Table => t !== undefined)
    if (baseRuns.length === 0 || headRuns.length === 0) continue
    const shareOf = floorShareOf(table, tables)
    tables.push(compareTable(table, baseRuns, headRuns, rules, method, options.history, shareOf))
  }
  const kernelDiff = tables.find((t) => t.table === 'kernels')
  if (kernelDiff) attachLaunchTests(kernelDiff, base, head, method)
  notes.push(...decideLaunchTests(tables, rules.alpha))
  notes.push(...decideRunTests(tables, method))
  for (const t of tables) {
    t.counts = countStatuses(t.items)
    sortByImportance(t.items)
  }

  const evidence = gatherEvidence(base, head, tables)
  notes.push(...runChecks(evidence, rules, tables))
  notes.push(...unusedGateRules(tables, rules))
  ungateTotals(tables, notes)
  notes.push(...idleWithoutRuns(tables, method))
  notes.push(...busyWithIgnored(tables))
  notes.push(...gatedMeasurement(tables, notes))
  notes.push(...accept(tables, rules, options.acceptLabel, today))
  const comparison: Comparison = {
    gate: decide(tables, notes),
    runs: { base: n, head: m },
    method,
    tables,
    notes,
    evidence,
    rules,
    today,
    tool: TOOL,
    meta: { base: lastOf(base).meta, head: lastOf(head).meta }
  }
  if (options.acceptLabel !== undefined) comparison.acceptLabel = options.acceptLabel
  if (options.history) {
    const h = options.history
    comparison.history = { total: h.total, comparable: h.comparable, fingerprint: h.fingerprint }
    if (h.branch !== undefined) comparison.history.branch = h.branch
  }
  if (rules.auto) notes.push(autoNote(tables, options.history))
  const baseTimeline = medianTimeline(base)
  const headTimeline = medianTimeline(head)
  if (baseTimeline || headTimeline) {
    comparison.timeline = {}
    if (baseTimeline) {
      comparison.timeline.base = baseTimeline.timeline
      comparison.timeline.baseRun = baseTimeline.run
    }
    if (headTimeline) {
      comparison.timeline.head = headTimeline.timeline
      comparison.timeline.headRun = headTimeline.run
    }
  }
  return comparison
}

function methodNotes(method: Method, n: number, m: number, alpha: number, traced: boolean): Note[] {
  if (method.kind === 'single-run') {
    const runs =
      n === 1 && m === 1
        ? 'One run a side'
        : `${n} base run${n === 1 ? '' : 's'} against ${m} head run${m === 1 ? '' : 's'}`
    const judged = n === 1 && m === 1 ? 'the thresholds' : 'the medians and thresholds'
    // With GPU traces the kernels past the thresholds are also tested launch by launch
    // (launches.ts): the note must not say there is no test, nor hide what that test cannot see.
    const message = traced
      ? `${runs}: there are no repeated runs to test how runs vary. A kernel whose change passes the thresholds is tested launch by launch on the GPU trace (${MIN_LAUNCHES} launches a side or more), which cannot see that variation; everything else is judged on ${judged} alone. Use 5 or more runs a side (the action: \`repetitions: 5\`).`
      : n === 1 && m === 1
        ? 'One run a side: changes are judged on the thresholds alone, with no significance test. Use 5 or more runs a side (the action: `repetitions: 5`).'
        : `${runs}: a significance test needs several runs on both sides; changes are judged on the medians and thresholds alone.`
    return [{ code: 'no-significance-test', severity: 'warning', message }]
  }
  if (!method.attainable) {
    return [
      {
        code: 'test-powerless',
        severity: 'info',
        message: `With ${n} base and ${m} head runs the Mann–Whitney test cannot reach p < ${alpha} (the smallest possible p is ${method.minimumP.toFixed(3)}): changes beyond the limits are tested with Student's t on the logarithms of the run values instead, which assumes the runs log-normal with one spread on both sides. With ${runsForRankTest(alpha)} or more runs a side the rank test decides, assuming nothing about their distribution.`
      }
    ]
  }
  return []
}

/** The fewest runs a side with which the Mann–Whitney test can reach p < alpha. */
function runsForRankTest(alpha: number): number {
  let n = 2
  while (minimumPValue(n, n) >= alpha && n < 100) n++
  return n
}

/** The profiles' own notes (how their input was read), once each, marked with their side. */
function profileNotes(base: readonly Profile[], head: readonly Profile[]): Note[] {
  const seen = new Set<string>()
  const out: Note[] = []
  for (const [label, runs] of [
    ['base', base],
    ['head', head]
  ] as const) {
    for (const note of runs.flatMap((p) => p.meta.notes)) {
      const message = `${label}: ${note.message}`
      if (seen.has(message)) continue
      seen.add(message)
      // A profile can only warn: whether the two sides compare is for the checks to say.
      out.push({
        code: note.code,
        severity: note.severity === 'error' ? 'warning' : note.severity,
        message
      })
    }
  }
  return out
}

/** The major versions (profilerMajor) of the runs `profiler` measured whose version is known. */
function majors(runs: readonly Profile[], profiler: string): string[] {
  return [
    ...new Set(
      runs
        .filter((p) => p.meta.profiler.name === profiler)
        .map((p) => profilerMajor(p.meta.profiler))
        .filter((v): v is string => v !== undefined)
    )
  ].sort()
}

/**
 * What the checks look at: tables per run, kernel matching, launches, GPUs, the nsys and
 * rocprofv3 majors, naming.
 */
function gatherEvidence(
  base: readonly Profile[],
  head: readonly Profile[],
  tables: readonly TableDiff[]
): Evidence {
  const facts = (runs: readonly Profile[]): SideFacts => {
    const side: SideFacts = {
      tables: Object.fromEntries(
        TABLE_NAMES.map((t) => [t, runs.map((p) => tableState(p.tables[t]))])
      ) as SideFacts['tables'],
      gpus: [...new Set(runs.flatMap((p) => (p.meta.gpus ?? []).map((g) => g.name)))].sort(),
      nsys: majors(runs, 'nsys'),
      naming: [...new Set(runs.map((p) => p.meta.kernelNaming))].sort(),
      profilers: [...new Set(runs.map((p) => p.meta.profiler.name))].sort()
    }
    const models = runs.map((p) =>
      [...new Set((p.meta.gpus ?? []).map((g) => g.name))].sort().join(' + ')
    )
    if (models.some((m) => m !== '')) side.gpusByRun = models
    const incomplete = new Set<string>()
    for (const p of runs)
      for (const note of p.meta.notes)
        if (INCOMPLETE_INPUT.has(note.code))
          incomplete.add(note.table === undefined ? note.code : `${note.code}:${note.table}`)
    if (incomplete.size > 0) side.incomplete = [...incomplete].sort()
    const ranks = runs.map((p) => {
      const d = p.meta.distributed
      if (!d) return ''
      const shown = clip(d.ranks.join(', '), 200)
      return d.worldSize === undefined ? shown : `${shown} of ${d.worldSize}`
    })
    if (ranks.some((r) => r !== '')) side.ranksByRun = ranks
    return side
  }
  const rocprofv3 = { base: majors(base, 'rocprofv3'), head: majors(head, 'rocprofv3') }
  const evidence: Evidence = { base: facts(base), head: facts(head) }
  // Only where rocprofv3 recorded its version: records of other profilers stay as they were.
  for (const side of ['base', 'head'] as const)
    if (rocprofv3[side].length > 0) evidence[side].rocprofv3 = rocprofv3[side]
  for (const [side, runs] of [
    ['base', base],
    ['head', head]
  ] as const) {
    const gpu = runs.map(gpuRunFacts)
    if (gpu.some((f) => Object.keys(f).length > 0)) evidence[side].gpuRuns = gpu
  }
  const kernels = tables.find((t) => t.table === 'kernels')
  if (kernels) evidence.kernels = kernelFacts(kernels)
  return evidence
}

/**
 * The amount beside a table's own base total that its items' floor is a share of: for the
 * memory operations' time, the kernels' (already compared: TABLE_NAMES order). Copies and sets
 * share the GPU with the kernels, and a change matters against the GPU's work: a floor of a share
 * of the memory time alone is a few hundred ns where kernels dominate, under the jitter of one
 * memset (real traces, test/fixtures/torch-h200: twelve 0.8 µs memsets, one of them 1.5 µs in
 * one run, failed a comparison of the same program with itself).
 */
function floorShareOf(table: TableName, compared: readonly TableDiff[]): number | undefined {
  if (table !== 'memTime') return undefined
  return compared.find((t) => t.table === 'kernels')?.total.base
}

function compareTable(
  table: TableName,
  baseRuns: Table[],
  headRuns: Table[],
  rules: Rules,
  method: Method,
  history?: HistoryView,
  /** Added to the base total for the items' floor (floorShareOf). */
  shareOf?: number
): TableDiff {
  const { unit, measure } = TABLES[table]
  const tableRules = rules.tables[table]
  // Cut names on either side: the other side's full names join the cut items (identity.ts).
  const toHead = cutNameJoiner(headRuns)
  const toBase = cutNameJoiner(baseRuns)
  const base = baseRuns.map(toHead)
  const head = headRuns.map(toBase)

  // Ignored items leave before anything is counted: they are in no total and no variant family.
  const keys = new Set<string>()
  const ignored = new Set<string>()
  for (const t of [...base, ...head]) {
    // By key: the row (a fresh Stat from a packed table) only for a key not met before.
    for (const key of t.keys()) {
      if (keys.has(key) || (ignored.size > 0 && ignored.has(key))) continue
      const name = t.get(key)?.name ?? key
      if (resolveLimits(rules, table, [name, key]).ignored) ignored.add(key)
      else keys.add(key)
    }
  }
  // A per-occurrence table's total is the sum of its items' per-occurrence values: unlike the
  // sum of their totals it does not grow with the iterations a run makes.
  const counted = (t: Table): number => {
    let sum = 0
    scanRows(t, (key, stat) => {
      if (ignored.size === 0 || !ignored.has(key)) sum += measureOf(table, stat)
    })
    return sum
  }
  const baseTotals = base.map(counted)
  const headTotals = head.map(counted)
  const baseTotal = median(baseTotals)
  const headTotal = median(headTotals)
  const groups: Group[] = []
  const onlyBase: string[] = []
  const onlyHead: string[] = []
  for (const key of keys) {
    const inBase = base.some((t) => t.has(key))
    const inHead = head.some((t) => t.has(key))
    if (inBase && inHead) groups.push({ key, baseKeys: [key], headKeys: [key] })
    else if (inBase) onlyBase.push(key)
    else onlyHead.push(key)
  }
  groups.push(...pairVariants(table, onlyBase, onlyHead, base, head, rules))

  const items: ItemDiff[] = []
  for (const group of groups) {
    const baseSide = side(table, base, group.baseKeys)
    const headSide = side(table, head, group.headKeys)
    const name = headSide.stat?.name ?? baseSide.stat?.name ?? group.key
    const variant = group.family
      ? {
          family: group.family,
          base: group.baseKeys.map((k) => nameOf(base, k)),
          head: group.headKeys.map((k) => nameOf(head, k))
        }
      : undefined
    const limits = resolveLimits(rules, table, itemNames({ name, key: group.key, variant }))
    const floor = limits.minDelta ?? (limits.minShare / 100) * (baseTotal + (shareOf ?? 0))
    const baseValue = baseSide.stat ? baseSide.stat.value : 0
    const headValue = headSide.stat ? headSide.stat.value : 0
    const delta = headValue - baseValue
    const item: ItemDiff = {
      key: group.key,
      name,
      status: 'unchanged',
      base: baseSide.stat,
      head: headSide.stat,
      delta,
      deltaPct: baseSide.stat && baseValue > 0 ? (delta / baseValue) * 100 : null,
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
    if (variant) item.variant = variant
    const values = history ? history.series(table, group.key) : []
    if (values.length > 0) item.history = itemHistory(values)
    if (rules.auto) applyAutoLimit(item, values, limits.ruleThreshold === true)
    if (method.kind === 'mann-whitney-u' && baseSide.stat && headSide.stat)
      item.samples = { base: baseSide.samples, head: headSide.samples }
    judgeItem(item, method)
    items.push(item)
  }
  sortByImportance(items)

  const total = tableTotalDiff(
    baseTotal,
    headTotal,
    tableRules,
    measure,
    shareOf === undefined ? undefined : baseTotal + shareOf
  )
  if (method.kind === 'mann-whitney-u') total.samples = { base: baseTotals, head: headTotals }
  judgeTotal(total, method)
  const diff: TableDiff = {
    table,
    unit,
    measure,
    gated: tableRules.gate,
    items,
    ignored: ignored.size,
    counts: countStatuses(items),
    total
  }
  if (shareOf !== undefined) diff.shareOf = baseTotal + shareOf
  return diff
}

/** An item's history as the comparison keeps it: its values and their band. */
export function itemHistory(values: number[]): ItemHistory {
  const out: ItemHistory = { values, runs: values.length }
  const band = bandOf(values)
  if (band) out.band = { low: band.low, high: band.high }
  return out
}

/**
 * `threshold: auto`: the item's threshold from its history's band, the fixed one (already on
 * the item) as the floor; `limit` says which applied and why (also used to re-derive a verdict).
 */
export function applyAutoLimit(
  item: ItemDiff,
  values: readonly number[],
  ruleThreshold: boolean
): void {
  const { threshold, limit } = autoLimit(values, item.threshold, ruleThreshold)
  item.threshold = threshold
  item.limit = limit
}

/** What `threshold: auto` did, in one note: how many limits came from history, and why not the rest. */
function autoNote(tables: readonly TableDiff[], history: HistoryView | undefined): Note {
  let fromHistory = 0
  let short = 0
  let gated = 0
  for (const t of tables)
    for (const item of t.items) {
      if (!item.gated || !item.limit) continue
      gated += 1
      if (item.limit.source === 'history') fromHistory += 1
      if (item.limit.why === 'too-few-runs') short += 1
    }
  if (!history || history.comparable === 0)
    return {
      code: 'auto-threshold-no-history',
      severity: 'warning',
      message: `threshold: auto, but the baseline has no history of comparable runs${history ? ` (its ${history.total} runs were measured on another GPU, profiler version or naming)` : ''}: the fixed thresholds applied. The history grows with each push to the default branch that saves a baseline.`
    }
  return {
    code: 'auto-threshold',
    severity: 'info',
    message: `threshold: auto over up to ${history.comparable} comparable run${history.comparable === 1 ? '' : 's'} of history: ${fromHistory} of ${gated} gated item${gated === 1 ? '' : 's'} took a wider limit from their noise band; ${short} had fewer than ${MIN_HISTORY_RUNS} runs of history and kept the fixed threshold; the rest kept the fixed threshold as the floor.`
  }
}

/** Keys of each side compared as one item: one key, or a variant family's members. */
interface Group {
  key: string
  baseKeys: string[]
  headKeys: string[]
  /** Why the members were paired (a family label). */
  family?: string
}

/**
 * Kernels only on the base and kernels only on the head that fall in one family (identity.ts)
 * become one item each family: the variant changed.
 */
function pairVariants(
  table: TableName,
  onlyBase: readonly string[],
  onlyHead: readonly string[],
  base: readonly Table[],
  head: readonly Table[],
  rules: Rules
): Group[] {
  const singles = (keys: readonly string[]): Group[] =>
    keys.map((k) => ({
      key: k,
      baseKeys: base.some((t) => t.has(k)) ? [k] : [],
      headKeys: head.some((t) => t.has(k)) ? [k] : []
    }))
  if (table !== 'kernels' || onlyBase.length === 0 || onlyHead.length === 0)
    return [...singles(onlyBase), ...singles(onlyHead)]
  const families = new Map<string, { label: string; base: string[]; head: string[] }>()
  const sort = (
    keys: readonly string[],
    runs: readonly Table[],
    into: 'base' | 'head',
    rest: string[]
  ) => {
    for (const key of keys) {
      const family = familyOf(key, nameOf(runs, key), rules.families)
      if (!family) {
        rest.push(key)
        continue
      }
      const entry = families.get(family.id) ?? { label: family.label, base: [], head: [] }
      entry[into].push(key)
      families.set(family.id, entry)
    }
  }
  const rest: string[] = []
  sort(onlyBase, base, 'base', rest)
  sort(onlyHead, head, 'head', rest)
  const out: Group[] = []
  for (const [id, entry] of families) {
    if (entry.base.length > 0 && entry.head.length > 0) {
      out.push({
        key: `variant:${id}`,
        baseKeys: entry.base,
        headKeys: entry.head,
        family: entry.label
      })
    } else rest.push(...entry.base, ...entry.head)
  }
  return [...out, ...singles(rest)]
}

function nameOf(runs: readonly Table[], key: string): string {
  for (const t of runs) {
    const stat = t.get(key)
    if (stat) return stat.name
  }
  return key
}

/**
 * Sets an item's status from its numbers and limits (also used to re-derive a verdict). `family`:
 * how many items its table tests together (decideRunTests), which sets the level its test must
 * be able to reach (testSamples).
 */
export function judgeItem(item: ItemDiff, method: Method, family = 1): void {
  delete item.reason
  delete item.significance
  if (!item.base) {
    item.status = 'new'
    return
  }
  if (!item.head) {
    item.status = 'removed'
    return
  }
  const verdict = judge(
    item.delta,
    item.deltaPct,
    item.threshold,
    item.floor,
    item.direction,
    () => {
      if (method.kind !== 'mann-whitney-u' || !item.samples) return true
      item.significance = testSamples(
        item.samples.base,
        item.samples.head,
        method,
        item.delta,
        family
      )
      return item.significance.significant
    }
  )
  item.status = verdict.status
  if (verdict.reason) item.reason = verdict.reason
}

export function judgeTotal(total: TotalDiff, method: Method): void {
  delete total.significance
  const verdict = judge(
    total.delta,
    total.deltaPct,
    total.threshold,
    total.floor,
    total.direction,
    () => {
      if (method.kind !== 'mann-whitney-u' || !total.samples) return true
      total.significance = testSamples(total.samples.base, total.samples.head, method, total.delta)
      return total.significance.significant
    }
  )
  total.status = verdict.status
  if (total.base === 0 && total.head > 0) total.status = 'new'
  if (total.head === 0 && total.base > 0) total.status = 'removed'
}

/**
 * With repeated runs each item whose change passed its limits is tested (Mann–Whitney over the
 * runs, judgeItem). A table tests hundreds of kernels at once, so across the items tested in a
 * table false discoveries are controlled at α (Benjamini–Hochberg), as the launch tests of one
 * run a side are: a change significant alone that is not a discovery among them does not count
 * (`not-significant`, and its significance says `significant: false`). Also used to re-derive a
 * verdict from a comparison record (the p values come back from its samples). Returns the note
 * that says so, when some table tested two items or more.
 */
export function decideRunTests(tables: readonly TableDiff[], method: Method): Note[] {
  if (method.kind !== 'mann-whitney-u') return []
  let tested = 0
  let dropped = 0
  let switched = 0
  const underpowered: string[] = []
  for (const table of tables) {
    const items = table.items.filter((i) => i.significance !== undefined)
    if (items.length >= 2) {
      // Tested at the level the control asks of the strongest item (testSamples).
      for (const item of items) {
        const { samples, significance } = item
        if (
          significance!.test === 'mann-whitney-u' &&
          samples &&
          !rankTestReaches(samples, item.delta, method.alpha / items.length)
        ) {
          judgeItem(item, method, items.length)
          if (item.significance?.test === 'student-t') switched += 1
        }
      }
      tested += items.length
      dropped += keepDiscoveries(
        items,
        method.alpha,
        (item) => item.significance!.p,
        (item, found) => {
          // Significant alone stays as the test said; a non-discovery does not count.
          if (!found) item.significance!.significant = false
        }
      )
    }
    // A gated change past its limits that no test could confirm with the runs that have it (a
    // side where one run gave the table): not evidence of no change.
    for (const item of items) {
      const samples = item.samples
      if (!item.gated || item.status !== 'unchanged' || item.reason !== 'not-significant') continue
      if (!samples || canBeTested(samples, item.delta, method.alpha)) continue
      if (!isWorse(item.direction, item.delta)) continue
      underpowered.push(
        `${TABLES[table.table].title}: ${clip(item.name, 120)} (${runsOf(samples)})`
      )
    }
    // The same of a gated total (tested only when its change passed the limits).
    const total = table.total
    if (
      total.gated &&
      total.samples &&
      total.significance?.significant === false &&
      !canBeTested(total.samples, total.delta, method.alpha) &&
      isWorse(total.direction, total.delta)
    )
      underpowered.push(`the total of ${TABLES[table.table].title} (${runsOf(total.samples)})`)
  }
  const notes: Note[] = []
  if (tested > 0) {
    const tests =
      switched === 0
        ? method.attainable
          ? 'Mann–Whitney'
          : "Student's t"
        : `Mann–Whitney, and Student's t on the logarithms for ${switched} whose runs are too few, or too often tied, for the rank test to reach what the control asks of the strongest item`
    notes.push({
      code: 'run-tests',
      severity: 'info',
      message: `${tested} changes beyond the limits were tested over the runs (${tests}), with false discoveries among the items of each table controlled at ${method.alpha} (Benjamini–Hochberg): ${dropped === 0 ? 'every change significant alone is a discovery' : `${dropped} ${dropped === 1 ? 'change significant alone is not a discovery and does' : 'changes significant alone are not discoveries and do'} not count`}.`
    })
  }
  if (underpowered.length > 0)
    notes.push({
      code: 'test-underpowered',
      severity: 'error',
      message: `${underpowered.length} gated change${underpowered.length === 1 ? '' : 's'} past the limits cannot be tested: too few runs have ${underpowered.length === 1 ? 'its' : 'their'} table for any test to reach p < ${method.alpha} (${listed(underpowered, 5, (u) => u, '; ')}). Some runs did not give the report (see runs-without-table); rerun so that every run gives it.`
    })
  return notes
}

const runsOf = (samples: { base: number[]; head: number[] }): string =>
  `${samples.base.length} base, ${samples.head.length} head run${samples.head.length === 1 ? '' : 's'}`

/**
 * Can Mann–Whitney reach `level` with these samples, for a change of `delta` (head − base)? Not
 * only their sizes decide: values tied across the runs (a kernel missing from runs counts 0 in
 * each, call counts repeat) raise the least p the exact test can give, in the direction the change
 * went (statistics.ts leastPValue): 4 runs a side, the item missing from 5 of the 8, from
 * 2 / C(8, 4) = 0.029 to 2 · C(5, 4) / C(8, 4) = 0.14. Without ties, the bound of the sizes alone.
 */
function rankTestReaches(
  samples: { base: readonly number[]; head: readonly number[] },
  delta: number,
  level: number
): boolean {
  // Ties only raise the least p: where the sizes alone cannot reach the level, no sort is needed
  // (the large compare tests 20,000 items whose level, α / family, is far below it).
  if (minimumPValue(samples.base.length, samples.head.length) >= level) return false
  return leastPValue(samples.base, samples.head, Math.sign(delta)) < level
}

/** Can some test over the runs (Mann–Whitney, or Student's t with 2 a side) reach `alpha`? */
function canBeTested(
  samples: { base: readonly number[]; head: readonly number[] },
  delta: number,
  alpha: number
): boolean {
  return (
    rankTestReaches(samples, delta, alpha) || (samples.base.length >= 2 && samples.head.length >= 2)
  )
}

export function countStatuses(items: readonly ItemDiff[]): Record<Status, number> {
  const counts: Record<Status, number> = {
    regressed: 0,
    improved: 0,
    unchanged: 0,
    new: 0,
    removed: 0
  }
  for (const item of items) counts[item.status] += 1
  return counts
}

/** Is a change of `delta` for the worse, in this direction? */
const isWorse = (direction: Direction, delta: number): boolean =>
  direction === 'lower-is-better' ? delta > 0 : delta < 0

/** Passes both limits (and, with repeated runs, the significance test)? Then which way? */
export function judge(
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
  return { status: isWorse(direction, delta) ? 'regressed' : 'improved' }
}

/**
 * The test over the runs (docs/timeline.md "Few runs"): Mann–Whitney when it can reach the level
 * asked of it with these samples (their sizes, and their values tied across the sides:
 * rankTestReaches), else Student's t on the logarithms of the run values. The level
 * is α alone, α / family among the items a table tests together: Benjamini–Hochberg asks α / m of
 * the strongest of m items, and a rank test whose smallest possible p is above that (4 runs a
 * side: 0.029) could not confirm even a change that separates the runs completely. The samples
 * are the runs that have the table, fewer than the side's runs where some did not give it.
 *
 * A test confirms a change of `delta` (head − base, of the median runs) only when its runs moved
 * the same way: the p is the two-sided test's when they did, 1 when they moved the other way (the
 * medians can rise while most runs fell: 16 of 30 base runs at 50 and 14 at 1000, the head's 14
 * at 1 and 16 at 60, is +20 % by the medians, and the head's runs are lower).
 */
function testSamples(
  base: number[],
  head: number[],
  method: Extract<Method, { kind: 'mann-whitney-u' }>,
  delta: number,
  family = 1
): Significance {
  const alpha = method.alpha
  const way = Math.sign(delta)
  if (!rankTestReaches({ base, head }, delta, alpha / family)) {
    const t = runTTest(base, head, 1 - alpha)
    if (t) {
      const p = Math.sign(t.diff) === way ? t.p : 1
      return {
        test: 'student-t',
        p,
        significant: p < alpha,
        ciLowPct: (t.low - 1) * 100,
        ciHighPct: (t.high - 1) * 100,
        confidence: t.log ? 1 - alpha : Number.NaN
      }
    }
  }
  const test = mannWhitney(base, head)
  // U counts the pairs in which the head's run is the larger: above n·m / 2, the head is slower.
  const p = Math.sign(test.u - (base.length * head.length) / 2) === way ? test.p : 1
  const interval = ratioInterval(base, head, 1 - alpha)
  return {
    test: 'mann-whitney-u',
    p,
    significant: p < alpha,
    ciLowPct: interval ? (interval.low - 1) * 100 : Number.NaN,
    ciHighPct: interval ? (interval.high - 1) * 100 : Number.NaN,
    confidence: interval?.confidence ?? Number.NaN
  }
}

/**
 * The rules-file entries that gate (`"gate": true`) but decided no item: nothing they name was
 * compared, so the gate they ask for is not in force — a pattern that names a phase the profiler
 * did not record (`decode` in a PyTorch trace whose decode steps launch their kernels inside
 * nested ranges: docs/chrome-trace.md), a typo, or an entry shadowed by an earlier one. Said, as a
 * warning, rather than passing as if the gate held.
 */
export function unusedGateRules(tables: readonly TableDiff[], rules: Rules): Note[] {
  const notes: Note[] = []
  for (const rule of rules.rules) {
    if (rule.gate !== true || rule.ignore) continue
    const source = rule.match.source
    const applied = tables.some(
      (t) =>
        (rule.table === undefined || rule.table === t.table) &&
        t.items.some((item) => item.rule === source)
    )
    if (applied) continue
    const where = rule.table === undefined ? 'any table' : TABLES[rule.table].title
    const why =
      rule.table !== undefined && !tables.some((t) => t.table === rule.table)
        ? `neither side has ${where}`
        : `no item of ${where} matched it, or an earlier entry matched first`
    notes.push({
      code: 'rule-unused',
      severity: 'warning',
      message: `The rules file's entry that gates ${quoted(source, 120)} (${rule.table === undefined ? 'every table' : `table ${rule.table}`}) decided no item: ${why}. The gate it asks for is not in force; check the pattern against the names in the report.`
    })
  }
  return notes
}

/**
 * Accepted regressions: with the pull request's accept label every gated regression is
 * accepted; otherwise each one whose name matches an unexpired `accept` entry of the rules
 * file (in a table gated on its total only, an item that regressed is accepted for the total's
 * sake). A regressed total is accepted when the label is there, or when the total without the
 * accepted items' changes would not have regressed; for GPU busy time, without the accepted
 * kernels' and memory operations' changes too. Returns notes (expired entries).
 */
export function accept(
  tables: readonly TableDiff[],
  rules: Rules,
  label: string | undefined,
  today: string
): Note[] {
  const notes: Note[] = []
  const expired = new Set<string>()
  const acceptedIn = new Map<TableName, number>()
  for (const table of tables) {
    // GPU busy time is the kernels' and copies' time where they do not overlap: their accepted
    // regressions count toward its total's as well (both tables come before it).
    let acceptedDelta =
      table.table === 'gpuBusy'
        ? (acceptedIn.get('kernels') ?? 0) + (acceptedIn.get('memTime') ?? 0)
        : 0
    for (const item of table.items) {
      delete item.accepted
      // An item of a table gated on its total only (GPU busy and idle time) is accepted for the
      // total's sake: its change is then left out of the total's.
      if (item.status !== 'regressed' || !(item.gated || table.total.gated)) continue
      if (label !== undefined) {
        item.accepted = { by: 'label', label, reason: `the pull request has the label "${label}"` }
      } else {
        const names = itemNames(item)
        for (const rule of rules.accept) {
          if (rule.table !== undefined && rule.table !== table.table) continue
          if (!names.some((n) => rule.pattern.test(n))) continue
          if (rule.until < today) {
            expired.add(`${rule.pattern.source} (until ${rule.until})`)
            continue
          }
          item.accepted = {
            by: 'rule',
            pattern: rule.pattern.source,
            reason: rule.reason,
            until: rule.until
          }
          break
        }
      }
      if (item.accepted) acceptedDelta += item.delta
    }
    acceptedIn.set(table.table, acceptedDelta)
    const total = table.total
    delete total.accepted
    if (total.status === 'regressed' && total.gated) {
      if (label !== undefined) {
        total.accepted = { by: 'label', label, reason: `the pull request has the label "${label}"` }
      } else if (acceptedDelta !== 0) {
        const residual = total.delta - acceptedDelta
        const verdict = judge(
          residual,
          total.base > 0 ? (residual / total.base) * 100 : null,
          total.threshold,
          total.floor,
          total.direction,
          () => true
        )
        if (verdict.status !== 'regressed') {
          total.accepted = {
            by: 'rule',
            reason: 'without the accepted regressions the total stays within its limits'
          }
        }
      }
    }
  }
  for (const entry of expired) {
    notes.push({
      code: 'acceptance-expired',
      severity: 'warning',
      message: `The rules file accepted regressions matching ${entry}; that date has passed, so they count again.`
    })
  }
  return notes
}

/**
 * One side's view of an item across its runs: per-run values (totals, or per-occurrence values
 * for a per-occurrence table; 0 where a run lacks the item) and the median run's numbers.
 * Several keys (a variant family) add up run by run.
 */
function side(
  table: TableName,
  runs: readonly Table[],
  keys: readonly string[]
): { stat: SideStat | null; samples: number[] } {
  // One pass over the runs, without intermediate lists: this runs for every item of both sides.
  const perOccurrence = TABLES[table].measure === 'perOccurrence'
  const samples = new Array<number>(runs.length)
  const totals = new Array<number>(runs.length)
  const launches = new Array<number>(runs.length)
  const occurred = new Array<number>(runs.length)
  let last: Stat | undefined
  let present = 0
  let min = Infinity
  let max = -Infinity
  let truncated = false
  let shared = 0
  for (let r = 0; r < runs.length; r++) {
    const t = runs[r]!
    let total = 0
    let instances = 0
    let occurrences = 0
    let found: Stat | undefined
    for (const key of keys) {
      const stat = t.get(key)
      if (!stat) continue
      found = found ? mergeStat(found, stat) : stat
      total += stat.total
      instances += stat.instances
      occurrences += occurrencesOf(stat)
    }
    // Time over no occurrence cannot be: the readers refuse such a row (profile/json.ts
    // checkStat, the nsys parser), so 0 occurrences here is an item absent from the run.
    if (perOccurrence && occurrences === 0 && total > 0)
      throw new Error(
        `${table}: ${total} ns over 0 occurrences reached the compare (a reader let it through)`
      )
    samples[r] = perOccurrence ? (occurrences > 0 ? total / occurrences : 0) : total
    totals[r] = total
    launches[r] = instances
    occurred[r] = occurrences
    if (!found) continue
    last = found
    present += 1
    if (found.min < min) min = found.min
    if (found.max > max) max = found.max
    if (found.truncated) truncated = true
    // sharedBy counts rows that share one cut name: the members of a variant family are not that.
    if (keys.length === 1 && (found.sharedBy ?? 0) > shared) shared = found.sharedBy ?? 0
  }
  if (!last) return { stat: null, samples }
  if (runs.length === 1) return { stat: { ...last, runs: 1, value: samples[0] ?? 0 }, samples }
  const total = median(totals)
  const instances = median(launches)
  const stat: SideStat = {
    name: last.name,
    total,
    instances,
    avg: instances > 0 ? total / instances : 0,
    min,
    max,
    runs: present,
    value: median(samples)
  }
  if (perOccurrence) stat.occurrences = median(occurred)
  if (truncated) stat.truncated = true
  if (shared > 1) stat.sharedBy = shared
  return { stat, samples }
}

const ORDER: Readonly<Record<Status, number>> = {
  regressed: 0,
  improved: 1,
  new: 2,
  removed: 3,
  unchanged: 4
}

export function byImportance(a: ItemDiff, b: ItemDiff): number {
  if (a.status !== b.status) return ORDER[a.status] - ORDER[b.status]
  return weightOf(b) - weightOf(a) || compareText(a.key, b.key)
}

/** What orders items of one status: the change, or the larger value where nothing changed. */
function weightOf(item: ItemDiff): number {
  return item.status === 'regressed' || item.status === 'improved'
    ? Math.abs(item.delta)
    : Math.max(item.base?.value ?? 0, item.head?.value ?? 0)
}

/**
 * `items.sort(byImportance)`, with each item's weight worked out once and keys compared only
 * within a run of items of one status and one weight. A large table has thousands of such ties
 * (unchanged kernels of the same value), and comparing long kernel names was most of its sort.
 * Both sorts are stable, so the order is byImportance's.
 */
export function sortByImportance(items: ItemDiff[]): void {
  const weights = items.map(weightOf)
  // A NaN weight makes byImportance fall back on the keys alone: keep its order exactly.
  if (weights.some(Number.isNaN)) {
    items.sort(byImportance)
    return
  }
  const ranks = items.map((item) => ORDER[item.status])
  const order = items.map((_, i) => i)
  order.sort((a, b) => ranks[a]! - ranks[b]! || weights[b]! - weights[a]!)
  const sorted: ItemDiff[] = []
  for (let start = 0; start < order.length;) {
    const first = order[start]!
    let end = start + 1
    // One run: the same status and weight (two infinite weights differ by NaN, which the sort
    // takes for equal and byImportance for a tie: to the keys, as here).
    while (
      end < order.length &&
      ranks[order[end]!] === ranks[first] &&
      weights[order[end]!] === weights[first]
    )
      end++
    const run = order.slice(start, end).map((i) => items[i]!)
    if (run.length > 1) run.sort((a, b) => compareText(a.key, b.key))
    sorted.push(...run)
    start = end
  }
  sorted.forEach((item, i) => (items[i] = item))
}

/**
 * Of the runs with a GPU timeline, the one with the median idle time (the lower of the middle two
 * for an even count; the earlier run on a tie), and its number from 1.
 */
function medianTimeline(
  runs: readonly Profile[]
): { timeline: GpuTimeline; run: number } | undefined {
  const traced: { timeline: GpuTimeline; run: number; idle: number }[] = []
  runs.forEach((p, i) => {
    if (p.timeline)
      traced.push({
        timeline: p.timeline,
        run: i + 1,
        idle: p.timeline.devices.reduce((sum, d) => sum + d.idle, 0)
      })
  })
  traced.sort((a, b) => a.idle - b.idle || a.run - b.run)
  const pick = traced[(traced.length - 1) >> 1]
  return pick && { timeline: pick.timeline, run: pick.run }
}

function lastOf(runs: readonly Profile[]): Profile {
  const last = runs[runs.length - 1]
  if (!last) throw new InputError('compare needs at least one run a side')
  return last
}

function percentOf(value: number, total: number): number {
  return total > 0 ? (value / total) * 100 : 0
}

/**
 * A table's total, before it is judged: the limits are the table's own. A per-occurrence table's
 * total (the sum of its items' per-occurrence values, nested ranges counted in each) is shown,
 * never gated: its items are what a rule gates.
 */
export function tableTotalDiff(
  base: number,
  head: number,
  rules: TableRules,
  measure: Measure = 'total',
  /** What the floor is a share of, where not `base` (TableDiff.shareOf: the memory operations'). */
  shareOf?: number
): TotalDiff {
  return {
    base,
    head,
    delta: head - base,
    deltaPct: base > 0 ? ((head - base) / base) * 100 : null,
    status: 'unchanged',
    gated: rules.gateTotal && measure === 'total',
    threshold: rules.threshold,
    floor: rules.minDelta ?? (rules.minShare / 100) * (shareOf ?? base),
    direction: rules.direction
  }
}
