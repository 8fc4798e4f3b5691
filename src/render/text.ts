import { describeFingerprint } from '../history/model.js'
import { limitCell, sparkline } from './history.js'
import type { Comparison, ItemDiff, Status, TableDiff } from '../compare/compare.js'
import type { Verdict } from '../compare/gate.js'
import { sortedRows } from '../profile/json.js'
import { occurrencesOf, TABLE_NAMES, TABLES, tableTotal, type Profile } from '../profile/model.js'
import { clip, listed } from '../text.js'
import { categoryLineText } from './categories.js'
import { shortenApart, shortenApartOf, terminalText } from './escape.js'
import { timelineText } from './timeline.js'
import {
  formatCount,
  formatDelta,
  formatDuration,
  formatP,
  formatPercent,
  formatShare,
  formatValue,
  plural,
  singleRunMethod
} from './format.js'

/**
 * Plain-text rendering for a terminal: the verdict and its reasons, then the same tables as the
 * Markdown, in aligned columns. Notes are not part of it: the CLI prints them once, on stderr.
 */
export interface TextOptions {
  /** Longest name shown (middle-shortened); full names are in the JSON output. */
  nameLength?: number
  /** Rows per section; the rest is counted. */
  rows?: number
}

const VERDICT_LINE: Readonly<Record<Verdict, string>> = {
  pass: 'pass (no regression)',
  regression: 'REGRESSION',
  inconclusive: 'INCONCLUSIVE (the two sides cannot be compared honestly)',
  accepted: 'regression ACCEPTED'
}

export function renderText(comparison: Comparison, options: TextOptions = {}): string {
  const nameLength = options.nameLength ?? 100
  const rows = options.rows ?? 20
  const out: string[] = []
  const kernels = comparison.tables.find((t) => t.table === 'kernels')
  out.push(`nsys-bench: ${VERDICT_LINE[comparison.gate.verdict]}`)
  for (const reason of comparison.gate.reasons)
    out.push(`  ${reason.code}: ${terminalText(clip(reason.message, 400))}`)
  if (kernels) {
    const t = kernels.total
    const c = kernels.counts
    out.push(
      `Total GPU kernel time: ${formatValue('ns', t.base)} -> ${formatValue('ns', t.head)} (${formatPercent(t.deltaPct)})` +
        `  ${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed`
    )
  }
  const byCategory = categoryLineText(comparison)
  if (byCategory) out.push(byCategory)
  out.push(
    `Runs: base ${comparison.runs.base}, head ${comparison.runs.head}; ` +
      (comparison.method.kind === 'mann-whitney-u'
        ? comparison.method.attainable
          ? `Mann-Whitney U test, alpha ${comparison.method.alpha}`
          : `Student's t on the runs' logarithms, alpha ${comparison.method.alpha} (too few runs for Mann-Whitney)`
        : singleRunMethod(comparison))
  )
  // Tables read on both sides with no rows on either: named on one line, after the others.
  const empty: string[] = []
  for (const table of comparison.tables) {
    const label = TABLES[table.table].title
    if (table.items.length === 0 && table.ignored === 0) {
      empty.push(label)
      continue
    }
    const c = table.counts
    out.push('')
    out.push(
      `${label}${table.measure === 'perOccurrence' ? ', per occurrence (sum over items)' : ''}: ${formatValue(table.unit, table.total.base)} -> ${formatValue(table.unit, table.total.head)} ` +
        `(${formatPercent(table.total.deltaPct)}); ${c.regressed} regressed, ${c.improved} improved, ` +
        `${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged${table.gated ? '' : table.total.gated ? ' (gated on the total)' : ' (not gated)'}`
    )
    for (const status of ['regressed', 'improved', 'new', 'removed'] as const) {
      const items = table.items.filter((i) => i.status === status)
      if (items.length === 0) continue
      out.push(`  ${STATUS_TITLE[status]}:`)
      out.push(
        ...align(items.slice(0, rows).map((i) => itemCells(i, table, comparison, nameLength))).map(
          (l) => `    ${l}`
        )
      )
      if (items.length > rows) out.push(`    … and ${items.length - rows} more`)
    }
  }
  if (empty.length > 0) out.push('', `No rows on either side: ${empty.join(', ')}.`)
  const h = comparison.history
  if (h)
    out.push(
      '',
      `History: last ${h.comparable} comparable runs${h.branch === undefined ? '' : ` on ${terminalText(clip(h.branch, 100))}`}, ${terminalText(clip(describeFingerprint(h.fingerprint), 300))}${comparison.rules.auto ? '; limits: threshold auto' : ''}`
    )
  const timeline = timelineText(comparison)
  if (timeline.length > 0) out.push('', ...timeline)
  return `${out.join('\n')}\n`
}

const STATUS_TITLE: Readonly<Record<Exclude<Status, 'unchanged'>, string>> = {
  regressed: 'Regressed',
  improved: 'Improved',
  new: 'New',
  removed: 'Removed'
}

function itemName(item: ItemDiff, table: TableDiff, nameLength: number): string {
  if (item.variant) {
    // A family's names differ in their arguments, often inside: shortened apart.
    const shown = shortenApart(
      [...item.variant.base, ...item.variant.head],
      Math.floor(nameLength / 2)
    )
    const side = (names: string[]): string => listed(names, 3, (n) => terminalText(shown(n)), ' + ')
    return `variant changed (${terminalText(clip(item.variant.family, 120))}): ${side(item.variant.base)} -> ${side(item.variant.head)}`
  }
  const shared = Math.max(item.base?.sharedBy ?? 0, item.head?.sharedBy ?? 0)
  const name = terminalText(shownName(table, nameLength)(item.name))
  return shared > 1 ? `${name} (${shared} share this cut name)` : name
}

function itemCells(
  item: ItemDiff,
  table: TableDiff,
  comparison: Comparison,
  nameLength: number
): string[] {
  const unit = table.unit
  const name = itemName(item, table, nameLength)
  // Per-occurrence tables (NVTX phases): the value is per occurrence, counted in occurrences.
  const each = table.measure === 'perOccurrence'
  const count = (stat: ItemDiff['base']): string =>
    `x${formatCount(stat ? (each ? occurrencesOf(stat) : stat.instances) : 0)}`
  const value = (stat: ItemDiff['base']): string =>
    `${formatValue(unit, stat?.value ?? 0)}${each ? '/occurrence' : ''}`
  if (item.status === 'new') return [value(item.head), count(item.head), name]
  if (item.status === 'removed') return [value(item.base), count(item.base), name]
  const cells = [
    formatPercent(item.deltaPct),
    formatDelta(unit, item.delta),
    `${formatValue(unit, item.base?.value ?? 0)} -> ${value(item.head)}`
  ]
  if (comparison.method.kind === 'mann-whitney-u' && item.significance)
    cells.push(`p=${formatP(item.significance.p)}`)
  else if (item.launches) {
    const l = item.launches
    cells.push(
      `p=${formatP(l.p)} (launches${l.byCount ? `; launched ${l.base.launches} -> ${l.head.launches} times` : ''})`
    )
  }
  // With a history: the limit that applied (threshold: auto) and the trend, head after →.
  if (comparison.rules.auto) cells.push(`limit ${limitCell(item)}`)
  if (comparison.history)
    cells.push(item.history ? sparkline(item.history.values, item.head?.value) : '')
  cells.push(item.accepted ? `[accepted] ${name}` : name)
  return cells
}

/** Pads every column but the last to its widest cell; numbers right-aligned. */
function align(rows: string[][]): string[] {
  const widths: number[] = []
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)))
  return rows.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : cell.padStart(widths[i] ?? 0))).join('  ')
  )
}

/** `summarize` without --json: each table's rows, largest first (notes go to stderr). */
export function renderProfileText(profile: Profile, options: TextOptions = {}): string {
  const nameLength = options.nameLength ?? 100
  const rows = options.rows ?? 20
  const out: string[] = []
  const meta = profile.meta
  out.push(`Profile from ${meta.sources.map((s) => terminalText(clip(s, 300))).join(', ')}`)
  if (meta.profiler.name === 'nsys') {
    if (meta.profiler.version) out.push(`Nsight Systems ${terminalText(meta.profiler.version)}`)
  } else
    out.push(
      `Profiler: ${terminalText(clip(meta.profiler.name, 40))}${meta.profiler.version ? ` ${terminalText(clip(meta.profiler.version, 40))}` : ''}`
    )
  if (meta.gpus?.length)
    out.push(`GPU: ${meta.gpus.map((g) => terminalText(clip(g.name, 100))).join(', ')}`)
  if (meta.kernelNaming !== 'demangled') out.push(`Kernel names: ${meta.kernelNaming} variant`)
  for (const name of TABLE_NAMES) {
    const table = profile.tables[name]
    if (!table) continue
    const unit = TABLES[name].unit
    const report = terminalText(meta.reports[name] ?? '')
    out.push('')
    if (table.size === 0) {
      out.push(`${TABLES[name].title} (${report}): no data`)
      continue
    }
    const total = tableTotal(table)
    out.push(
      `${TABLES[name].title} (${report}): ${plural(table.size, 'item')}, total ${formatValue(unit, total)}`
    )
    const sorted = sortedRows(table)
    const shown = sorted.slice(0, rows)
    const named = shortenApart(
      shown.map(([, s]) => s.name),
      nameLength
    )
    out.push(
      ...align([
        ['Total', 'Share', 'Count', 'Average', 'Name'],
        ...shown.map(([, s]) => [
          formatValue(unit, s.total),
          formatShare(total > 0 ? (s.total / total) * 100 : 0),
          formatCount(s.instances),
          formatValue(unit, s.avg),
          terminalText(named(s.name)) +
            ((s.sharedBy ?? 0) > 1 ? ` (${s.sharedBy} share this cut name)` : '')
        ])
      ]).map((l) => `  ${l}`)
    )
    if (sorted.length > rows) out.push(`  … and ${sorted.length - rows} more (--json for all)`)
  }
  // The timeline of a trace: each GPU's busy time (the union over its streams) in its window.
  const devices = profile.timeline?.devices ?? []
  if (devices.length > 0) {
    out.push('', 'GPU timeline (trace):')
    for (const d of devices)
      out.push(
        `  GPU ${d.device}${d.rank === undefined ? '' : ` (rank ${d.rank})`}: busy ${formatDuration(d.busy)} of a ${formatDuration(d.window)} window (${formatShare(d.window > 0 ? (d.busy / d.window) * 100 : 0)}), idle ${formatDuration(d.idle)}`
      )
  }
  return `${out.join('\n')}\n`
}

/** A table's names as shown at a length, told apart (shortenApart). */
function shownName(table: TableDiff, nameLength: number): (name: string) => string {
  return shortenApartOf(table, () => table.items.map((i) => i.name), nameLength)
}
