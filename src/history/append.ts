import { withDerivedTables } from '../analyze/derived.js'
import type { Rules } from '../compare/rules.js'
import {
  measureOf,
  occurrencesOf,
  profilerMajor,
  TABLE_NAMES,
  TABLES,
  type Profile,
  type TableName
} from '../profile/model.js'
import { mad, median } from './band.js'
import {
  DEFAULT_HISTORY_LENGTH,
  MAX_HISTORY_LENGTH,
  storableRun,
  storableText,
  type Fingerprint,
  type History,
  type HistoryRun,
  type Series
} from './model.js'

/** What one run adds: its facts and, per table and item, its median, spread and count. */
export interface RunEntry {
  run: HistoryRun
  tables: Partial<
    Record<TableName, Map<string, { name: string; value: number; spread: number; count: number }>>
  >
}

/**
 * Where a profile was measured (the last run's, for a set of repetitions), as a history file holds
 * it (fields cut to MAX_RUN_TEXT): a head is then measured like the runs it wrote.
 */
export function fingerprintOf(profile: Profile): Fingerprint {
  const { profiler } = profile.meta
  return {
    gpu: storableText(profile.meta.gpus?.[0]?.name ?? ''),
    profiler: storableText(profiler.name),
    major: storableText(profilerMajor(profiler) ?? ''),
    naming: storableText(profile.meta.kernelNaming)
  }
}

/**
 * One run's entry from its repetitions: per item of every table (the derived ones too, under the
 * same rules as a comparison), the median of the compared value over the repetitions (0 in a
 * repetition that lacked the item, as compare/ counts it), its MAD, and the median count.
 */
export function runEntry(
  profiles: readonly Profile[],
  rules: Rules,
  facts: { sha: string; date: string }
): RunEntry {
  const last = profiles.at(-1)
  if (!last) throw new Error('runEntry needs at least one profile')
  const runs = profiles.map((p) => withDerivedTables(p, rules))
  const tables: RunEntry['tables'] = {}
  for (const table of TABLE_NAMES) {
    const present = runs.map((p) => p.tables[table])
    if (present.every((t) => t === undefined)) continue
    const keys = new Map<string, string>()
    for (const t of present) if (t) for (const [key, stat] of t) keys.set(key, stat.name)
    const items = new Map<string, { name: string; value: number; spread: number; count: number }>()
    const perOccurrence = TABLES[table].measure === 'perOccurrence'
    for (const [key, name] of keys) {
      const values: number[] = []
      const counts: number[] = []
      for (const t of present) {
        const stat = t?.get(key)
        values.push(stat ? measureOf(table, stat) : 0)
        counts.push(stat ? (perOccurrence ? occurrencesOf(stat) : stat.instances) : 0)
      }
      items.set(key, { name, value: median(values), spread: mad(values), count: median(counts) })
    }
    tables[table] = items
  }
  return {
    // As the file holds it (a date that is not one, from a profile JSON made elsewhere: now).
    run: storableRun({
      sha: facts.sha,
      date: facts.date,
      repetitions: profiles.length,
      ...fingerprintOf(last)
    }),
    tables
  }
}

/**
 * The history with one more run, the oldest dropped beyond `length` (at most
 * MAX_HISTORY_LENGTH); items no kept run has leave. The history given is not changed.
 */
export function appendRun(history: History, entry: RunEntry, length: number): History {
  // Never more than a file holds (decodeHistory reads at most MAX_HISTORY_LENGTH runs): a longer
  // history would be refused whole on the next push.
  const keep = Number.isNaN(length)
    ? DEFAULT_HISTORY_LENGTH
    : Math.min(MAX_HISTORY_LENGTH, Math.max(1, Math.floor(length)))
  const all = [...history.runs, entry.run]
  const drop = Math.max(0, all.length - keep)
  const runs = all.slice(drop)
  const tables: History['tables'] = {}
  for (const table of TABLE_NAMES) {
    const old = history.tables[table]
    const now = entry.tables[table]
    if (!old && !now) continue
    const out = new Map<string, Series>()
    const keys = new Set([...(old?.keys() ?? []), ...(now?.keys() ?? [])])
    for (const key of keys) {
      const before = old?.get(key)
      const pad = (list: (number | null)[] | undefined): (number | null)[] =>
        list ?? new Array<number | null>(history.runs.length).fill(null)
      const added = now?.get(key)
      const series: Series = {
        name: added?.name ?? before?.name ?? key,
        value: [...pad(before?.value), added ? added.value : null].slice(drop),
        spread: [...pad(before?.spread), added ? added.spread : null].slice(drop),
        count: [...pad(before?.count), added ? added.count : null].slice(drop)
      }
      if (series.value.some((v) => v !== null)) out.set(key, series)
    }
    if (out.size > 0) tables[table] = out
  }
  return { runs, tables }
}
