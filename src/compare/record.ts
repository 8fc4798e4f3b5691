import { decideLaunchTests, type LaunchSide, type LaunchTest } from './launches.js'
import { InputError } from '../errors.js'
import { writeStatFields } from '../profile/json.js'
import {
  canonicalKey,
  isTableName,
  TABLES,
  type Note,
  type Measure,
  type TableName,
  type Unit
} from '../profile/model.js'
import {
  kernelFacts,
  runChecks,
  ungateTotals,
  idleWithoutRuns,
  busyWithIgnored,
  gatedMeasurement,
  type Evidence,
  type GpuRunFacts,
  type SideFacts,
  type TableStateName
} from './checks.js'
import {
  accept,
  applyAutoLimit,
  countStatuses,
  itemHistory,
  decideRunTests,
  judgeItem,
  judgeTotal,
  tableTotalDiff,
  type Comparison,
  type ItemDiff,
  type Method,
  type SideStat,
  type TableDiff,
  type TotalDiff
} from './compare.js'
import { decide, VERDICTS, type Gate, type Verdict } from './gate.js'
import { buildRules, isDate, itemNames, resolveLimits, type Rules } from './rules.js'
import { minimumPValue } from './statistics.js'

/**
 * The comparison record (`compare --format json`, the action's comparison.json), documented in
 * docs/comparison-format.md. It holds every input of the verdict — the rules (inline, in the
 * rules-file format), the runs and method, the day acceptances were checked against, each item's
 * numbers and per-run samples, and the facts the checks judged — so that `nsys-bench verdict`
 * re-derives the verdict from the record alone, without the profiles.
 */
export const RECORD_KIND = 'nsys-bench/comparison'
export const RECORD_VERSION = 1

const SUFFIX: Readonly<Record<Unit, string>> = { ns: 'Ns', bytes: 'Bytes', calls: 'Calls' }

/** An item's fields named by unit (`deltaNs`, …), named once. */
const ITEM_FIELDS: Readonly<
  Record<Unit, { readonly delta: string; readonly floor: string; readonly perOccurrence: string }>
> = {
  ns: { delta: 'deltaNs', floor: 'floorNs', perOccurrence: 'perOccurrenceNs' },
  bytes: { delta: 'deltaBytes', floor: 'floorBytes', perOccurrence: 'perOccurrenceBytes' },
  calls: { delta: 'deltaCalls', floor: 'floorCalls', perOccurrence: 'perOccurrenceCalls' }
}

/**
 * The record as one object: what recordJson writes, whole. The writers use recordJson (a large
 * record is never held at once); this is for readers in the same process and for the tests,
 * which hold recordJson's pieces to JSON.stringify of it.
 */
export function comparisonToRecord(comparison: Comparison): Record<string, unknown> {
  return recordOf(comparison, true)
}

/**
 * The record as JSON text, in pieces: what `JSON.stringify(comparisonToRecord(comparison))`
 * gives, without building it whole. A comparison of 20,000 kernels × 10 runs is a 20 MB record:
 * whole, it is an object per item, a 20 MB string (held two bytes a character as soon as one
 * character is beyond Latin-1, as `–` in a note is) and a 20 MB buffer to write it. In pieces each
 * item's object dies young, each piece of about PIECE characters keeps the representation of its
 * own characters, and the writer encodes one piece at a time.
 */
export function* recordJson(comparison: Comparison): Generator<string> {
  const record = recordOf(comparison, false)
  let separator = '{'
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue
    if (key !== 'tables') {
      yield `${separator}${JSON.stringify(key)}:${JSON.stringify(value)}`
      separator = ','
      continue
    }
    yield `${separator}"tables":`
    separator = ','
    let tableSeparator = '{'
    for (const table of comparison.tables) {
      const head = JSON.stringify((value as Record<string, unknown>)[table.table])
      // The table without its items ends `"items":[]}`: the items go between the brackets.
      let piece = `${tableSeparator}${JSON.stringify(table.table)}:${head.slice(0, -2)}`
      tableSeparator = ','
      let itemSeparator = ''
      for (const item of table.items) {
        piece += itemSeparator + JSON.stringify(itemRecord(item, table.table, table.unit))
        itemSeparator = ','
        if (piece.length >= PIECE) {
          yield piece
          piece = ''
        }
      }
      yield `${piece}]}`
    }
    yield tableSeparator === '{' ? '{}' : '}'
  }
  yield '}'
}

/** The record file's text in pieces: recordJson and a newline (compare --format json, comparison.json). */
export function* recordText(comparison: Comparison): Generator<string> {
  yield* recordJson(comparison)
  yield '\n'
}

/** About how many characters recordJson puts in a piece. */
const PIECE = 1 << 18

function recordOf(comparison: Comparison, items: boolean): Record<string, unknown> {
  const tables: Record<string, unknown> = {}
  for (const table of comparison.tables) {
    tables[table.table] = {
      unit: table.unit,
      gated: table.gated,
      ignored: table.ignored,
      counts: table.counts,
      total: totalRecord(table.total, table.unit),
      ...(table.shareOf === undefined
        ? {}
        : { [`shareOf${SUFFIX[table.unit]}`]: round(table.shareOf) }),
      items: items ? table.items.map((item) => itemRecord(item, table.table, table.unit)) : []
    }
  }
  const out: Record<string, unknown> = {
    kind: RECORD_KIND,
    schemaVersion: RECORD_VERSION,
    tool: comparison.tool,
    verdict: comparison.gate.verdict,
    reasons: comparison.gate.reasons,
    counts: comparison.gate.counts,
    runs: comparison.runs,
    method: comparison.method,
    today: comparison.today,
    rules: rulesToFile(comparison.rules),
    evidence: comparison.evidence,
    base: comparison.meta.base,
    head: comparison.meta.head,
    tables,
    notes: comparison.notes
  }
  if (comparison.acceptLabel !== undefined) out.acceptLabel = comparison.acceptLabel
  if (comparison.timeline) out.timeline = comparison.timeline
  if (comparison.history) out.history = comparison.history
  return out
}

/** Rules in the rules-file format, every table spelled out: buildRules() reads them back. */
export function rulesToFile(rules: Rules): Record<string, unknown> {
  const tables: Record<string, unknown> = {}
  for (const [name, t] of Object.entries(rules.tables)) {
    const entry: Record<string, unknown> = {
      threshold: t.threshold,
      minShare: t.minShare,
      direction: t.direction,
      gate: t.gate,
      gateTotal: t.gateTotal
    }
    if (t.minDelta !== undefined) entry.minDelta = t.minDelta
    tables[name] = entry
  }
  return {
    alpha: rules.alpha,
    // Auto: each table's threshold below is the floor of its items' auto limits.
    ...(rules.auto ? { threshold: 'auto' } : {}),
    ignore: rules.ignore.map((p) => p.source),
    tables,
    rules: rules.rules.map((r) => {
      const { match, ...limits } = r
      return { ...limits, match: match.source }
    }),
    checks: rules.checks,
    accept: rules.accept.map((a) => ({ ...a, pattern: a.pattern.source })),
    families: rules.families.map((f) => ({ match: f.match.source, family: f.family })),
    categories: rules.categories.map((c) => ({ match: c.match.source, category: c.category }))
  }
}

/**
 * One side of an item; its name only when it differs from the item's (each name once). A
 * per-occurrence table's side also has the value it was compared by (`perOccurrenceNs`).
 */
function sideRecord(
  stat: SideStat | null,
  table: TableName,
  unit: Unit,
  name: string
): Record<string, unknown> | null {
  if (!stat) return null
  // encodeStat's fields, the name only where it is not the item's.
  const out: Record<string, unknown> = stat.name === name ? {} : { name: stat.name }
  writeStatFields(out, stat, unit)
  if (TABLES[table].measure === 'perOccurrence')
    out[ITEM_FIELDS[unit].perOccurrence] = round(stat.value)
  out.runs = stat.runs
  return out
}

function itemRecord(item: ItemDiff, table: TableName, unit: Unit): Record<string, unknown> {
  const s = SUFFIX[unit]
  const fields = ITEM_FIELDS[unit]
  const out: Record<string, unknown> = { name: item.name }
  // The key only when it cannot be derived from the name (cut groups, changed variants).
  if (item.key !== canonicalKey(table, item.name)) out.key = item.key
  out.status = item.status
  out.base = sideRecord(item.base, table, unit, item.name)
  out.head = sideRecord(item.head, table, unit, item.name)
  out[fields.delta] = round(item.delta)
  out.deltaPct = item.deltaPct === null ? null : round(item.deltaPct)
  out.sharePct = round(item.sharePct)
  out.gated = item.gated
  out.threshold = item.threshold
  out[fields.floor] = round(item.floor)
  out.direction = item.direction
  if (item.reason !== undefined) out.reason = item.reason
  if (item.rule !== undefined) out.rule = item.rule
  if (item.variant) out.variant = item.variant
  if (item.accepted) out.accepted = item.accepted
  if (item.significance) out.significance = significanceRecord(item.significance)
  if (item.samples) out.samples = item.samples
  if (item.launches) out.launches = item.launches
  if (item.limit) out.limit = item.limit
  if (item.history) {
    const h: Record<string, unknown> = {
      values: item.history.values.map((v) => round(v)),
      runs: item.history.runs
    }
    if (item.history.band)
      h[`band${s}`] = { low: round(item.history.band.low), high: round(item.history.band.high) }
    out.history = h
  }
  return out
}

function totalRecord(total: TotalDiff, unit: Unit): Record<string, unknown> {
  const s = SUFFIX[unit]
  const out: Record<string, unknown> = {
    [`base${s}`]: round(total.base),
    [`head${s}`]: round(total.head),
    [`delta${s}`]: round(total.delta),
    deltaPct: total.deltaPct === null ? null : round(total.deltaPct),
    status: total.status,
    gated: total.gated,
    threshold: total.threshold,
    [`floor${s}`]: round(total.floor),
    direction: total.direction
  }
  if (total.samples) out.samples = total.samples
  if (total.significance) out.significance = significanceRecord(total.significance)
  if (total.accepted) out.accepted = total.accepted
  return out
}

function significanceRecord(s: NonNullable<ItemDiff['significance']>): Record<string, unknown> {
  return {
    ...s,
    p: round(s.p, 6),
    ciLowPct: Number.isFinite(s.ciLowPct) ? round(s.ciLowPct) : null,
    ciHighPct: Number.isFinite(s.ciHighPct) ? round(s.ciHighPct) : null,
    confidence: Number.isFinite(s.confidence) ? round(s.confidence, 6) : null
  }
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

// ---- reading a record back: `nsys-bench verdict` --------------------------------------------

export interface Rederived {
  /** The verdict the record states. */
  recorded: Verdict
  /** The verdict its inputs give, re-derived here. */
  gate: Gate
  notes: Note[]
}

/**
 * Re-derives the verdict of a comparison record from its inputs: the rules, the names and
 * numbers of each item, the per-run samples, the checks' facts, the day and the label. Nothing
 * the record says about statuses, limits or matching is trusted. Untrusted input: checked.
 */
export function rederiveVerdict(value: unknown, source: string): Rederived {
  const fail = (message: string): InputError =>
    new InputError(`not a valid nsys-bench comparison record: ${message}`, { file: source })
  if (!isObject(value) || value.kind !== RECORD_KIND)
    throw fail(`"kind" must be "${RECORD_KIND}" (a file written by \`compare --format json\`)`)
  const version = value.schemaVersion
  // A later record is a newer nsys-bench's, as a profile of a later schemaVersion is (profile/json.ts).
  if (typeof version === 'number' && Number.isInteger(version) && version > RECORD_VERSION)
    throw new InputError(
      `this comparison record has schemaVersion ${version}, written by a newer nsys-bench; this one reads ${RECORD_VERSION}. Upgrade nsys-bench.`,
      { file: source }
    )
  if (version !== RECORD_VERSION)
    throw fail(
      `"schemaVersion" ${String(value.schemaVersion)} is not one this nsys-bench reads (${RECORD_VERSION})`
    )
  if (!VERDICTS.includes(value.verdict as Verdict)) throw fail('"verdict" is not a verdict')
  const rules = buildRules(value.rules, {}, `${source}: "rules"`)
  const runs = value.runs
  if (
    !isObject(runs) ||
    !isCount(runs.base) ||
    !isCount(runs.head) ||
    runs.base < 1 ||
    runs.head < 1
  )
    throw fail('"runs" must have whole numbers "base" and "head"')
  const method: Method =
    runs.base === 1 || runs.head === 1
      ? { kind: 'single-run' }
      : {
          kind: 'mann-whitney-u',
          alpha: rules.alpha,
          minimumP: minimumPValue(runs.base, runs.head),
          attainable: minimumPValue(runs.base, runs.head) < rules.alpha
        }
  const today = value.today
  if (typeof today !== 'string' || !isDate(today)) throw fail('"today" must be YYYY-MM-DD')
  const label = value.acceptLabel
  if (label !== undefined && typeof label !== 'string') throw fail('"acceptLabel" must be a string')
  if (!isObject(value.tables)) throw fail('"tables" must be an object')
  const tables: TableDiff[] = []
  for (const [name, t] of Object.entries(value.tables)) {
    if (!isTableName(name)) continue
    tables.push(readTable(name, t, rules, method, runs.base, runs.head, fail))
  }
  const launchNotes = [...decideLaunchTests(tables, rules.alpha), ...decideRunTests(tables, method)]
  for (const t of tables) t.counts = countStatuses(t.items)
  const evidence = readEvidence(value.evidence, tables, fail)
  const checked = [...launchNotes, ...runChecks(evidence, rules, tables)]
  ungateTotals(tables, checked)
  checked.push(...idleWithoutRuns(tables, method))
  checked.push(...busyWithIgnored(tables))
  checked.push(...gatedMeasurement(tables, checked))
  const notes = [...checked, ...accept(tables, rules, label, today)]
  return { recorded: value.verdict as Verdict, gate: decide(tables, notes), notes }
}

type Fail = (message: string) => InputError

function readTable(
  table: TableName,
  value: unknown,
  rules: Rules,
  method: Method,
  baseRuns: number,
  headRuns: number,
  fail: Fail
): TableDiff {
  const where = `tables.${table}`
  if (!isObject(value) || !Array.isArray(value.items))
    throw fail(`"${where}.items" must be an array`)
  const { unit, measure } = TABLES[table]
  const s = SUFFIX[unit]
  const items = value.items.map((raw: unknown, i) => {
    const at = `${where}.items[${i}]`
    if (!isObject(raw) || typeof raw.name !== 'string') throw fail(`"${at}.name" must be a string`)
    const key = raw.key === undefined ? canonicalKey(table, raw.name) : raw.key
    if (typeof key !== 'string') throw fail(`"${at}.key" must be a string`)
    const base = readSide(raw.base, s, measure, raw.name, `${at}.base`, fail)
    const head = readSide(raw.head, s, measure, raw.name, `${at}.head`, fail)
    let variant: ItemDiff['variant']
    if (isObject(raw.variant)) {
      const v = raw.variant
      if (typeof v.family !== 'string' || !isStrings(v.base) || !isStrings(v.head))
        throw fail(`"${at}.variant" must have "family", "base" and "head"`)
      variant = { family: v.family, base: v.base, head: v.head }
    }
    const limits = resolveLimits(rules, table, itemNames({ name: raw.name, key, variant }))
    const baseValue = base?.value ?? 0
    const delta = (head?.value ?? 0) - baseValue
    const item: ItemDiff = {
      key,
      name: raw.name,
      status: 'unchanged',
      base,
      head,
      delta,
      deltaPct: base && baseValue > 0 ? (delta / baseValue) * 100 : null,
      sharePct: 0,
      gated: limits.gate,
      threshold: limits.threshold,
      floor: 0,
      direction: limits.direction
    }
    if (variant) item.variant = variant
    // The history's values are an input of an auto limit: read, and the limit re-derived.
    const values = raw.history === undefined ? [] : readHistory(raw.history, `${at}.history`, fail)
    if (values.length > 0) item.history = itemHistory(values)
    if (rules.auto) applyAutoLimit(item, values, limits.ruleThreshold === true)
    if (raw.launches !== undefined)
      item.launches = readLaunches(raw.launches, `${at}.launches`, fail)
    if (raw.samples !== undefined) {
      item.samples = readSamples(raw.samples, baseRuns, headRuns, `${at}.samples`, fail)
    } else if (method.kind === 'mann-whitney-u' && base && head) {
      throw fail(`"${at}.samples" is missing: with repeated runs every compared item has them`)
    }
    return { item, minDelta: limits.minDelta, minShare: limits.minShare }
  })
  if (!isObject(value.total)) throw fail(`"${where}.total" must be an object`)
  const baseTotal = number(value.total[`base${s}`], `${where}.total.base${s}`, fail)
  const headTotal = number(value.total[`head${s}`], `${where}.total.head${s}`, fail)
  // What the floor is a share of, where not the table's base total (compare.ts floorShareOf);
  // records written before 2026-11-30 have none.
  const shareOf =
    value[`shareOf${s}`] === undefined
      ? undefined
      : number(value[`shareOf${s}`], `${where}.shareOf${s}`, fail)
  for (const { item, minDelta, minShare } of items) {
    item.floor = minDelta ?? (minShare / 100) * (shareOf ?? baseTotal)
    judgeItem(item, method)
  }
  const total = tableTotalDiff(baseTotal, headTotal, rules.tables[table], measure, shareOf)
  if (value.total.samples !== undefined)
    total.samples = readSamples(
      value.total.samples,
      baseRuns,
      headRuns,
      `${where}.total.samples`,
      fail
    )
  judgeTotal(total, method)
  const diffs = items.map((i) => i.item)
  return {
    table,
    unit,
    measure,
    gated: rules.tables[table].gate,
    items: diffs,
    ignored: isCount(value.ignored) ? value.ignored : 0,
    counts: countStatuses(diffs),
    total,
    ...(shareOf === undefined ? {} : { shareOf })
  }
}

function readSide(
  value: unknown,
  s: string,
  measure: Measure,
  itemName: string,
  where: string,
  fail: Fail
): SideStat | null {
  if (value === null) return null
  if (!isObject(value) || (value.name !== undefined && typeof value.name !== 'string'))
    throw fail(`"${where}" must be null or a row`)
  const instances = number(value.instances, `${where}.instances`, fail)
  const total = number(value[`total${s}`], `${where}.total${s}`, fail)
  const side: SideStat = {
    name: typeof value.name === 'string' ? value.name : itemName,
    total,
    instances,
    avg: instances > 0 ? total / instances : 0,
    min: 0,
    max: 0,
    runs: isCount(value.runs) ? value.runs : 1,
    value:
      measure === 'perOccurrence'
        ? number(value[`perOccurrence${s}`], `${where}.perOccurrence${s}`, fail)
        : total
  }
  // The phases' occurrences decide whether totals compare (checks.ts sameLaunches).
  if (value.occurrences !== undefined)
    side.occurrences = number(value.occurrences, `${where}.occurrences`, fail)
  return side
}

function readHistory(value: unknown, where: string, fail: Fail): number[] {
  if (!isObject(value) || !Array.isArray(value.values) || value.values.length > 1000)
    throw fail(`"${where}.values" must be an array of at most 1000 numbers`)
  return value.values.map((x: unknown) => number(x, `${where}.values`, fail))
}

function readSamples(
  value: unknown,
  baseRuns: number,
  headRuns: number,
  where: string,
  fail: Fail
): { base: number[]; head: number[] } {
  if (!isObject(value)) throw fail(`"${where}" must be an object`)
  // One number a run that gave the table: all of the side's runs, or fewer where some did not.
  const list = (v: unknown, n: number, side: string): number[] => {
    if (!Array.isArray(v) || v.length < 1 || v.length > n)
      throw fail(`"${where}.${side}" must list 1 to ${n} numbers (one a run that has the table)`)
    return v.map((x: unknown) => number(x, `${where}.${side}`, fail))
  }
  return { base: list(value.base, baseRuns, 'base'), head: list(value.head, headRuns, 'head') }
}

function readEvidence(value: unknown, tables: readonly TableDiff[], fail: Fail): Evidence {
  if (!isObject(value)) throw fail('"evidence" must be an object')
  const side = (v: unknown, label: string): SideFacts => {
    if (!isObject(v) || !isObject(v.tables))
      throw fail(`"evidence.${label}.tables" must be an object`)
    const states: Partial<Record<TableName, TableStateName[]>> = {}
    for (const name of Object.keys(TABLES) as TableName[]) {
      const list = v.tables[name]
      // A record written before this table existed: none of its runs had it.
      if (list === undefined) {
        states[name] = []
        continue
      }
      if (
        !Array.isArray(list) ||
        !list.every((s) => s === 'missing' || s === 'empty' || s === 'data')
      )
        throw fail(
          `"evidence.${label}.tables.${name}" must list "missing", "empty" or "data" per run`
        )
      states[name] = list as TableStateName[]
    }
    for (const key of ['gpus', 'nsys', 'naming'] as const)
      if (!isStrings(v[key])) throw fail(`"evidence.${label}.${key}" must be an array of strings`)
    const facts: SideFacts = {
      tables: states as SideFacts['tables'],
      gpus: v.gpus as string[],
      nsys: v.nsys as string[],
      naming: v.naming as string[]
    }
    // Lists later versions added, absent from older records: rocprofv3's majors (absent too where
    // rocprofv3 measured nothing), the profilers (before other profilers were read, all were
    // nsys), and since 2026-12-01 each run's GPU models and ranks and what made an input less
    // than the whole run.
    for (const key of [
      'rocprofv3',
      'profilers',
      'gpusByRun',
      'ranksByRun',
      'incomplete'
    ] as const) {
      const list = v[key]
      if (list === undefined) continue
      if (!isStrings(list)) throw fail(`"evidence.${label}.${key}" must be an array of strings`)
      facts[key] = list
    }
    // Records written before the GPU's fingerprint was recorded have no `gpuRuns`.
    if (v.gpuRuns !== undefined)
      facts.gpuRuns = readGpuRuns(v.gpuRuns, `evidence.${label}.gpuRuns`, fail)
    return facts
  }
  const evidence: Evidence = { base: side(value.base, 'base'), head: side(value.head, 'head') }
  // Kernel matching is re-derived from the items, not read.
  const kernels = tables.find((t) => t.table === 'kernels')
  if (kernels) evidence.kernels = kernelFacts(kernels)
  return evidence
}

function readGpuRuns(value: unknown, where: string, fail: Fail): GpuRunFacts[] {
  if (!Array.isArray(value)) throw fail(`"${where}" must be an array, one entry per run`)
  return value.map((run: unknown, i) => {
    if (!isObject(run)) throw fail(`"${where}[${i}]" must be an object`)
    const facts: GpuRunFacts = {}
    for (const key of ['mig', 'driver', 'settings'] as const) {
      const field = run[key]
      if (field === undefined) continue
      if (typeof field !== 'string') throw fail(`"${where}[${i}].${key}" must be a string`)
      facts[key] = field
    }
    if (run.others !== undefined) {
      if (!isStrings(run.others)) throw fail(`"${where}[${i}].others" must be an array of strings`)
      facts.others = run.others
    }
    if (run.smClockMHz !== undefined)
      facts.smClockMHz = number(run.smClockMHz, `${where}[${i}].smClockMHz`, fail)
    return facts
  })
}

function number(value: unknown, where: string, fail: Fail): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    value > Number.MAX_SAFE_INTEGER
  )
    throw fail(`"${where}" must be a number from 0 to ${Number.MAX_SAFE_INTEGER}`)
  return value
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1_000_000
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A launch test of a record (compare/launches.ts): its p is a fact, its decision re-derived. */
function readLaunches(value: unknown, where: string, fail: Fail): LaunchTest {
  if (!isObject(value) || value.test !== 'launch-rank-test')
    throw fail(`"${where}.test" must be "launch-rank-test"`)
  const p = value.p
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw fail(`"${where}.p" must be from 0 to 1`)
  const sideOf = (v: unknown, at: string): LaunchSide => {
    if (!isObject(v)) throw fail(`"${at}" must be an object`)
    return {
      launches: number(v.launches, `${at}.launches`, fail),
      p50: number(v.p50, `${at}.p50`, fail),
      p90: number(v.p90, `${at}.p90`, fail),
      p99: number(v.p99, `${at}.p99`, fail)
    }
  }
  const test: LaunchTest = {
    test: 'launch-rank-test',
    p,
    base: sideOf(value.base, `${where}.base`),
    head: sideOf(value.head, `${where}.head`)
  }
  if (value.paired === true) test.paired = true
  return test
}
