import { InputError } from '../../errors.js'
import {
  emptyMeta,
  TABLE_NAMES,
  type Profile,
  type ProfileMeta,
  type Table,
  type TableName
} from '../../profile/model.js'
import type { Family } from './reports.js'
import type { ReportOccurrence, StatsParseResult } from './stats-text.js'

/** Which report families can fill a table. */
const SOURCES: Readonly<Record<TableName, readonly Family[]>> = {
  kernels: ['kernels', 'kernelsByGrid', 'gpuTrace'],
  memTime: ['memTime', 'gpuTrace'],
  memSize: ['memSize', 'gpuTrace'],
  cudaApi: ['cudaApi'],
  nvtx: ['nvtx'],
  osrt: ['osrt']
}

const VARIANT_PREFERENCE = [undefined, 'base', 'mangled', 'nvtx-name'] as const

interface Found extends ReportOccurrence {
  source: string
}

/**
 * Builds one profile (one run) from everything read out of one input: a report file, a
 * directory of them, or one captured output.
 *
 * For each table the best report wins (cuda_gpu_kern_sum over cuda_gpu_kern_gb_sum over the GPU
 * trace; the default kernel naming over the `base`/`mangled`/`nvtx-name` variants). When the same
 * report appears more than once, the last one with data wins, and a note says so: a later re-run
 * supersedes earlier output, and "no data" never erases numbers.
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
    for (const note of result.notes) meta.notes.push(`${result.source}: ${note}`)
    for (const occurrence of result.occurrences)
      found.push({ ...occurrence, source: result.source })
    if (result.nsysVersion && !meta.profiler.version) meta.profiler.version = result.nsysVersion
    for (const gpu of result.gpus) gpus.add(gpu)
  }
  if (found.length === 0) {
    const why = meta.notes.length > 0 ? `\n  ${meta.notes.join('\n  ')}` : ''
    throw new InputError(
      `found no nsys stats report in ${description}. nsys-bench reads the files written by ` +
        '`nsys stats --format csv --output <dir>/<base> <report>.nsys-rep`, captured `nsys stats` ' +
        `output, or a profile JSON written by nsys-bench.${why}`
    )
  }
  if (gpus.size > 0) meta.gpus = [...gpus].map((name) => ({ name }))

  const tables: Partial<Record<TableName, Table>> = {}
  for (const table of TABLE_NAMES) {
    const chosen = choose(table, found, meta.notes)
    if (!chosen) continue
    tables[table] = chosen.tables[table] ?? new Map()
    meta.reports[table] = chosen.variant ? `${chosen.name}:${chosen.variant}` : chosen.name
    if (table === 'kernels' && chosen.variant && chosen.report.family === 'kernels') {
      meta.kernelNaming = chosen.variant as ProfileMeta['kernelNaming']
    }
  }
  return { meta, tables }
}

function choose(table: TableName, found: readonly Found[], notes: string[]): Found | undefined {
  const candidates = found.filter((o) => SOURCES[table].includes(o.report.family))
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
    notes.push(
      `${chosen.name}${chosen.variant ? `:${chosen.variant}` : ''} appears ${group.length} times (${where}); ` +
        `the ${table} table uses ${chosen.source}:${chosen.line}` +
        (chosen !== group.at(-1) ? ' (the last one with data)' : ' (the last one)')
    )
  }
  return chosen
}

function variantIndex(variant: string | undefined): number {
  const i = (VARIANT_PREFERENCE as readonly (string | undefined)[]).indexOf(variant)
  return i < 0 ? VARIANT_PREFERENCE.length : i
}
