import { InputError } from '../../errors.js'
import {
  emptyMeta,
  TABLE_NAMES,
  type Profile,
  type ProfileMeta,
  type Table,
  type TableName
} from '../../profile/model.js'
import { clip, visible } from '../../text.js'
import { FAMILY_TABLES } from './reports.js'
import type { ParseNote, ReportOccurrence, StatsParseResult } from './stats-text.js'

const VARIANT_PREFERENCE = [undefined, 'base', 'mangled', 'nvtx-name'] as const

interface Found extends ReportOccurrence {
  source: string
}

/** How to read a text that holds several captures. */
export interface CaptureChoice {
  /** `runs`: each capture is one run (repetitions). */
  captures?: 'one' | 'runs'
  /** Only this capture (1-based). */
  capture?: number
  /** Only these lines of captured text (1-based, both ends included): one run, chosen by hand. */
  lines?: readonly (readonly [number, number])[]
  /**
   * The reader wants one run (`summarize`, loadRun): a text of several captures is refused with
   * the choices that give one, never `--captures runs`, which would make runs of them.
   */
  oneRun?: boolean
}

/**
 * The captures of one parsed text as separate results, as the choice says. Several captures
 * are never mixed into one run: without a choice they are an error that names them.
 */
export function splitCaptures(
  result: StatsParseResult,
  choice: CaptureChoice = {}
): StatsParseResult[] {
  const count = result.captures.length
  if (choice.capture !== undefined) {
    if (choice.capture < 1 || choice.capture > Math.max(count, 1)) {
      throw new InputError(
        `there is no capture ${choice.capture}: ${count <= 1 ? 'the input holds one capture' : `the input holds ${count} captures (${describe(result)})`}`,
        { file: result.source }
      )
    }
    return count <= 1 ? [result] : [only(result, choice.capture - 1, byCapture(result))]
  }
  if (count <= 1) return [result]
  if (choice.captures === 'runs') {
    const buckets = byCapture(result)
    return result.captures.map((_, i) => only(result, i, buckets))
  }
  throw new InputError(
    `holds ${count} captures of nsys stats output (${describe(result)}), such as a log of several runs ` +
      'or a "before" and an "after"; nsys-bench never mixes them. Choose one with `--capture N`, ' +
      (choice.oneRun ? '' : 'read each as one run with `--captures runs`, ') +
      'or choose the lines of one run with `--lines`.',
    { file: result.source }
  )
}

function describe(result: StatsParseResult): string {
  const shown = result.captures
    .slice(0, 10)
    .map((c, i) => `${i + 1}: lines ${c.first}–${c.last}`)
    .join(', ')
  return result.captures.length > 10 ? `${shown}, …` : shown
}

/**
 * One capture of a result: its occurrences, and the notes about its lines (or about none). A
 * capture whose reports are separated by prose may join tables of two runs laid out report by
 * report ("before" and "after" of each table in turn): that is said, with the way out.
 */
function only(result: StatsParseResult, index: number, buckets: Buckets): StatsParseResult {
  const capture = result.captures[index]
  const occurrences = buckets.occurrences[index] ?? []
  const notes = [...buckets.everywhere, ...(buckets.notes[index] ?? [])]
  const joined = occurrences.filter((o) => o.afterProse).map((o) => o.line)
  if (joined.length > 0 && capture) {
    notes.push({
      code: 'capture-joins-prose',
      severity: 'warning',
      message: `capture ${index + 1} (lines ${capture.first}–${capture.last}) joins reports that prose separates (at line${joined.length === 1 ? '' : 's'} ${joined.slice(0, 5).join(', ')}): if they come from different runs, as in a "before" and "after" laid out table by table, choose the lines of one run with \`--lines\``,
      line: capture.first
    })
  }
  return {
    ...result,
    source: `${result.source} (capture ${index + 1})`,
    occurrences,
    notes,
    captures: capture ? [capture] : []
  }
}

interface Buckets {
  occurrences: ReportOccurrence[][]
  /** The notes about the lines of each capture: from its first line up to the next's. */
  notes: ParseNote[][]
  /** Notes about no line in particular: every capture gets them. */
  everywhere: ParseNote[]
}

/** Occurrences and notes by capture, in one pass (a log may hold thousands of captures). */
function byCapture(result: StatsParseResult): Buckets {
  const { captures } = result
  const buckets: Buckets = {
    occurrences: captures.map(() => []),
    notes: captures.map(() => []),
    everywhere: []
  }
  for (const o of result.occurrences) buckets.occurrences[o.capture]?.push(o)
  for (const note of result.notes) {
    if (note.line === undefined) {
      buckets.everywhere.push(note)
      continue
    }
    // The last capture that starts at or before the note's line.
    let lo = 0
    let hi = captures.length - 1
    let at = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if ((captures[mid]?.first ?? Infinity) <= note.line) {
        at = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    if (at >= 0) buckets.notes[at]?.push(note)
  }
  return buckets
}

/**
 * Builds one profile (one run) from everything read out of one capture: a report file, a
 * directory of them, or one captured output.
 *
 * For each table the best report wins (cuda_gpu_kern_sum over cuda_gpu_kern_gb_sum over
 * cuda_gpu_sum over the GPU trace; the default kernel naming over the `base`/`mangled`/`nvtx-name`
 * variants). When several files of one run hold the same report, the last one with data wins,
 * and a note says so: "no data" never erases numbers.
 */
export function assembleProfile(
  results: readonly StatsParseResult[],
  tool: { name: string; version: string },
  description: string
): Profile {
  const meta: ProfileMeta = emptyMeta(tool)
  const found: Found[] = []
  const gpus = new Set<string>()
  for (const result of results) {
    meta.sources.push(result.source)
    for (const note of result.notes)
      meta.notes.push({
        code: note.code,
        severity: note.severity,
        message: `${result.source}: ${note.message}`,
        ...(note.table === undefined ? {} : { table: note.table })
      })
    for (const occurrence of result.occurrences)
      found.push({ ...occurrence, source: result.source })
    if (result.nsysVersion && !meta.profiler.version) meta.profiler.version = result.nsysVersion
    for (const gpu of result.gpus) gpus.add(gpu)
  }
  if (found.length === 0) {
    const why =
      meta.notes.length > 0
        ? ` What the input shows: ${meta.notes
            .slice(0, 5)
            .map((n) => n.message)
            .join('; ')}${meta.notes.length > 5 ? `; and ${meta.notes.length - 5} more` : ''}.`
        : ''
    throw new InputError(
      `found no nsys stats report in ${visible(clip(description, 300))}. nsys-bench reads the files written by ` +
        '`nsys stats --format csv --output <dir>/<base> <report>.nsys-rep`, captured `nsys stats` ' +
        `output, or a profile JSON written by nsys-bench; of AMD's profilers, rocprofv3's *_kernel_trace.csv and *_kernel_stats.csv ` +
        `(\`rocprofv3 --kernel-trace --stats --output-format csv\`) and rocprof's results.stats.csv (\`rocprof --stats\`).${why}`
    )
  }
  if (gpus.size > 0) meta.gpus = [...gpus].map((name) => ({ name }))

  const tables: Partial<Record<TableName, Table>> = {}
  for (const table of TABLE_NAMES) {
    const chosen = choose(table, found, meta)
    if (!chosen) continue
    tables[table] = chosen.tables[table] ?? new Map()
    meta.reports[table] = chosen.variant ? `${chosen.name}:${chosen.variant}` : chosen.name
    if (table === 'kernels' && chosen.variant && chosen.report.family !== 'gpuTrace') {
      meta.kernelNaming = chosen.variant as ProfileMeta['kernelNaming']
    }
  }
  const profile: Profile = { meta, tables }
  // The timeline figures come with the GPU trace that filled the idle table.
  const trace = tables.gpuIdle ? choose('gpuIdle', found, { ...meta, notes: [] }) : undefined
  if (trace?.timeline) {
    profile.timeline = trace.timeline.timeline
    profile.launches = trace.timeline.launches
  }
  return profile
}

function choose(table: TableName, found: readonly Found[], meta: ProfileMeta): Found | undefined {
  const candidates = found.filter((o) => FAMILY_TABLES[o.report.family].includes(table))
  if (candidates.length === 0) return undefined
  // Kernel naming first (profiles compare only like with like), then the report's precision.
  const rank = (o: Found): number =>
    (VARIANT_PREFERENCE.length - variantIndex(o.variant)) * 10 + o.report.priority
  const best = Math.max(...candidates.map(rank))
  const group = candidates.filter((o) => rank(o) === best)
  const withData = group.filter((o) => !o.noData)
  const chosen = withData.at(-1) ?? group.at(-1)
  if (!chosen) return undefined
  if (group.length > 1) {
    const where = group
      .map((o) => `${o.source}:${o.line}${o.noData ? ' (no data)' : ''}`)
      .join(', ')
    meta.notes.push({
      code: 'report-repeated',
      severity: 'warning',
      message:
        `${chosen.name}${chosen.variant ? `:${chosen.variant}` : ''} appears ${group.length} times (${where}); ` +
        `the ${table} table uses ${chosen.source}:${chosen.line}` +
        (chosen !== group.at(-1) ? ' (the last one with data)' : ' (the last one)')
    })
  }
  return chosen
}

function variantIndex(variant: string | undefined): number {
  const i = (VARIANT_PREFERENCE as readonly (string | undefined)[]).indexOf(variant)
  return i < 0 ? VARIANT_PREFERENCE.length : i
}
