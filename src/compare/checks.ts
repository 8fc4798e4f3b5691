import {
  isTableName,
  occurrencesOf,
  TABLE_NAMES,
  TABLES,
  type Note,
  type Profile,
  type TableName,
  type TableSpec
} from '../profile/model.js'
import type { Method, TableDiff } from './compare.js'
import type { Rules } from './rules.js'
import { clip, listed } from '../text.js'
import { BARE_NAME, functionName } from './identity.js'

/**
 * The checks that decide whether two sides can be compared honestly. Each is a small named rule
 * over the recorded evidence; an `error` note it returns makes the verdict `inconclusive`, a
 * `warning` is shown prominently. Thresholds come from the rules file's `checks` (rules.ts);
 * README "Verdicts" explains each one and why its default is what it is.
 */

export type TableStateName = 'missing' | 'empty' | 'data'

/** Facts about one side, run by run. */
export interface SideFacts {
  /** Per table, each run's state: report absent, ran without data, or with data. */
  tables: Record<TableName, TableStateName[]>
  gpus: string[]
  /**
   * Each run's GPU models, sorted and joined with ` + ` (`''` where the run recorded none), in run
   * order. Absent where no run recorded one, and in records written before it was recorded.
   */
  gpusByRun?: string[]
  /**
   * What makes a run's input less than the whole run (INCOMPLETE_INPUT): the code of the note
   * that said so, with the table it is about after a colon (`rows-missing:kernels`), or alone
   * where it is about every table (`trace-ranks-missing`). Absent where every run is whole, and in
   * records written before 2026-12-01.
   */
  incomplete?: string[]
  /**
   * Each run's ranks of a distributed run (`0, 1 of 4`; `''` where the run says nothing of ranks),
   * in run order. Absent where no run names ranks, and in records written before 2026-12-01.
   */
  ranksByRun?: string[]
  /** Nsight Systems major versions (the year), of the runs nsys measured. */
  nsys: string[]
  /**
   * rocprofv3 (rocprofiler-sdk) major versions (`1`; `0.6` for a 0.x release: profilerMajor) of
   * the runs rocprofv3 measured whose version is known. Absent when there is none, and in records
   * written before it was recorded.
   */
  rocprofv3?: string[]
  naming: string[]
  /**
   * The profilers that measured the runs (`nsys`, `torch`, `rocprof`, `rocprofv3`, `rpd`,
   * `chrome-trace`). Absent in records written before profilers other than nsys were read.
   */
  profilers?: string[]
  /**
   * What nvidia-smi said as each run started, in run order (absent in records written before it
   * was recorded; a run's facts are empty where nothing was).
   */
  gpuRuns?: GpuRunFacts[]
}

export interface Evidence {
  base: SideFacts
  head: SideFacts
  /** GPU kernel time of the base (medians), and how much of it found a counterpart on the head. */
  kernels?: {
    baseTotal: number
    matchedByName: number
    matchedAsVariant: number
    /** Launches of the kernels matched by name or as a changed variant, on each side. */
    launches: { base: number; head: number }
  }
}

/** A check sees the facts and the compared tables (as compared, or as read back from a record). */
type Check = (evidence: Evidence, rules: Rules, tables: readonly TableDiff[]) => Note[]

/** Is a table gated: its items, its total, or a rule that gates items of it? */
export function isGated(rules: Rules, table: TableName): boolean {
  const t = rules.tables[table]
  return t.gate || t.gateTotal || rules.rules.some((r) => r.table === table && r.gate === true)
}

/** A gated table has data on one side and none (missing, empty) on the other, or in some runs. */
export const tablesHaveData: Check = (evidence, rules) => {
  const notes: Note[] = []
  let gatedWithData = false
  // Analysis tables only one side has, by that side: one note a side (a trace gives several).
  const oneSide = { base: [] as string[], head: [] as string[] }
  for (const table of TABLE_NAMES) {
    const gated = isGated(rules, table)
    // A derived table (categories, host side) that does not gate says nothing its source does not.
    if (!gated && 'derived' in TABLES[table]) continue
    const severity = gated ? 'error' : 'warning'
    const title = TABLES[table].title
    const optional = (TABLES[table] as TableSpec).optional === true
    const base = evidence.base.tables[table]
    const head = evidence.head.tables[table]
    const baseHas = base.includes('data')
    const headHas = head.includes('data')
    // An analysis table on one side only is not compared: it gates nothing.
    if (gated && (optional ? baseHas && headHas : baseHas || headHas)) gatedWithData = true
    if (baseHas !== headHas) {
      const [without, states] = baseHas ? (['head', head] as const) : (['base', base] as const)
      const missing = states.every((s) => s === 'missing')
      if (missing && optional) {
        oneSide[baseHas ? 'base' : 'head'].push(title)
        continue
      }
      notes.push({
        code: missing ? 'table-missing' : 'table-empty',
        severity,
        message: missing
          ? `${title}: the ${baseHas ? 'base' : 'head'} has data but the ${without} has no such report, so it cannot be compared${gated ? ' (the table is gated)' : ''}.`
          : `${title}: the ${baseHas ? 'base' : 'head'} has data but the ${without}'s report ran and found none (nsys "SKIPPED: … does not contain … data"): a failed or empty capture, a capture range that never opened, CUDA graphs recorded whole (--cuda-graph-trace=graph), or a CPU fallback.${gated ? ' The table is gated, so the comparison cannot pass.' : ''}`
      })
      continue
    }
    if (!baseHas) continue
    for (const [label, states] of [
      ['base', base],
      ['head', head]
    ] as const) {
      const empty = states.flatMap((s, i) => (s === 'empty' ? [i + 1] : []))
      if (empty.length > 0)
        notes.push({
          code: 'runs-without-data',
          severity,
          message: `${title}: ${empty.length} of ${states.length} ${label} runs (run${empty.length === 1 ? '' : 's'} ${empty.join(', ')}) have no data while the others do: those captures failed, and their zeros would distort the comparison.`
        })
      // Runs without the table at all (a trace not read in one of them): compared without them.
      const missing = states.flatMap((s, i) => (s === 'missing' ? [i + 1] : []))
      if (missing.length > 0)
        notes.push({
          code: 'runs-without-table',
          severity: 'warning',
          message: `${title}: ${missing.length} of ${states.length} ${label} runs (run${missing.length === 1 ? '' : 's'} ${missing.join(', ')}) ${missing.length === 1 ? 'has' : 'have'} no such table while the others do (a report or trace that run did not give): the table is compared over the other runs.`
        })
    }
  }
  for (const side of ['base', 'head'] as const) {
    const titles = oneSide[side]
    if (titles.length === 0) continue
    const one = titles.length === 1
    notes.push({
      code: 'analysis-one-side',
      severity: 'warning',
      message: `${titles.join('; ')}: only the ${side} has the report ${one ? 'this table comes' : 'these tables come'} from (the GPU trace \`cuda_gpu_trace\`, or for the host side \`cuda_api_sum\`), so ${one ? 'it is' : 'they are'} not compared; the kernels still are. Give both sides the same reports.`
    })
  }
  if (!gatedWithData) {
    const gated = TABLE_NAMES.filter((t) => isGated(rules, t)).map((t) => TABLES[t].title)
    notes.push({
      code: 'no-gated-data',
      severity: 'error',
      message: `Nothing to gate: no gated table (${gated.join(', ') || 'none'}) has data on either side.`
    })
  }
  return notes
}

const percent = (part: number, whole: number): number => (whole > 0 ? (part / whole) * 100 : 100)
const pct = (value: number): string => `${Math.round(value * 10) / 10}%`

/** Most of the base's kernel time has no counterpart on the head: the sides ran different work. */
export const kernelsMatch: Check = (evidence, rules) => {
  const k = evidence.kernels
  // A side without kernel data is tablesHaveData's to report.
  if (!k || k.baseTotal <= 0 || !evidence.head.tables.kernels.includes('data')) return []
  const share = percent(k.matchedByName + k.matchedAsVariant, k.baseTotal)
  if (share >= rules.checks.minMatchedShare) return []
  return [
    {
      code: 'low-kernel-match',
      severity: 'error',
      message: `Only ${pct(share)} of the base's GPU kernel time has a matching kernel on the head (${pct(percent(k.matchedByName, k.baseTotal))} by name, ${pct(percent(k.matchedAsVariant, k.baseTotal))} as a changed variant); the limit is ${rules.checks.minMatchedShare}%. The two sides ran different kernels, or the names do not match (different kernel naming, names cut by the column format): the totals compare different work.`
    }
  ]
}

/**
 * A different major version of the profiler on the two sides: a version change is the likeliest
 * cause of kernel names spelled differently, so a poor match by name is inconclusive; a good one is
 * a warning. The runs of one side that span several majors are a warning too (as runs of a side on
 * different GPUs are a gpu-mismatch): they are not repetitions of one measurement. Where only one
 * side's version is known, that is said (info, `unknown`): the stricter match across versions could
 * not be applied.
 */
function sameProfilerMajor(
  base: readonly string[],
  head: readonly string[],
  evidence: Evidence,
  rules: Rules,
  what: {
    title: string
    /** The profiler's name in `profilers`, whose runs' majors `base` and `head` are. */
    profiler: string
    /** `the same nsys`: with what to profile. */
    same: string
    mismatch: string
    differs: string
    /** The code that says one side's version is unknown; none: not said. */
    unknown?: string
  }
): Note[] {
  const sides = { base, head }
  const notes: Note[] = []
  const mixed = (['base', 'head'] as const).filter((side) => sides[side].length > 1)
  if (mixed.length > 0)
    notes.push({
      code: what.differs,
      severity: 'warning',
      message: `The runs of a side ran different ${what.title} versions (${mixed.map((side) => `${side} ${sides[side].join(', ')}`).join('; ')}): kernel names may be spelled differently from one run to another, and the runs are not repetitions of one measurement. Profile every run with ${what.same}.`
    })
  if (base.length === 0 || head.length === 0) {
    const known = base.length > 0 ? 'base' : head.length > 0 ? 'head' : undefined
    const unknown = known === 'base' ? 'head' : 'base'
    // The other side measured by the same profiler (records written before `profilers` was
    // recorded: nsys alone), in runs that name no version.
    if (what.unknown && known && (evidence[unknown].profilers ?? ['nsys']).includes(what.profiler))
      notes.push({
        code: what.unknown,
        severity: 'info',
        message: `Only the ${known} recorded its ${what.title} version (${sides[known].join(', ')}); the ${unknown}'s input names none (report files of \`nsys stats\` do not), so the versions could not be compared, nor a change of version held to the stricter match by name across versions (${rules.checks.minMatchedShareAcrossVersions}%).`
      })
    return notes
  }
  if (base.join() === head.join()) return notes
  const k = evidence.kernels
  const share = k && k.baseTotal > 0 ? percent(k.matchedByName, k.baseTotal) : 100
  const limit = rules.checks.minMatchedShareAcrossVersions
  if (share < limit) {
    return [
      {
        code: what.mismatch,
        severity: 'error',
        message: `Different ${what.title} versions (base ${base.join(', ')}, head ${head.join(', ')}) and only ${pct(share)} of the base's GPU kernel time matched by name (the limit across versions is ${limit}%): kernel names are spelled differently by the two versions. Profile both sides with ${what.same}.`
      },
      ...notes
    ]
  }
  return [
    {
      code: what.differs,
      severity: 'warning',
      message: `Different ${what.title} versions: base ${base.join(', ')}, head ${head.join(', ')} (${pct(share)} of the base's GPU kernel time matched by name).`
    },
    ...notes
  ]
}

/** Different Nsight Systems major versions spell some names differently. */
export const sameNsys: Check = (evidence, rules) =>
  sameProfilerMajor(evidence.base.nsys, evidence.head.nsys, evidence, rules, {
    title: 'Nsight Systems',
    profiler: 'nsys',
    same: 'the same nsys',
    mismatch: 'nsys-version-mismatch',
    differs: 'nsys-version-differs',
    unknown: 'nsys-version-unknown'
  })

/**
 * Different rocprofv3 (rocprofiler-sdk) major versions, as for nsys: the same thresholds, and the
 * same warning for the runs of a side on several majors. A side whose version is unknown (a run
 * before it was recorded, a `rocprofv3 --version` that failed: the profile's own
 * `rocprofv3-version-unknown` warning says so) is not judged.
 */
export const sameRocprofv3: Check = (evidence, rules) =>
  sameProfilerMajor(evidence.base.rocprofv3 ?? [], evidence.head.rocprofv3 ?? [], evidence, rules, {
    title: 'rocprofv3 (rocprofiler-sdk)',
    profiler: 'rocprofv3',
    same: 'the same rocprofv3 (the same ROCm)',
    mismatch: 'rocprofv3-version-mismatch',
    differs: 'rocprofv3-version-differs'
  })

/**
 * The notes of a profile that say its input is not the whole run: an excerpt of a report (its
 * `Time (%)` shares fall short of 100), rows of a report that could not be read (rocprof's
 * damaged rows, left out; rows of another table in one, its shares past 100%), a trace cut
 * while it was written or with events left out as unreadable, or a distributed run without one
 * rank's trace. Its totals are then not the run's totals, and a kernel that is not there may have
 * regressed. A note about one table (`table`)
 * counts where that table gates; a note about the whole input counts always, except where
 * `oneSided` (both sides without the same ranks profiled the same few ranks of a larger world).
 */
export const INCOMPLETE_INPUT: ReadonlyMap<string, { why: string; oneSided?: true }> = new Map([
  [
    'rows-missing',
    { why: 'rows of the report are missing (its "Time (%)" shares fall short: an excerpt?)' }
  ],
  [
    'rows-unreadable',
    { why: 'rows of the report could not be read (a damaged or cut line) and were left out' }
  ],
  [
    'rows-extra',
    {
      why: "rows of another table or run are in the report (its shares add up past 100%): its totals are not one run's"
    }
  ],
  [
    'trace-truncated',
    {
      why: 'the trace ends early (the file was cut while it was written): the rest of the run is missing'
    }
  ],
  [
    'trace-events-unreadable',
    { why: 'events of the trace could not be read (no name, start or duration) and were left out' }
  ],
  [
    'trace-ranks-missing',
    {
      why: "a rank's trace is missing (the world size names more ranks than wrote one)",
      oneSided: true
    }
  ]
])

/**
 * A side whose input is not the whole run, in a table that gates: what is missing may be what
 * regressed, and its totals are not the run's. A distributed run without some ranks' traces
 * counts where only one side says so: both sides profiling the same few ranks of a larger world
 * (rank 0 and 1 of 8) compare.
 */
export const wholeInputs: Check = (evidence, rules) =>
  (['base', 'head'] as const).flatMap((side) => {
    const other = evidence[side === 'base' ? 'head' : 'base'].incomplete ?? []
    // Where both sides name their runs' ranks, sameRanks compares them instead.
    const ranksKnown = evidence.base.ranksByRun && evidence.head.ranksByRun
    const found = (evidence[side].incomplete ?? []).flatMap((entry) => {
      const [code = '', table] = entry.split(':')
      const known = INCOMPLETE_INPUT.get(code)
      if (known === undefined) return []
      if (table === undefined) {
        if (known.oneSided && (other.includes(entry) || ranksKnown)) return []
        return [known.why]
      }
      if (!isTableName(table) || !isGated(rules, table)) return []
      return [`${TABLES[table].title}: ${known.why}`]
    })
    if (found.length === 0) return []
    return [
      {
        code: 'input-incomplete',
        severity: 'error' as const,
        message: `The ${side}'s input is not the whole run (${found.join('; ')}): its totals are not the run's totals, and what is missing may be what changed. Give the whole reports (\`nsys stats\` output as written, every rank's trace, a trace the profiler finished writing).`
      }
    ]
  })

/** A per-run fact of each side, with the runs' labels (`base run 2`); runs without it left out. */
function labelledRuns(
  evidence: Evidence,
  key: 'gpusByRun' | 'ranksByRun'
): { label: string; value: string }[][] {
  return (['base', 'head'] as const).map((side) =>
    (evidence[side][key] ?? []).flatMap((value, i) =>
      value === '' ? [] : [{ label: `${side} run ${i + 1}`, value }]
    )
  )
}

/**
 * The runs hold different ranks of a distributed run (a rank's trace missing from a run, a lone
 * rank's trace against all of them, another world size): every table sums its ranks, so the
 * totals compare different work, however well the kernel names meet.
 */
export const sameRanks: Check = (evidence) => {
  const runs = labelledRuns(evidence, 'ranksByRun').flat()
  if (distinct(runs.map((r) => r.value)).length <= 1) return []
  return [
    {
      code: 'ranks-differ',
      severity: 'error',
      message: `The runs hold different ranks of a distributed run (${groups(
        runs.map((r) => ({
          label: r.label,
          value: `${r.value.includes(',') ? 'ranks' : 'rank'} ${r.value}`
        }))
      )}): kernels and every other table are summed over the ranks a run holds, so the totals compare different work. Give every run the traces of the same ranks.`
    }
  ]
}

/**
 * Timings of different GPU models do not compare: across the sides, and between the runs of one
 * side (four runs on one model and one on another are not five measurements of one thing). Where
 * only one side recorded its GPU, that is said (info): the check could not run.
 */
export const sameGpu: Check = (evidence, rules) => {
  const severity = rules.checks.gpuMismatch === 'inconclusive' ? 'error' : 'warning'
  const base = evidence.base.gpus.join(', ')
  const head = evidence.head.gpus.join(', ')
  const byRun = labelledRuns(evidence, 'gpusByRun')
  if (byRun.some((runs) => distinct(runs.map((r) => r.value)).length > 1))
    return [
      {
        code: 'gpu-mismatch',
        severity,
        message: `The runs of a side ran on different GPUs (${groups(byRun.flat())}); timings are not comparable.`
      }
    ]
  if (!base !== !head) {
    const [known, unknown] = base ? ['base', 'head'] : ['head', 'base']
    return [
      {
        code: 'gpu-unknown',
        severity: 'info',
        message: `Only the ${known} recorded its GPU (${base || head}); the ${unknown} recorded none (\`nvidia-smi\` was not found where it ran, or its reports name no device), so the GPU models could not be compared.`
      }
    ]
  }
  if (!base || !head || base === head) return []
  return [
    {
      code: 'gpu-mismatch',
      severity,
      message: `Different GPUs: base ran on ${base}, head on ${head}; timings are not comparable.`
    }
  ]
}

/**
 * The same kernels launched far more or fewer times: the capture window or workload changed, and
 * totals do not compare. When a table compared per occurrence (NVTX phases: time per `decode`
 * step) gates items that both sides have, that table still compares — a head that runs more
 * iterations at the same time per iteration is not a regression — so the verdict rests on it:
 * the note is a warning (`totals-not-comparable`), and the tables measured in total are shown
 * but not gated (`ungateTotals`). Without such a table the comparison is inconclusive.
 *
 * The same holds, with the same warning, when those gated phases occurred a different number of
 * times on the two sides even though the launches stay within the limits: the user asked for the
 * work per occurrence, and totals over 30 steps against 20 measure more work, not slower work.
 */
export const sameLaunches: Check = (evidence, rules, tables) => {
  const perOccurrence = perOccurrenceGated(evidence, rules, tables)
  const launches = evidence.kernels?.launches
  const r = rules.checks.minInstanceRatio
  const ratio = launches && launches.base > 0 ? launches.head / launches.base : 1
  const outside =
    launches !== undefined && launches.base > 0 && r > 0 && (ratio < r || ratio > 1 / r)
  if (!outside) {
    const changed = perOccurrence.flatMap(({ occurred }) => occurred)
    if (changed.length === 0) return []
    return [
      {
        code: 'totals-not-comparable',
        severity: 'warning',
        message: `The NVTX phases gated per occurrence occurred a different number of times on the two sides (${listed(changed, 3, (c) => c, '; ')}): the workload changed (iterations, batch size, capture range), so the totals are not comparable. The tables measured in total (kernels, memory operations, idle time, …) are shown but not gated; the verdict rests on ${perOccurrence.map((t) => TABLES[t.table].title).join(' and ')}, compared per occurrence.`
      }
    ]
  }
  const what = `The kernels both sides have were launched ${launches.base} times on the base and ${launches.head} on the head (×${Math.round(ratio * 100) / 100}; the limit is ×${r} to ×${Math.round((1 / r) * 100) / 100}): the capture window or the workload changed (iterations, batch size, capture range), so the totals are not comparable`
  if (perOccurrence.length > 0)
    return [
      {
        code: 'totals-not-comparable',
        severity: 'warning',
        message: `${what}. The tables measured in total (kernels, memory operations, idle time, …) are shown but not gated; the verdict rests on ${perOccurrence.map((t) => TABLES[t.table].title).join(' and ')}, compared per occurrence.`
      }
    ]
  return [
    {
      code: 'launches-changed',
      severity: 'error',
      message: `${what}. Gate NVTX phases (rules file: \`"tables": {"nvtxGpu": {"gate": true}}\`) to judge per occurrence instead${perOccurrenceRules(rules)}.`
    }
  ]
}

/** Where a rule gates NVTX phases but no phase both sides have is gated: said in the message. */
function perOccurrenceRules(rules: Rules): string {
  const tables = TABLE_NAMES.filter(
    (t) => (TABLES[t] as TableSpec).measure === 'perOccurrence' && isGated(rules, t)
  )
  return tables.length === 0
    ? ''
    : ` (the rules gate ${tables.map((t) => TABLES[t].title).join(' and ')}, but no gated phase was measured on both sides: check the rule's pattern against the phases' names)`
}

/**
 * Tables compared per occurrence that have data in every run of both sides and gate at least one
 * item both sides have (a rule whose pattern matches no phase gates nothing), each with the gated
 * items whose occurrences differ between the sides (`decode: 20 → 30`).
 */
function perOccurrenceGated(
  evidence: Evidence,
  rules: Rules,
  tables: readonly TableDiff[]
): { table: TableName; occurred: string[] }[] {
  const out: { table: TableName; occurred: string[] }[] = []
  for (const diff of tables) {
    const t = diff.table
    if ((TABLES[t] as TableSpec).measure !== 'perOccurrence' || !isGated(rules, t)) continue
    const everyRun = (side: SideFacts): boolean =>
      side.tables[t].length > 0 && side.tables[t].every((s) => s === 'data')
    if (!everyRun(evidence.base) || !everyRun(evidence.head)) continue
    const compared = diff.items.filter((i) => i.gated && i.base && i.head)
    if (compared.length === 0) continue
    const occurred: string[] = []
    for (const item of compared) {
      const b = occurrencesOf(item.base!)
      const h = occurrencesOf(item.head!)
      if (b !== h) occurred.push(`${clip(item.name, 80)}: ${b} → ${h}`)
    }
    out.push({ table: t, occurred })
  }
  return out
}

/**
 * With `totals-not-comparable`, the items and totals of the tables measured in total no longer
 * gate (their statuses stay, for the reader): called by compare and by the record's re-derivation.
 */
export function ungateTotals(tables: readonly TableDiff[], notes: readonly Note[]): void {
  if (!notes.some((n) => n.code === 'totals-not-comparable')) return
  for (const table of tables) {
    if ((TABLES[table.table] as TableSpec).measure !== 'total') continue
    for (const item of table.items) item.gated = false
    table.total.gated = false
    table.gated = false
  }
}

/**
 * A gate that measured nothing cannot pass. tablesHaveData looks at the reports; this looks at
 * what is left to gate once the rules have ignored or ungated items and the checks have ungated
 * totals: some gated item or gated total must hold a measurement (a value above zero on a side).
 * Rules that ignore every kernel, or tables whose only gated rows are zeros filled in for calls
 * that never happened (host synchronisations without any GPU data), gate nothing. Called, last
 * of the checks, by compare and by the record's re-derivation.
 */
export function gatedMeasurement(tables: readonly TableDiff[], notes: readonly Note[]): Note[] {
  // Said already: nothing gated had data, or a gated table is missing or empty on one side.
  const said = new Set(['no-gated-data', 'table-missing', 'table-empty'])
  if (notes.some((n) => n.severity === 'error' && said.has(n.code))) return []
  for (const t of tables) {
    if (t.total.gated && (t.total.base > 0 || t.total.head > 0)) return []
    for (const item of t.items)
      if (item.gated && ((item.base?.value ?? 0) > 0 || (item.head?.value ?? 0) > 0)) return []
  }
  const ignored = tables.reduce((sum, t) => sum + t.ignored, 0)
  return [
    {
      code: 'no-gated-data',
      severity: 'error',
      message: `Nothing to gate: no gated item or total measured anything on either side${ignored > 0 ? ` (the rules ignore ${ignored} item${ignored === 1 ? '' : 's'})` : ''}. The rules ignore or ungate everything the reports hold, or the gated tables hold only zeros. Gate a table that measured the benchmark's work.`
    }
  ]
}

/**
 * GPU idle time without repeated runs on both sides is shown, not gated. Idle time follows the
 * host's pace (a launch-bound decode loop, a synchronisation, the scheduler) far more than the
 * GPU's work does, and it varies from run to run accordingly: in twelve processes of one
 * unchanged program on an H200 (docs/timeline.md "Measured on real runs"), the kernel time was
 * 3.56–3.59 ms and the idle time 4.5–15.2 ms. Kernels, with one run a side, are tested
 * launch by launch; idle time has no such test, since its gaps move together with the run.
 * Called by compare and by the record's re-derivation.
 */
export function idleWithoutRuns(tables: readonly TableDiff[], method: Method): Note[] {
  if (method.kind !== 'single-run') return []
  const idle = tables.find((t) => t.table === 'gpuIdle')
  if (!idle || !(idle.gated || idle.total.gated)) return []
  for (const item of idle.items) item.gated = false
  idle.gated = false
  idle.total.gated = false
  const { total } = idle
  // Far past what one unchanged program's runs varied by: said where it cannot be missed.
  if (
    total.status === 'regressed' &&
    total.base > 0 &&
    total.head > IDLE_RISE_WARNING * total.base
  ) {
    return [
      {
        code: 'idle-rise-not-gated',
        severity: 'warning',
        message: `GPU idle time rose ${(total.head / total.base).toFixed(1)}-fold (${ms(total.base)} → ${ms(total.head)}), more than runs of one unchanged program varied (3.4-fold on an H200), but with one run a side it is not gated: one run cannot tell the host's pace from a change. Turning CUDA graphs off does this (13-fold there). Use 3 or more runs a side (the action: \`repetitions: 5\`) to have it judged.`
      }
    ]
  }
  return [
    {
      code: 'idle-not-gated',
      severity: 'info',
      message: `GPU idle time is shown, not gated, without repeated runs on both sides: it follows the host's pace, which varies from run to run far more than the GPU's work does, and one run a side cannot tell that variation from a change. Use 2 or more runs a side (5 recommended; the action: \`repetitions: 5\`) to gate it. New host synchronisations, a common cause of idle time, are gated as counts.`
    }
  ]
}

/**
 * GPU busy time is the union of everything the GPU ran, the items the rules ignore included:
 * ignoring a kernel (an NCCL collective whose time is mostly waiting for the other ranks, a
 * warm-up) cannot take it out of a figure measured over the whole trace. So while the rules ignore
 * kernels or memory operations, the busy total is shown, not gated; a rule can still gate its
 * rows. Called by compare and by the record's re-derivation.
 */
export function busyWithIgnored(tables: readonly TableDiff[]): Note[] {
  const busy = tables.find((t) => t.table === 'gpuBusy')
  if (!busy?.total.gated) return []
  let ignored = 0
  for (const t of tables) if (t.table === 'kernels' || t.table === 'memTime') ignored += t.ignored
  if (ignored === 0) return []
  busy.total.gated = false
  return [
    {
      code: 'busy-not-gated',
      severity: 'info',
      message: `GPU busy time is shown, not gated: the rules ignore ${ignored} kernel${ignored === 1 ? '' : 's'} or memory operation${ignored === 1 ? '' : 's'}, and busy time, the union of everything the GPU ran, still holds their time. To gate it anyway, gate its rows with a rule: \`{ "table": "gpuBusy", "match": "^GPU", "gate": true }\`.`
    }
  ]
}

/**
 * How many times the base's idle time the head's must be, with one run a side, for a warning: in
 * twelve processes of one unchanged program (docs/timeline.md "Measured on real runs") one run's
 * idle time was up to 3.4 times another's; a decode loop without its CUDA graph had 13 times the
 * idle time of the same loop replayed from one (test/fixtures/torch-h200/eager/graph).
 */
const IDLE_RISE_WARNING = 4

const ms = (ns: number): string => `${(ns / 1e6).toFixed(2)} ms`

/**
 * Kernel names from different `cuda_gpu_kern_sum` variants (base, mangled, nvtx-name) never meet.
 * The variant is known from the report's file name; a file renamed, or a side read from a
 * profile whose capture does not say, is told by its content: kernels of the base that are gone
 * from the head while the head has new kernels named by their bare function name (`Kernel` for
 * `void cutlass::Kernel<…>(T1::Params)`, what the `base` variant prints), or the other way round.
 */
export const sameNaming: Check = (evidence, _rules, tables) => {
  const namings = new Set([...evidence.base.naming, ...evidence.head.naming])
  if (namings.size > 1)
    return [
      {
        code: 'kernel-naming',
        severity: 'error',
        message: `The two sides name kernels differently (${[...namings].join(' vs ')}: nsys cuda_gpu_kern_sum variants); compare profiles made with the same report variant.`
      }
    ]
  const kernels = tables.find((t) => t.table === 'kernels')
  const pairs = kernels ? bareNamePairs(kernels) : undefined
  if (!pairs) return []
  const [full, bare] = pairs.example
  return [
    {
      code: 'kernel-naming',
      severity: 'error',
      message: `The two sides name kernels differently: ${pairs.count} of the ${pairs.of} kernels with a full signature only the ${pairs.side} has reappear on the other side under their bare function name (\`${clip(bare, 80)}\` for \`${clip(full, 120)}\`), as nsys's \`cuda_gpu_kern_sum:base\` variant prints them. Compare profiles made with the same report variant.`
    }
  ]
}

/**
 * Kernels with a full signature (`…(…)`) only one side has, whose bare function name is the name
 * of a kernel only the other side has: how many, of how many kernels with a full signature that
 * side has, and one of them. Found when they are at least half of those, as where one side names
 * every kernel bare; one C++ kernel among others rewritten as a plain C one of the same name (a
 * real change) is not.
 */
function bareNamePairs(
  kernels: TableDiff
): { count: number; of: number; side: 'base' | 'head'; example: [string, string] } | undefined {
  const only = { base: [] as string[], head: [] as string[] }
  const signatures = { base: 0, head: 0 }
  for (const item of kernels.items) {
    if (item.variant) continue
    const signature = item.name.includes('(')
    if (item.base && signature) signatures.base += 1
    if (item.head && signature) signatures.head += 1
    if (item.base && !item.head) only.base.push(item.name)
    else if (item.head && !item.base) only.head.push(item.name)
  }
  for (const [side, other] of [
    ['base', 'head'],
    ['head', 'base']
  ] as const) {
    const full = only[side].filter((name) => name.includes('('))
    if (full.length === 0) continue
    const bare = new Set(only[other].filter((name) => BARE_NAME.test(name)))
    if (bare.size === 0) continue
    let count = 0
    let example: [string, string] | undefined
    for (const name of full) {
      const fn = functionName(name)
      if (fn === undefined || !bare.has(fn)) continue
      count += 1
      example ??= [name, fn]
    }
    const of = signatures[side]
    if (example && count * 2 >= of) return { count, of, side, example }
  }
  return undefined
}

/**
 * Different profilers do not measure the same thing: the PyTorch profiler records the steps of its
 * schedule, nsys the whole process or its capture range, rocprof every dispatch of the process;
 * each adds its own overhead and names kernels its own way. Their totals never compare, whatever
 * share of the kernel names meet.
 */
export const sameProfiler: Check = (evidence) => {
  const base = evidence.base.profilers ?? []
  const head = evidence.head.profilers ?? []
  if (base.length === 0 || head.length === 0) return []
  if (base.length === 1 && head.length === 1 && base[0] === head[0]) return []
  const mixed = base.length > 1 || head.length > 1
  return [
    {
      code: 'profiler-mismatch',
      severity: 'error',
      message: `${mixed ? 'A side mixes profiles of different profilers' : 'The two sides were measured by different profilers'} (base: ${base.join(', ')}; head: ${head.join(', ')}). Each records a different window (the PyTorch profiler its scheduled steps, nsys the whole process or its capture range, rocprof every dispatch), with its own overhead and its own spelling of kernel names, so their totals do not compare. Profile both sides with the same profiler.`
    }
  ]
}

/**
 * What nvidia-smi said about the GPU as one run started (compare/compare.ts gathers it from the
 * profile's `gpus` and `gpuProcesses`). Each field is absent where it was not recorded.
 */
export interface GpuRunFacts {
  /** The MIG layout: `off`, or per GPU its instances' profiles (`3g.40gb+2g.20gb`), `; `-joined. */
  mig?: string
  driver?: string
  /** Persistence mode, ECC mode and power limit, as one line to compare. */
  settings?: string
  /** Other compute processes on the GPU when the run started (`name (pid N)`); absent: not looked. */
  others?: string[]
  /** The SM clock when the run started, MHz (the first GPU's). */
  smClockMHz?: number
}

/** One run's GPU facts, from its profile's `gpus` and `gpuProcesses`. */
export function gpuRunFacts(profile: Profile): GpuRunFacts {
  const gpus = profile.meta.gpus ?? []
  const facts: GpuRunFacts = {}
  if (gpus.length > 0 && gpus.every((g) => g.migMode !== undefined)) {
    facts.mig = gpus
      .map((g) => (g.migMode === 'Enabled' ? g.migDevices?.join('+') || 'on' : 'off'))
      .join('; ')
  }
  const drivers = distinct(gpus.map((g) => g.driver))
  if (drivers.length > 0) facts.driver = drivers.join(', ')
  if (gpus.some((g) => g.persistenceMode ?? g.eccMode ?? g.powerLimitW)) {
    facts.settings = gpus
      .map(
        (g) =>
          `persistence ${g.persistenceMode ?? '?'}, ECC ${g.eccMode ?? '?'}, power limit ${g.powerLimitW ?? '?'} W`
      )
      .join('; ')
  }
  const others = profile.meta.gpuProcesses
  if (others) facts.others = others.map((p) => `${p.name || 'unnamed'} (pid ${p.pid})`)
  const clock = gpus[0]?.smClockMHz
  if (clock !== undefined) facts.smClockMHz = clock
  return facts
}

/** Each side's runs' GPU facts, with the runs' labels (`base run 2`). */
function gpuRuns(evidence: Evidence): { label: string; facts: GpuRunFacts }[] {
  return (['base', 'head'] as const).flatMap((side) =>
    (evidence[side].gpuRuns ?? []).map((facts, i) => ({ label: `${side} run ${i + 1}`, facts }))
  )
}

const distinct = (values: readonly (string | undefined)[]): string[] =>
  [...new Set(values.filter((v): v is string => v !== undefined))].sort()

/** Runs grouped by a value, for a message: `1980 MHz in base runs 1, 2; 1410 MHz in head run 2`. */
function groups(runs: readonly { label: string; value: string }[], limit = 6): string {
  const by = new Map<string, string[]>()
  for (const r of runs) by.set(r.value, [...(by.get(r.value) ?? []), r.label])
  const parts = [...by].map(([value, labels]) => `${value} in ${labels.join(', ')}`)
  return parts.length > limit
    ? `${parts.slice(0, limit).join('; ')}; and ${parts.length - limit} more`
    : parts.join('; ')
}

/** A GPU split differently (MIG) is a different GPU: an instance has a share of its SMs. */
export const sameMigLayout: Check = (evidence) => {
  const base = distinct((evidence.base.gpuRuns ?? []).map((r) => r.mig))
  const head = distinct((evidence.head.gpuRuns ?? []).map((r) => r.mig))
  if (base.length === 0 || head.length === 0 || distinct([...base, ...head]).length <= 1) return []
  return [
    {
      code: 'mig-layout-differs',
      severity: 'error',
      message: `The GPU's MIG layout differs between the runs (${groups(
        gpuRuns(evidence).flatMap(({ label, facts }) =>
          facts.mig === undefined ? [] : [{ label, value: `MIG ${facts.mig}` }]
        )
      )}): a MIG instance has a share of the GPU's SMs and memory, so timings on different layouts do not compare.`
    }
  ]
}

/** Another process on the GPU when a run started competes with the benchmark for it. */
export const gpuAlone: Check = (evidence) => {
  const shared = gpuRuns(evidence).filter(({ facts }) => (facts.others ?? []).length > 0)
  if (shared.length === 0) return []
  const listed = shared
    .slice(0, 5)
    .map(({ label, facts }) => `${label}: ${(facts.others ?? []).slice(0, 3).join(', ')}`)
  return [
    {
      code: 'gpu-shared',
      severity: 'error',
      message: `Another process was on the GPU when ${shared.length} run${shared.length === 1 ? '' : 's'} started (${listed.join('; ')}${shared.length > 5 ? '; …' : ''}): it competes with the benchmark for the GPU, so the timings measure both. Give the runner the GPU alone.`
    }
  ]
}

/** Another driver: a major version changes compilers and libraries; a minor one rarely matters. */
export const sameDriver: Check = (evidence) => {
  const base = distinct((evidence.base.gpuRuns ?? []).map((r) => r.driver))
  const head = distinct((evidence.head.gpuRuns ?? []).map((r) => r.driver))
  if (base.length === 0 || head.length === 0 || base.join() === head.join()) return []
  const major = (v: string): string => v.split('.')[0] ?? v
  const majors = distinct([...base, ...head].map(major))
  return [
    majors.length > 1
      ? {
          code: 'driver-major-differs',
          severity: 'warning',
          message: `Different GPU driver versions: base ${base.join(', ')}, head ${head.join(', ')}. A major driver version changes the CUDA runtime's behaviour; compare on one driver where you can.`
        }
      : {
          code: 'driver-minor-differs',
          severity: 'info',
          message: `Different GPU driver releases: base ${base.join(', ')}, head ${head.join(', ')}.`
        }
  ]
}

/** Persistence mode, ECC and the power limit change how fast a GPU runs. */
export const sameGpuSettings: Check = (evidence) => {
  const base = distinct((evidence.base.gpuRuns ?? []).map((r) => r.settings))
  const head = distinct((evidence.head.gpuRuns ?? []).map((r) => r.settings))
  if (base.length === 0 || head.length === 0 || distinct([...base, ...head]).length <= 1) return []
  return [
    {
      code: 'gpu-settings-differ',
      severity: 'warning',
      message: `The GPU's settings differ between the runs (${groups(
        gpuRuns(evidence).flatMap(({ label, facts }) =>
          facts.settings === undefined ? [] : [{ label, value: facts.settings }]
        )
      )}).`
    }
  ]
}

/** SM clocks that differ by more than this between runs, when they start, are flagged. */
const CLOCK_SPREAD = 0.05

/**
 * Runs that started at different SM clocks: the clocks are not locked (a GPU at rest clocks down,
 * and boosts as far as its temperature and power allow), or something changed them.
 */
export const steadyClocks: Check = (evidence) => {
  const runs = gpuRuns(evidence).flatMap(({ label, facts }) =>
    facts.smClockMHz === undefined ? [] : [{ label, clock: facts.smClockMHz }]
  )
  if (runs.length < 2) return []
  const clocks = runs.map((r) => r.clock)
  const high = Math.max(...clocks)
  if (high <= 0 || (high - Math.min(...clocks)) / high <= CLOCK_SPREAD) return []
  return [
    {
      code: 'clocks-differ',
      severity: 'warning',
      message: `The SM clock differed between the runs as they started (${groups(
        runs.map((r) => ({ label: r.label, value: `${r.clock} MHz` }))
      )}): the clocks are not locked, so each run ran as fast as the GPU's temperature and power allowed. Lock them (README, "Self-hosted GPU runners").`
    }
  ]
}

/** The codes the checks give their notes (for the action's annotations). */
export const CHECK_CODES: ReadonlySet<string> = new Set([
  'table-missing',
  'analysis-one-side',
  'table-empty',
  'runs-without-data',
  'runs-without-table',
  'input-incomplete',
  'ranks-differ',
  'no-gated-data',
  'low-kernel-match',
  'nsys-version-mismatch',
  'nsys-version-differs',
  'nsys-version-unknown',
  'rocprofv3-version-mismatch',
  'rocprofv3-version-differs',
  'gpu-mismatch',
  'launches-changed',
  'totals-not-comparable',
  'kernel-naming',
  'profiler-mismatch',
  'mig-layout-differs',
  'gpu-shared',
  'driver-major-differs',
  'driver-minor-differs',
  'gpu-settings-differ',
  'clocks-differ',
  'idle-rise-not-gated'
])

/** Every check, in the order their notes are shown. */
export const CHECKS: readonly Check[] = [
  tablesHaveData,
  wholeInputs,
  sameRanks,
  sameProfiler,
  sameNaming,
  sameGpu,
  sameMigLayout,
  gpuAlone,
  sameDriver,
  sameGpuSettings,
  steadyClocks,
  sameNsys,
  sameRocprofv3,
  kernelsMatch,
  sameLaunches
]

export function runChecks(evidence: Evidence, rules: Rules, tables: readonly TableDiff[]): Note[] {
  return CHECKS.flatMap((check) => check(evidence, rules, tables))
}

/** How much of the base's kernel time found a counterpart, and the matched kernels' launches. */
export function kernelFacts(kernels: TableDiff): NonNullable<Evidence['kernels']> {
  const facts = {
    baseTotal: 0,
    matchedByName: 0,
    matchedAsVariant: 0,
    launches: { base: 0, head: 0 }
  }
  for (const item of kernels.items) {
    const b = item.base?.total ?? 0
    facts.baseTotal += b
    if (!item.base || !item.head) continue
    if (item.variant) facts.matchedAsVariant += b
    else facts.matchedByName += b
    // A changed variant is the same work under another name: its launches count as well (a head
    // whose every kernel was renamed and launched a tenth as often ran other work, not faster).
    facts.launches.base += item.base.instances
    facts.launches.head += item.head.instances
  }
  return facts
}
