import { markdownTable } from 'markdown-table'
import type { Comparison, ItemDiff, Status, TableDiff } from '../compare/compare.js'
import { gatedItemRegressed, totalFails, type Verdict } from '../compare/gate.js'
import { sortedRows } from '../profile/json.js'
import {
  occurrencesOf,
  TABLE_NAMES,
  TABLES,
  tableTotal,
  type Note,
  type Profile
} from '../profile/model.js'
import { clip, listed } from '../text.js'
import { categoryLineMarkdown } from './categories.js'
import { historyColumns, historyLine, limitCell, trendCell } from './history.js'
import { codeSpan, markdownText, shortenApart, shortenApartOf } from './escape.js'
import { timelineMarkdown } from './timeline.js'
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
 * The Markdown report: one builder for the PR comment and the job summary. Verdict and its
 * reasons first, then headline numbers, regressions, improvements, new and removed kernels, then
 * every table in `<details>`. It keeps under a size limit by trimming rows and notes, with a
 * visible note saying so; every block it opens is closed whatever it trims.
 */
export interface MarkdownOptions {
  /** Limit in characters (UTF-16 code units, as GitHub counts them): 65,536 for a comment. */
  maxChars?: number
  /** Limit in UTF-8 bytes: 1 MiB for a job summary. */
  maxBytes?: number
  /** Text that will precede the report (the sticky-comment marker): counted in the budget. */
  prefix?: string
  /** Heading text (trusted). */
  title?: string
  /** Trusted Markdown lines under the headline (baseline source, run links). */
  context?: string[]
  /** Trusted Markdown: where the untrimmed report is, for the trimming note. */
  fullReport?: string
  /** Trusted Markdown footer line. */
  footer?: string
  /**
   * Rows already rendered, for several renderings of one comparison under different limits (the
   * aggregate report renders each leg whole, then trimmed for the comment and for the summary).
   */
  cache?: RenderCache
}

export const COMMENT_LIMIT = 65_536
export const SUMMARY_LIMIT_BYTES = 1024 * 1024

interface Budget {
  sectionRows: number
  detailRows: number
  nameLength: number
  notes: number
  /** Rows already rendered, by table header and name length (see tableText). */
  rows?: RowCache
}

/**
 * The lines of rendered rows, kept across the renderings that trim a report to its size limit:
 * each row is rendered once per table header and name length, not once per attempt.
 */
type RowCache = Map<string, Map<ItemDiff, string>>

/** Rendered rows kept across renderMarkdown calls (see MarkdownOptions.cache). */
export type RenderCache = RowCache

export function renderCache(): RenderCache {
  return new Map()
}

/**
 * The fewest characters a row of an item table takes: `| | | | |` (four empty cells; every item
 * table has four columns at least) and its line break.
 */
const MIN_ROW = 10

/** Trimming levels: fewer rows in the visible sections, shorter names, fewer notes. */
const LEVELS: Omit<Budget, 'detailRows'>[] = [
  { sectionRows: Infinity, nameLength: 200, notes: 50 },
  { sectionRows: 100, nameLength: 160, notes: 30 },
  { sectionRows: 50, nameLength: 120, notes: 20 },
  { sectionRows: 20, nameLength: 100, notes: 10 },
  { sectionRows: 10, nameLength: 80, notes: 5 },
  { sectionRows: 5, nameLength: 60, notes: 3 },
  { sectionRows: 0, nameLength: 60, notes: 0 }
]

/** The rows of the full tables renderMarkdown tries first when they do not all fit. */
const FIRST_ROWS = 16

/** Longest note shown, in characters (notes quote file names and cells). */
const NOTE_LENGTH = 400

export function renderMarkdown(comparison: Comparison, options: MarkdownOptions = {}): string {
  const prefix = options.prefix ?? ''
  const fits = (text: string): boolean =>
    (options.maxChars === undefined || prefix.length + text.length <= options.maxChars) &&
    (options.maxBytes === undefined || Buffer.byteLength(prefix + text, 'utf8') <= options.maxBytes)
  const most = Math.max(0, ...comparison.tables.map((t) => t.items.length))
  const rows: RowCache = options.cache ?? renderCache()
  // Every row of the full tables takes MIN_ROW characters at least (and as many bytes): more rows
  // than the limit has room for cannot fit, and are never rendered (20,000 kernels, 65,536
  // characters).
  const limit = Math.min(options.maxChars ?? Infinity, options.maxBytes ?? Infinity)
  const room = Math.floor(limit / MIN_ROW)
  const all = comparison.tables.reduce((sum, t) => sum + t.items.length, 0)
  for (const level of LEVELS) {
    if (all <= room) {
      const text = build(comparison, options, { ...level, detailRows: Infinity, rows })
      if (fits(text)) return text
    }
    if (!fits(build(comparison, options, { ...level, detailRows: 0, rows }))) continue
    // As many rows of the full tables as fit: doubling from a few rows while they fit, then a
    // binary search between the last count that fit and the first that did not (each attempt
    // joins rendered rows). A comment holds some hundreds of rows where a table may have 20,000:
    // counts far past what fits are never rendered.
    let lo = 0
    let hi = Math.min(most, room)
    for (let count = FIRST_ROWS; count <= hi; count *= 2) {
      if (!fits(build(comparison, options, { ...level, detailRows: count, rows }))) {
        hi = count - 1
        break
      }
      lo = count
    }
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (fits(build(comparison, options, { ...level, detailRows: mid, rows }))) lo = mid
      else hi = mid - 1
    }
    return build(comparison, options, { ...level, detailRows: lo, rows })
  }
  // Even the verdict with no rows does not fit (absurd limits): the verdict alone, whole.
  return headingOnly(comparison, options)
}

function headingOnly(comparison: Comparison, options: MarkdownOptions): string {
  const lines = [heading(comparison.gate.verdict, options.title), '']
  lines.push(
    `_The report did not fit in this space${options.fullReport ? `; ${options.fullReport}` : ''}._`,
    ''
  )
  return lines.join('\n')
}

const VERDICT_HEADING: Readonly<Record<Verdict, string>> = {
  pass: '✅ {title}: no GPU performance regression',
  regression: '❌ {title}: GPU performance regression',
  inconclusive: '⚠️ {title}: inconclusive — the two sides cannot be compared honestly',
  accepted: '☑️ {title}: regression accepted'
}

/** The title of a report: `nsys-bench`, or `nsys-bench (<name>)` for a leg of a matrix. */
export function reportTitle(name: string): string {
  // Shortened as in the aggregate's table and summaries: a title so long that no report fits
  // under it would leave the report out.
  return name ? `nsys-bench (${markdownText(clip(name, TITLE_NAME_LENGTH))})` : 'nsys-bench'
}

/** Longest name in a report's title, in characters (a leg's name comes from an artifact). */
const TITLE_NAME_LENGTH = 100

function heading(verdict: Verdict, title = 'nsys-bench'): string {
  return `### ${VERDICT_HEADING[verdict].replace('{title}', title)}`
}

function build(comparison: Comparison, options: MarkdownOptions, budget: Budget): string {
  const out: string[] = []
  const trimmed = { rows: 0, notes: 0 }
  const { gate } = comparison
  out.push(heading(gate.verdict, options.title), '')
  if (gate.verdict === 'inconclusive') {
    out.push('> [!CAUTION]', '> This is not a pass: the comparison cannot be trusted because')
    for (const reason of gate.reasons) out.push(`> - ${noteText(reason)}`)
    out.push('')
  } else if (gate.verdict === 'accepted') {
    out.push(
      `> [!NOTE]`,
      `> ${noteText(gate.reasons[0] ?? { code: '', severity: 'info', message: '' })}`,
      ''
    )
  } else if (gate.verdict === 'regression' && gate.reasons[0]) {
    // What failed the check, in one line: a total (memory operations, GPU busy time) can fail it
    // with no item of its own regressed.
    out.push(`> [!IMPORTANT]`, `> ${noteText(gate.reasons[0])}`, '')
  }
  out.push(headline(comparison), '')
  const byCategory = categoryLineMarkdown(comparison)
  if (byCategory) out.push(byCategory, '')
  for (const line of options.context ?? []) out.push(line, '')
  out.push(limitsLine(comparison), '')
  const history = historyLine(comparison)
  if (history) out.push(history, '')
  const warnings = comparison.notes.filter((n) => n.severity === 'warning')
  const shownWarnings = warnings.slice(0, Math.max(budget.notes, 3))
  for (const note of shownWarnings) out.push(`> [!WARNING]\n> ${noteText(note)}\n`)
  trimmed.notes += warnings.length - shownWarnings.length

  const kernels = comparison.tables.find((t) => t.table === 'kernels')
  if (kernels) {
    const c = kernels.counts
    // Kernels that do not gate (totals-not-comparable, or a rules file) say so, as other tables do.
    const gated =
      c.regressed === 0 || kernels.items.some((i) => i.gated && i.status === 'regressed')
    section(
      out,
      `${gated ? '' : 'Reported, not gated: '}Regressions (${c.regressed})`,
      kernels,
      'regressed',
      budget,
      options,
      comparison
    )
    section(out, `Improvements (${c.improved})`, kernels, 'improved', budget, options, comparison)
    section(out, `New kernels (${c.new})`, kernels, 'new', budget, options, comparison)
    section(out, `Removed kernels (${c.removed})`, kernels, 'removed', budget, options, comparison)
  }
  // The other tables' regressions, those that gate first: what failed the check leads.
  const regressedTables = comparison.tables
    .filter(
      // Categories lead the report in one line (categoryLineMarkdown): no second list of them.
      (t) => t.table !== 'kernels' && t.table !== 'categories' && t.counts.regressed > 0
    )
    .map((table) => {
      const gated = gatedItemRegressed(table)
      // A table gated on its total (GPU busy and idle time): its items are what moved the total.
      const byTotal = !gated && table.total.gated && table.total.status === 'regressed'
      return { table, gated, byTotal }
    })
  const gating = (t: { gated: boolean; byTotal: boolean }): number => (t.gated || t.byTotal ? 0 : 1)
  regressedTables.sort((a, b) => gating(a) - gating(b))
  for (const { table, gated, byTotal } of regressedTables) {
    const label = TABLES[table.table].title
    section(
      out,
      `${gated ? '' : byTotal ? 'Gated on the total: ' : 'Reported, not gated: '}regressions in ${label} (${table.counts.regressed})`,
      table,
      'regressed',
      budget,
      options,
      comparison
    )
  }
  // A gated total that failed on what is new in it (a copy from pageable memory where the base
  // copied from pinned memory: another name): those items are what to look at.
  for (const table of comparison.tables) {
    if (table.table === 'kernels' || table.counts.new === 0) continue
    if (!totalFails(table)) continue
    section(
      out,
      `Gated on the total: new in ${TABLES[table.table].title} (${table.counts.new})`,
      table,
      'new',
      budget,
      options,
      comparison
    )
  }
  out.push(...timelineMarkdown(comparison, budget.sectionRows, trimmed))
  // A table read on both sides with no rows on either gets no block of its own (an empty
  // <details> says nothing when opened): one line names them all.
  const empty: string[] = []
  for (const table of comparison.tables) {
    if (table.items.length === 0 && table.ignored === 0) empty.push(TABLES[table.table].title)
    else details(out, table, budget, trimmed, comparison)
  }
  if (empty.length > 0) out.push(`_No rows on either side: ${empty.join(', ')}._`, '')

  const notes = comparison.notes.filter((n) => n.severity === 'info')
  const shownNotes = notes.slice(0, budget.notes)
  trimmed.notes += notes.length - shownNotes.length
  if (shownNotes.length > 0) {
    out.push(`<details><summary>Notes (${notes.length})</summary>`, '')
    for (const note of shownNotes) out.push(`- ${noteText(note)}`)
    out.push('', '</details>', '')
  }
  if (trimmed.rows > 0 || trimmed.notes > 0) {
    const what = [
      trimmed.rows > 0 ? plural(trimmed.rows, 'row') : '',
      trimmed.notes > 0 ? plural(trimmed.notes, 'note') : ''
    ]
      .filter(Boolean)
      .join(' and ')
    out.push(
      `_${what} not shown to keep this report within GitHub's size limit${options.fullReport ? `; ${options.fullReport}` : ''}._`,
      ''
    )
  }
  if (options.footer) out.push(`<sub>${options.footer}</sub>`, '')
  return out.join('\n')
}

function noteText(note: Note): string {
  return markdownText(clip(note.message, NOTE_LENGTH))
}

function headline(comparison: Comparison): string {
  const kernels = comparison.tables.find((t) => t.table === 'kernels')
  const parts: string[] = []
  if (kernels) {
    const t = kernels.total
    const over =
      t.status === 'regressed' && t.gated ? (t.accepted ? ', accepted' : ', over the limit') : ''
    parts.push(
      `**Total GPU kernel time:** ${formatValue('ns', t.base)} → ${formatValue('ns', t.head)} (**${formatPercent(t.deltaPct)}**${over})`
    )
    const c = kernels.counts
    parts.push(
      `${c.regressed} regressed · ${c.improved} improved · ${c.new} new · ${c.removed} removed kernels`
    )
  } else {
    parts.push('**No GPU kernel table on both sides**')
  }
  return parts.join(' · ')
}

function limitsLine(comparison: Comparison): string {
  const kernels = comparison.tables.find((t) => t.table === 'kernels')
  const runs = `Base: ${plural(comparison.runs.base, 'run')} · head: ${plural(comparison.runs.head, 'run')}`
  const method =
    comparison.method.kind === 'mann-whitney-u'
      ? comparison.method.attainable
        ? `Mann–Whitney U test at α = ${comparison.method.alpha}`
        : `Student's t on the runs' logarithms at α = ${comparison.method.alpha} (too few runs for Mann–Whitney)`
      : singleRunMethod(comparison)
  // Under threshold: auto each item has its own threshold; the table's is their floor.
  const threshold = comparison.rules.auto
    ? `its noise band (at least ${kernels?.total.threshold ?? 0}%, \`threshold: auto\`)`
    : `${kernels ? firstThreshold(kernels) : 0}%`
  const limits = kernels
    ? `a kernel counts when it moves by ≥ ${threshold} and ≥ ${formatValue('ns', firstFloor(kernels))}`
    : ''
  return `<sub>${[runs, method, limits].filter(Boolean).join(' · ')}</sub>`
}

function firstThreshold(table: TableDiff): number {
  return table.items.find((i) => i.rule === undefined)?.threshold ?? table.total.threshold
}

function firstFloor(table: TableDiff): number {
  return table.items.find((i) => i.rule === undefined)?.floor ?? table.total.floor
}

/**
 * The items of one status, as many as the budget allows. Those left out are rows of the table's
 * full table below: counted there (details), once, and pointed at here — at that table when it is
 * whole, else at the full report.
 */
function section(
  out: string[],
  title: string,
  table: TableDiff,
  status: Status,
  budget: Budget,
  options: MarkdownOptions,
  comparison: Comparison
): void {
  const items = table.items.filter((i) => i.status === status)
  if (items.length === 0) return
  out.push(`#### ${title}`, '')
  const shown = items.slice(0, budget.sectionRows)
  if (shown.length > 0) out.push(itemTable(table, shown, status, budget, comparison), '')
  if (shown.length < items.length) {
    const where =
      budget.detailRows >= table.items.length
        ? ' (see the full table below)'
        : options.fullReport
          ? `; ${options.fullReport}`
          : ' (see the JSON report)'
    const left = items.length - shown.length
    out.push(
      shown.length > 0 ? `_… and ${left} more${where}._` : `_${left} not listed here${where}._`,
      ''
    )
  }
}

function details(
  out: string[],
  table: TableDiff,
  budget: Budget,
  trimmed: { rows: number },
  comparison: Comparison
): void {
  const label = TABLES[table.table].title
  const c = table.counts
  const summary = [
    `${label}${perOccurrence(table) ? ', per occurrence (sum over items)' : ''}: ${formatValue(table.unit, table.total.base)} → ${formatValue(table.unit, table.total.head)} (${formatPercent(table.total.deltaPct)})`,
    `${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged`,
    table.gated ? '' : table.total.gated ? 'gated on the total' : 'not gated'
  ]
    .filter(Boolean)
    .join(' · ')
  out.push(`<details><summary>${summary}</summary>`, '')
  const shown = table.items.slice(0, budget.detailRows)
  if (shown.length > 0) out.push(itemTable(table, shown, undefined, budget, comparison), '')
  if (shown.length < table.items.length) {
    out.push(`_${plural(table.items.length - shown.length, 'row')} not shown._`, '')
    trimmed.rows += table.items.length - shown.length
  }
  if (table.ignored > 0) out.push(`_${plural(table.ignored, 'item')} ignored by rules._`, '')
  out.push('</details>', '')
}

/** The name cell: the name, a variant change as `old → new`, a cut name with its group size. */
function nameCell(item: ItemDiff, table: TableDiff, maxLength: number): string {
  if (item.variant) {
    // A family's names differ in their arguments, often inside: shortened apart.
    const shown = shortenApart([...item.variant.base, ...item.variant.head], maxLength)
    const side = (names: string[]): string => listed(names, 3, (n) => codeSpan(shown(n)))
    return `${side(item.variant.base)} → ${side(item.variant.head)}`
  }
  const shared = Math.max(item.base?.sharedBy ?? 0, item.head?.sharedBy ?? 0)
  const what = table.table === 'kernels' ? 'kernels' : 'names'
  return (
    codeSpan(shownName(table, maxLength)(item.name)) +
    (shared > 1 ? ` (${shared} ${what} share this cut name)` : '')
  )
}

/** A table's names as shown at a length, told apart (shortenApart). */
function shownName(table: TableDiff, maxLength: number): (name: string) => string {
  return shortenApartOf(table, () => table.items.map((i) => i.name), maxLength)
}

function itemTable(
  table: TableDiff,
  items: ItemDiff[],
  status: Status | undefined,
  budget: Budget,
  comparison: Comparison
): string {
  const unit = table.unit
  const what = TABLES[table.table].item
  const repeated = comparison.method.kind === 'mann-whitney-u'
  // Per-occurrence tables (NVTX phases) compare the time per occurrence, not the total.
  const each = perOccurrence(table) ? ' per occurrence' : ''
  const counted = perOccurrence(table) ? 'Occurrences' : 'Instances'
  if (status === 'new' || status === 'removed') {
    // One side only: the head's numbers for a new item, the base's for a removed one.
    const side = status === 'new' ? 'head' : 'base'
    return tableText(
      [what, `${status === 'new' ? 'Head' : 'Base'}${each}`, counted, `Share of ${side}`],
      ['l', 'r', 'r', 'r'],
      items,
      (i) => [
        nameCell(i, table, budget.nameLength),
        formatValue(unit, i[side]?.value ?? 0),
        formatCount(count(table, i[side]) ?? 0),
        formatShare(i.sharePct)
      ],
      budget
    )
  }
  const header = [
    what,
    ...(status === 'unchanged' || status === undefined || items.some((i) => i.variant || i.accepted)
      ? ['Status']
      : []),
    `Base${each}`,
    `Head${each}`,
    'Δ',
    'Δ %',
    counted,
    'Share'
  ]
  const withStatus = header[1] === 'Status'
  if (repeated) header.push('p', 'CI of Δ %')
  // A regressed or improved row: the limit that applied (threshold: auto) and its trend.
  const columns = historyColumns(comparison)
  const moved = status === 'regressed' || status === 'improved'
  const limit = moved && columns.limit
  const trend = moved && columns.trend
  // One run a side with a GPU trace: the launch-by-launch test (compare/launches.ts).
  const launches = !repeated && items.some((i) => i.launches)
  if (launches) header.push('p (launches)', 'Launch p50', 'Launch p99')
  if (limit) header.push('Limit')
  if (trend) header.push('Trend')
  const cells = (i: ItemDiff): string[] => {
    const row = [
      nameCell(i, table, budget.nameLength),
      ...(withStatus ? [statusLabel(i)] : []),
      i.base ? formatValue(unit, i.base.value) : '—',
      i.head ? formatValue(unit, i.head.value) : '—',
      formatDelta(unit, i.delta),
      formatPercent(i.deltaPct),
      instances(table, i),
      formatShare(i.sharePct)
    ]
    if (repeated) {
      const s = i.significance
      row.push(
        s ? formatP(s.p) : '',
        s ? `${formatPercent(s.ciLowPct)} … ${formatPercent(s.ciHighPct)}` : ''
      )
    }
    if (launches) {
      const l = i.launches
      row.push(
        l
          ? `${formatP(l.p)}${l.byCount ? ` (launches ${l.base.launches} → ${l.head.launches})` : ''}`
          : '',
        l ? `${formatDuration(l.base.p50)} → ${formatDuration(l.head.p50)}` : '',
        l ? `${formatDuration(l.base.p99)} → ${formatDuration(l.head.p99)}` : ''
      )
    }
    if (limit) row.push(limitCell(i))
    if (trend) row.push(trendCell(i))
    return row
  }
  const align = header.map((_, k) => (k === 0 || (withStatus && k === 1) ? 'l' : 'r'))
  return tableText(header, align, items, cells, budget)
}

/**
 * A Markdown table of items. Without aligned delimiters a row's line does not depend on the
 * other rows, so each is rendered once (`budget.rows`) and the table is the header and the lines.
 */
function tableText(
  header: string[],
  align: string[],
  items: readonly ItemDiff[],
  cells: (item: ItemDiff) => string[],
  budget: Budget
): string {
  const options = { align, alignDelimiters: false }
  const head = markdownTable([header], options)
  const key = `${budget.nameLength}\u0000${header.join('\u0000')}`
  let lines = budget.rows?.get(key)
  if (!lines) {
    lines = new Map()
    budget.rows?.set(key, lines)
  }
  const out = [head]
  for (const item of items) {
    let line = lines.get(item)
    if (line === undefined) {
      line = markdownTable([header, cells(item)], options).slice(head.length + 1)
      lines.set(item, line)
    }
    out.push(line)
  }
  return out.join('\n')
}

function instances(table: TableDiff, item: ItemDiff): string {
  const b = count(table, item.base)
  const h = count(table, item.head)
  if (b === undefined || h === undefined) return formatCount(b ?? h ?? 0)
  return b === h ? formatCount(b) : `${formatCount(b)} → ${formatCount(h)}`
}

function perOccurrence(table: TableDiff): boolean {
  return table.measure === 'perOccurrence'
}

/** What the count column shows: instances, or a per-occurrence table's occurrences. */
function count(table: TableDiff, stat: ItemDiff['base']): number | undefined {
  if (!stat) return undefined
  return perOccurrence(table) ? occurrencesOf(stat) : stat.instances
}

function statusLabel(item: ItemDiff): string {
  const base =
    item.status !== 'unchanged' || !item.reason
      ? STATUS_LABEL[item.status]
      : `unchanged (${REASON_LABEL[item.reason]})`
  const parts = [base]
  if (item.variant) parts.push(`variant changed (${markdownText(clip(item.variant.family, 120))})`)
  if (item.accepted) {
    const by =
      item.accepted.by === 'label'
        ? `label ${markdownText(item.accepted.label ?? '')}`
        : `rules file until ${item.accepted.until ?? '?'}: ${markdownText(clip(item.accepted.reason, 120))}`
    parts.push(`☑️ accepted (${by})`)
  }
  return parts.join(', ')
}

const REASON_LABEL: Readonly<Record<NonNullable<ItemDiff['reason']>, string>> = {
  'below-threshold': 'under threshold',
  'below-floor': 'under floor',
  'not-significant': 'not significant'
}

const STATUS_LABEL: Readonly<Record<Status, string>> = {
  regressed: '🔴 regressed',
  improved: '🟢 improved',
  unchanged: 'unchanged',
  new: '🆕 new',
  removed: '➖ removed'
}

/** A profile on its own (no baseline yet): headline totals and the top kernels. */
export function renderProfileMarkdown(
  profile: Profile,
  options: { title?: string; context?: string[]; rows?: number } = {}
): string {
  const out: string[] = [
    `### ${options.title ?? 'nsys-bench'}: profile recorded, no baseline to compare with`,
    ''
  ]
  for (const line of options.context ?? []) out.push(line)
  out.push('')
  const kernels = profile.tables.kernels
  for (const name of TABLE_NAMES) {
    const table = profile.tables[name]
    if (!table) continue
    out.push(
      `- ${TABLES[name].title}: ${table.size === 0 ? 'no data' : `${plural(table.size, 'item')}, ${formatValue(TABLES[name].unit, tableTotal(table))}`}`
    )
  }
  out.push('')
  if (kernels && kernels.size > 0) {
    const total = tableTotal(kernels)
    const rows = sortedRows(kernels).slice(0, options.rows ?? 20)
    out.push(`#### Top ${rows.length} GPU kernels`, '')
    out.push(
      markdownTable(
        [
          ['Kernel', 'Total', 'Instances', 'Share'],
          ...rows.map(([, s]) => [
            codeSpan(s.name, 160),
            formatValue('ns', s.total),
            formatCount(s.instances),
            formatShare(total > 0 ? (s.total / total) * 100 : 0)
          ])
        ],
        { align: ['l', 'r', 'r', 'r'], alignDelimiters: false }
      ),
      ''
    )
  }
  const notes = profile.meta.notes
  for (const note of notes.slice(0, 20)) out.push(`> ${noteText(note)}`, '')
  if (notes.length > 20) out.push(`_${plural(notes.length - 20, 'more note')} not shown._`, '')
  return out.join('\n')
}

/** Where a run was measured, for the report's context lines (profile metadata is untrusted). */
export function environmentLine(label: string, profile: Profile | undefined): string | undefined {
  if (!profile) return undefined
  const parts: string[] = []
  const gpus = profile.meta.gpus ?? []
  const first = gpus[0]
  if (first) {
    const details = [
      first.driver ? `driver ${first.driver}` : '',
      first.cuda ? `CUDA ${first.cuda}` : '',
      first.clocks ?? ''
    ].filter(Boolean)
    const count = gpus.length > 1 ? `${gpus.length} × ` : ''
    parts.push(`${count}${first.name}${details.length > 0 ? ` (${details.join(', ')})` : ''}`)
  }
  const { profiler } = profile.meta
  if (profiler.name !== 'nsys')
    parts.push(
      `profiler ${clip(profiler.name, 40)}${profiler.version ? ` ${clip(profiler.version, 40)}` : ''}`
    )
  else if (profiler.version) parts.push(`Nsight Systems ${profiler.version}`)
  if (profile.meta.runner) parts.push(`runner ${profile.meta.runner}`)
  if (parts.length === 0) return undefined
  return `${label}: ${markdownText(clip(parts.join(' · '), 400))}.`
}
