import { markdownTable } from 'markdown-table'
import type { Comparison, ItemDiff, Status, TableDiff } from '../compare/compare.js'
import { sortedRows } from '../profile/json.js'
import { TABLE_LABEL, TABLE_NAMES, TABLE_UNIT, tableTotal, type Profile } from '../profile/model.js'
import { codeSpan, markdownText } from './escape.js'
import {
  formatCount,
  formatDelta,
  formatP,
  formatPercent,
  formatShare,
  formatValue,
  plural
} from './format.js'

/**
 * The Markdown report: one builder for the PR comment and the job summary. Verdict and headline
 * numbers first, then regressions, improvements, new and removed kernels, then every table in
 * `<details>`. It keeps under a size limit by trimming rows, with a visible note saying so.
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
}

export const COMMENT_LIMIT = 65_536
export const SUMMARY_LIMIT_BYTES = 1024 * 1024

interface Budget {
  sectionRows: number
  detailRows: number
  nameLength: number
}

/** Trimming levels: fewer rows in the visible sections, shorter names. */
const LEVELS: Omit<Budget, 'detailRows'>[] = [
  { sectionRows: Infinity, nameLength: 200 },
  { sectionRows: 100, nameLength: 160 },
  { sectionRows: 50, nameLength: 120 },
  { sectionRows: 20, nameLength: 100 },
  { sectionRows: 10, nameLength: 80 },
  { sectionRows: 5, nameLength: 60 },
  { sectionRows: 0, nameLength: 60 }
]

export function renderMarkdown(comparison: Comparison, options: MarkdownOptions = {}): string {
  const prefix = options.prefix ?? ''
  const fits = (text: string): boolean =>
    (options.maxChars === undefined || prefix.length + text.length <= options.maxChars) &&
    (options.maxBytes === undefined || Buffer.byteLength(prefix + text, 'utf8') <= options.maxBytes)
  const most = Math.max(0, ...comparison.tables.map((t) => t.items.length))
  let text = ''
  for (const level of LEVELS) {
    text = build(comparison, options, { ...level, detailRows: Infinity })
    if (fits(text)) return text
    if (!fits(build(comparison, options, { ...level, detailRows: 0 }))) continue
    // As many rows of the full tables as fit (binary search: rendering is linear in rows).
    let lo = 0
    let hi = most
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (fits(build(comparison, options, { ...level, detailRows: mid }))) lo = mid
      else hi = mid - 1
    }
    return build(comparison, options, { ...level, detailRows: lo })
  }
  // Only the headline is left and it still does not fit (absurd limits): cut it, visibly.
  const limit = Math.max(0, (options.maxChars ?? text.length) - prefix.length - 200)
  return `${text.slice(0, limit)}\n\n_(report cut at ${limit} characters)_\n`
}

function build(comparison: Comparison, options: MarkdownOptions, budget: Budget): string {
  const out: string[] = []
  const trimmed = { rows: 0 }
  const regression = comparison.verdict === 'regression'
  const title = options.title ?? 'nsys-bench'
  out.push(
    `### ${regression ? '❌' : '✅'} ${title}: ${regression ? 'GPU performance regression' : 'no GPU performance regression'}`
  )
  out.push('')
  out.push(headline(comparison))
  out.push('')
  for (const line of options.context ?? []) out.push(line, '')
  out.push(limitsLine(comparison))
  out.push('')
  for (const note of warnings(comparison)) out.push(`> [!WARNING]\n> ${note}\n`)

  const kernels = comparison.tables.find((t) => t.table === 'kernels')
  if (kernels) {
    section(
      out,
      `Regressions (${kernels.counts.regressed})`,
      kernels,
      'regressed',
      budget,
      trimmed,
      comparison
    )
    section(
      out,
      `Improvements (${kernels.counts.improved})`,
      kernels,
      'improved',
      budget,
      trimmed,
      comparison
    )
    section(out, `New kernels (${kernels.counts.new})`, kernels, 'new', budget, trimmed, comparison)
    section(
      out,
      `Removed kernels (${kernels.counts.removed})`,
      kernels,
      'removed',
      budget,
      trimmed,
      comparison
    )
  }
  for (const table of comparison.tables) {
    if (table.table === 'kernels' || table.counts.regressed === 0) continue
    const label = TABLE_LABEL[table.table].title
    const gated = table.items.some((i) => i.gated && i.status === 'regressed')
    section(
      out,
      `${gated ? '' : 'Reported, not gated: '}regressions in ${label} (${table.counts.regressed})`,
      table,
      'regressed',
      budget,
      trimmed,
      comparison
    )
  }
  for (const table of comparison.tables) details(out, table, budget, trimmed, comparison)

  const notes = comparison.notes.filter((n) => !isWarning(n))
  if (notes.length > 0) {
    out.push(`<details><summary>Notes (${notes.length})</summary>`, '')
    for (const note of notes) out.push(`- ${markdownText(note)}`)
    out.push('', '</details>', '')
  }
  if (trimmed.rows > 0) {
    out.push(
      `_${plural(trimmed.rows, 'row')} not shown to keep this report within GitHub's size limit${options.fullReport ? `; ${options.fullReport}` : ''}._`,
      ''
    )
  }
  if (options.footer) out.push(`<sub>${options.footer}</sub>`, '')
  return out.join('\n')
}

function headline(comparison: Comparison): string {
  const kernels = comparison.tables.find((t) => t.table === 'kernels')
  const parts: string[] = []
  if (kernels) {
    const t = kernels.total
    parts.push(
      `**Total GPU kernel time:** ${formatValue('ns', t.base)} → ${formatValue('ns', t.head)} (**${formatPercent(t.deltaPct)}**${t.status === 'regressed' && t.gated ? ', over the limit' : ''})`
    )
    const c = kernels.counts
    parts.push(
      `${c.regressed} regressed · ${c.improved} improved · ${c.new} new · ${c.removed} removed kernels`
    )
  } else {
    parts.push('**No GPU kernel data on both sides**')
  }
  return parts.join(' · ')
}

function limitsLine(comparison: Comparison): string {
  const kernels = comparison.tables.find((t) => t.table === 'kernels')
  const runs = `Base: ${plural(comparison.runs.base, 'run')} · head: ${plural(comparison.runs.head, 'run')}`
  const method =
    comparison.method.kind === 'mann-whitney-u'
      ? `Mann–Whitney U test at α = ${comparison.method.alpha}${comparison.method.attainable ? '' : ' (not attainable with these runs)'}`
      : 'one run a side: thresholds only, no significance test'
  const limits = kernels
    ? `a kernel counts when it moves by ≥ ${firstThreshold(kernels)}% and ≥ ${formatValue('ns', firstFloor(kernels))}`
    : ''
  return `<sub>${[runs, method, limits].filter(Boolean).join(' · ')}</sub>`
}

function firstThreshold(table: TableDiff): number {
  return table.items.find((i) => i.rule === undefined)?.threshold ?? table.items[0]?.threshold ?? 0
}

function firstFloor(table: TableDiff): number {
  return table.items.find((i) => i.rule === undefined)?.floor ?? table.items[0]?.floor ?? 0
}

/** Notes that must be seen, not folded away. */
function isWarning(note: string): boolean {
  return /^(Different GPUs|Different Nsight Systems|With \d+ base and|\d+ base runs? against)/.test(
    note
  )
}

function warnings(comparison: Comparison): string[] {
  const list = comparison.notes.filter(isWarning).map(markdownText)
  if (
    comparison.method.kind === 'single-run' &&
    comparison.runs.base === 1 &&
    comparison.runs.head === 1
  ) {
    list.push(
      'One run a side: changes are judged on the thresholds alone, with no significance test. Set `repetitions` to 5 or more for a test.'
    )
  }
  return list
}

function section(
  out: string[],
  heading: string,
  table: TableDiff,
  status: Status,
  budget: Budget,
  trimmed: { rows: number },
  comparison: Comparison
): void {
  const items = table.items.filter((i) => i.status === status)
  if (items.length === 0) return
  out.push(`#### ${heading}`, '')
  const shown = items.slice(0, budget.sectionRows)
  if (shown.length > 0) out.push(itemTable(table, shown, status, budget, comparison), '')
  if (shown.length < items.length) {
    out.push(
      `_… and ${items.length - shown.length} more (see the full table below or the JSON report)._`,
      ''
    )
    trimmed.rows += items.length - shown.length
  }
}

function details(
  out: string[],
  table: TableDiff,
  budget: Budget,
  trimmed: { rows: number },
  comparison: Comparison
): void {
  const label = TABLE_LABEL[table.table].title
  const c = table.counts
  const summary = [
    `${label}: ${formatValue(table.unit, table.total.base)} → ${formatValue(table.unit, table.total.head)} (${formatPercent(table.total.deltaPct)})`,
    `${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged`,
    table.gated ? '' : 'not gated'
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

function itemTable(
  table: TableDiff,
  items: ItemDiff[],
  status: Status | undefined,
  budget: Budget,
  comparison: Comparison
): string {
  const unit = table.unit
  const what = TABLE_LABEL[table.table].item
  const repeated = comparison.method.kind === 'mann-whitney-u'
  if (status === 'new' || status === 'removed') {
    // One side only: the head's numbers for a new item, the base's for a removed one.
    const side = status === 'new' ? 'head' : 'base'
    return markdownTable(
      [
        [what, status === 'new' ? 'Head' : 'Base', 'Instances', `Share of ${side}`],
        ...items.map((i) => [
          codeSpan(i.name, budget.nameLength),
          formatValue(unit, i[side]?.total ?? 0),
          formatCount(i[side]?.instances ?? 0),
          formatShare(i.sharePct)
        ])
      ],
      { align: ['l', 'r', 'r', 'r'], alignDelimiters: false }
    )
  }
  const header = [
    what,
    ...(status ? [] : ['Status']),
    'Base',
    'Head',
    'Δ',
    'Δ %',
    'Instances',
    'Share'
  ]
  if (repeated) header.push('p', 'CI of Δ %')
  const rows = items.map((i) => {
    const row = [
      codeSpan(i.name, budget.nameLength),
      ...(status ? [] : [statusLabel(i)]),
      i.base ? formatValue(unit, i.base.total) : '—',
      i.head ? formatValue(unit, i.head.total) : '—',
      formatDelta(unit, i.delta),
      formatPercent(i.deltaPct),
      instances(i),
      formatShare(i.sharePct)
    ]
    if (repeated) {
      const s = i.significance
      row.push(
        s ? formatP(s.p) : '',
        s ? `${formatPercent(s.ciLowPct)} … ${formatPercent(s.ciHighPct)}` : ''
      )
    }
    return row
  })
  const align = header.map((_, k) => (k === 0 || (!status && k === 1) ? 'l' : 'r'))
  return markdownTable([header, ...rows], { align, alignDelimiters: false })
}

function instances(item: ItemDiff): string {
  const b = item.base?.instances
  const h = item.head?.instances
  if (b === undefined || h === undefined) return formatCount(b ?? h ?? 0)
  return b === h ? formatCount(b) : `${formatCount(b)} → ${formatCount(h)}`
}

function statusLabel(item: ItemDiff): string {
  if (item.status !== 'unchanged' || !item.reason) return STATUS_LABEL[item.status]
  return `unchanged (${REASON_LABEL[item.reason]})`
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
      `- ${TABLE_LABEL[name].title}: ${table.size === 0 ? 'no data' : `${plural(table.size, 'item')}, ${formatValue(TABLE_UNIT[name], tableTotal(table))}`}`
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
  for (const note of profile.meta.notes) out.push(`> ${markdownText(note)}`, '')
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
  if (profile.meta.profiler.version) parts.push(`Nsight Systems ${profile.meta.profiler.version}`)
  if (profile.meta.runner) parts.push(`runner ${profile.meta.runner}`)
  if (parts.length === 0) return undefined
  return `${label}: ${markdownText(parts.join(' · '))}.`
}
