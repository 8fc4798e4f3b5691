import { markdownTable } from 'markdown-table'
import type {
  Aggregate,
  AggregateVerdict,
  Leg,
  LegResult,
  LegVerdict
} from '../compare/aggregate.js'
import { legRank } from '../compare/aggregate.js'
import type { ItemDiff, TableDiff } from '../compare/compare.js'
import { tableTotal } from '../profile/model.js'
import { clip, listed } from '../text.js'
import { codeBlock, codeSpan, htmlText, inlineCode, markdownText } from './escape.js'
import { formatDelta, formatPercent, formatValue, plural } from './format.js'
import {
  renderCache,
  renderMarkdown,
  renderProfileMarkdown,
  reportTitle,
  type MarkdownOptions,
  type RenderCache
} from './markdown.js'

/**
 * One report for a matrix of legs (GPUs, models): the comment and the job summary of
 * `mode: aggregate`. First a table, one row per leg, worst first (its verdict and why, the total
 * GPU kernel time base → head, the counts of regressed, improved, new and removed kernels, the
 * top regression); then each leg's own report (markdown.ts) folded in `<details>`. Under a size
 * limit, the legs' reports are trimmed leg by leg — each gets an equal share of the room left by
 * the table, and what a short report does not use goes to the others — with a visible note
 * saying which were shortened or left out. Everything from a leg (its name, its messages, its
 * kernels) is escaped here or by the builders it reuses.
 */
export interface AggregateLeg extends Leg {
  /** Trusted Markdown lines for the leg's report: its baseline, its head, the environments. */
  context?: string[]
  /** Trusted Markdown: where the leg's untrimmed report is. */
  fullReport?: string
}

/** The report's frame and limits, as for one comparison's report (markdown.ts). */
export type AggregateOptions = Pick<
  MarkdownOptions,
  'maxChars' | 'maxBytes' | 'prefix' | 'title' | 'context' | 'fullReport' | 'footer'
>

/** How the table shrinks when it alone does not fit: shorter reasons and names. */
const TABLE_LEVELS = [
  { reasons: 300, name: 100 },
  { reasons: 120, name: 60 },
  { reasons: 0, name: 40 }
] as const
type TableLevel = (typeof TABLE_LEVELS)[number]

/** Longest failure message shown in a leg's details (the results carry at most 4,000). */
const FAILURE_LENGTH = 4000

const HEADING: Readonly<Record<AggregateVerdict, string>> = {
  regression: '❌ {title}: GPU performance regression in {n} of {m}',
  inconclusive: '⚠️ {title}: inconclusive — {n} of {m} without a trustworthy verdict',
  accepted: '☑️ {title}: regressions accepted in {n} of {m}',
  pass: '✅ {title}: no GPU performance regression in {m}',
  'no-baseline': '{title}: {m} profiled, no baseline to compare with yet'
}

const LABEL: Readonly<Record<LegVerdict, string>> = {
  regression: '❌ regression',
  inconclusive: '⚠️ inconclusive',
  accepted: '☑️ accepted',
  pass: '✅ pass',
  'no-baseline': '🆕 no baseline yet',
  error: '❗ error',
  missing: '❗ no results'
}

/** A leg whose details were cut (`i`: its row). */
interface Cut {
  i: number
  name: string
  how: 'shortened' | 'left out'
}

interface Row {
  leg: AggregateLeg
  result: LegResult
  /** The leg's name as shown (`distinct`). */
  name: string
}

export function renderAggregateMarkdown(
  legs: readonly AggregateLeg[],
  aggregate: Aggregate,
  options: AggregateOptions = {}
): string {
  const prefix = options.prefix ?? ''
  const bytes = options.maxChars === undefined && options.maxBytes !== undefined
  const limit = options.maxChars ?? options.maxBytes ?? Infinity
  const measure = (text: string): number => (bytes ? Buffer.byteLength(text, 'utf8') : text.length)
  const fits = (text: string): boolean => measure(prefix) + measure(text) <= limit

  // Worst first, then by name: the legs to look at are on top, and rows cut are passes.
  const shown = distinct(legs.map((l) => l.name))
  const rows: Row[] = legs
    .map((leg, i) => ({
      leg,
      result: aggregate.legs[i] ?? legFallback(leg),
      name: shown.get(leg.name) ?? leg.name
    }))
    .sort(
      (a, b) =>
        legRank(a.result.verdict) - legRank(b.result.verdict) ||
        (a.leg.name < b.leg.name ? -1 : a.leg.name > b.leg.name ? 1 : 0)
    )

  // Room for the note saying what was cut: at most every leg, in both of its lists. The note
  // names the first few of each list, which may be any legs: those with the longest names.
  const longest = rows
    .map((r, i) => ({ i, name: r.name, size: measure(noteName(r.name)) }))
    .sort((a, b) => b.size - a.size || a.i - b.i)
  const every = (how: Cut['how']): Cut[] => longest.map(({ i, name }) => ({ i, name, how }))
  const reserve = measure(
    trimNote([...every('shortened'), ...every('left out')], options.fullReport)
  )
  // The table, a short stand-in for every leg's details and that note must fit; then the legs'
  // reports share what is left. Failing that, shorter cells; then no details; then fewer rows.
  let layout: { level: TableLevel; shown: number; details: boolean } | undefined
  const skeleton = (level: TableLevel, shown: number, details: boolean): string =>
    assemble(rows, aggregate, options, level, shown, details ? rows.map(standIn) : undefined, [])
  for (const level of TABLE_LEVELS) {
    const text = skeleton(level, rows.length, true)
    if (fits(text) && measure(prefix) + measure(text) + reserve <= limit) {
      layout = { level, shown: rows.length, details: true }
      break
    }
  }
  const last = TABLE_LEVELS[TABLE_LEVELS.length - 1] as TableLevel
  if (!layout && fits(skeleton(last, rows.length, false)))
    layout = { level: last, shown: rows.length, details: false }
  if (!layout) {
    let lo = 0
    let hi = rows.length
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      if (fits(skeleton(last, mid, false))) lo = mid
      else hi = mid - 1
    }
    layout = { level: last, shown: lo, details: false }
  }
  // (With no row at all, it may still not fit: absurd limits get the heading and the note.)
  if (!layout.details) return skeleton(layout.level, layout.shown, false)

  // Each leg's full report, or as much of it as its share allows.
  const standIns = rows.map(standIn)
  let room = limit - measure(prefix) - measure(skeleton(layout.level, rows.length, true)) - reserve
  const full = rows.map((r) => fullDetails(r.leg, r.name))
  const need = full.map((text, i) => Math.max(0, measure(text) - measure(standIns[i] ?? '')))
  const bodies: string[] = [...standIns]
  const trimmed: Cut[] = []
  const order = need.map((n, i) => ({ n, i })).sort((a, b) => a.n - b.n || a.i - b.i)
  for (const [k, { n, i }] of order.entries()) {
    const share = Math.floor(Math.max(0, room) / (order.length - k))
    const row = rows[i] as Row
    if (n <= share) {
      bodies[i] = full[i] as string
      room -= n
      continue
    }
    const allowed = measure(standIns[i] ?? '') + share
    const shorter = shortened(row.leg, row.name, allowed, bytes)
    if (shorter !== undefined && measure(shorter) <= allowed) {
      bodies[i] = shorter
      room -= Math.max(0, measure(shorter) - measure(standIns[i] ?? ''))
      trimmed.push({ i, name: row.name, how: 'shortened' })
    } else {
      trimmed.push({ i, name: row.name, how: 'left out' })
    }
  }
  trimmed.sort((a, b) => a.i - b.i)
  const text = assemble(rows, aggregate, options, layout.level, rows.length, bodies, trimmed)
  // The room above is reserved so that this always fits; were it ever not to, no details.
  return fits(text) ? text : skeleton(layout.level, rows.length, false)
}

/**
 * Each leg's name as shown: as it is, but where two legs' names differ only in Unicode
 * normalisation (`é` as one code point or as `e` and a combining accent), which look the same,
 * their combining marks shown as code points (`e\u{301}`), so that the rows can be told apart.
 */
function distinct(names: readonly string[]): Map<string, string> {
  const byForm = new Map<string, Set<string>>()
  for (const name of names) {
    const form = name.normalize('NFC')
    const set = byForm.get(form) ?? new Set<string>()
    set.add(name)
    byForm.set(form, set)
  }
  const shown = new Map<string, string>()
  for (const set of byForm.values()) {
    if (set.size < 2) continue
    for (const name of set)
      shown.set(
        name,
        name.replace(/\p{M}/gu, (mark) => `\\u{${(mark.codePointAt(0) ?? 0).toString(16)}}`)
      )
  }
  return shown
}

/** A leg the aggregate has no result for (it always should): treated as unusable. */
function legFallback(leg: Leg): LegResult {
  return { name: leg.name, verdict: 'error', reasons: [], regressions: 0, improvements: 0 }
}

function assemble(
  rows: readonly Row[],
  aggregate: Aggregate,
  options: AggregateOptions,
  level: TableLevel,
  shown: number,
  bodies: readonly string[] | undefined,
  trimmed: readonly Cut[]
): string {
  const out: string[] = [heading(aggregate, options.title ?? 'nsys-bench'), '']
  if (rows.length === 0) {
    for (const reason of aggregate.reasons) out.push(`> ${markdownText(clip(reason.message, 400))}`)
    out.push('')
  } else out.push(countsLine(aggregate.legs), '')
  for (const line of options.context ?? []) out.push(line, '')
  if (rows.length > 0) {
    if (shown > 0) out.push(legTable(rows.slice(0, shown), level), '')
    if (shown < rows.length) {
      out.push(
        `_${plural(rows.length - shown, shown > 0 ? 'more leg' : 'leg')} not shown, nor any leg's details, to keep this report within GitHub's size limit${options.fullReport ? `; ${options.fullReport}` : ''}._`,
        ''
      )
    } else if (!bodies) {
      out.push(
        `_The legs' details are not shown, to keep this report within GitHub's size limit${options.fullReport ? `; ${options.fullReport}` : ''}._`,
        ''
      )
    }
  }
  if (trimmed.length > 0) out.push(trimNote(trimmed, options.fullReport), '')
  if (bodies) {
    for (const [i, row] of rows.entries()) {
      out.push(
        `<details><summary>${summaryText(row)}</summary>`,
        '',
        bodies[i] ?? '',
        '</details>',
        ''
      )
    }
  }
  if (options.footer) out.push(`<sub>${options.footer}</sub>`, '')
  return out.join('\n')
}

function heading(aggregate: Aggregate, title: string): string {
  const legs = aggregate.legs
  const count = (verdicts: readonly LegVerdict[]): number =>
    legs.filter((l) => verdicts.includes(l.verdict)).length
  const n =
    aggregate.verdict === 'regression'
      ? count(['regression'])
      : aggregate.verdict === 'inconclusive'
        ? count(['inconclusive', 'error', 'missing'])
        : aggregate.verdict === 'accepted'
          ? count(['accepted'])
          : legs.length
  if (legs.length === 0) return `### ⚠️ ${title}: inconclusive — no leg's results were found`
  // A pass says what was compared: legs without a baseline yet were not.
  const fresh = count(['no-baseline'])
  if (aggregate.verdict === 'pass' && fresh > 0)
    return `### ✅ ${title}: no GPU performance regression in ${plural(legs.length - fresh, 'leg')} compared (${fresh} without a baseline yet)`
  return `### ${HEADING[aggregate.verdict]
    .replace('{title}', title)
    .replace('{n}', String(n))
    .replace('{m}', plural(legs.length, 'leg'))}`
}

/** `**Legs:** 1 ❌ regression · 1 ❗ error · 2 ✅ pass`, worst first. */
function countsLine(legs: readonly LegResult[]): string {
  const counts = new Map<LegVerdict, number>()
  for (const l of legs) counts.set(l.verdict, (counts.get(l.verdict) ?? 0) + 1)
  const parts = [...counts.entries()]
    .sort((a, b) => legRank(a[0]) - legRank(b[0]) || (a[0] < b[0] ? -1 : 1))
    .map(([verdict, n]) => `${n} ${LABEL[verdict]}`)
  return `**Legs:** ${parts.join(' · ')}`
}

function legTable(rows: readonly Row[], level: TableLevel): string {
  const header = [
    'Leg',
    'Verdict',
    'Total GPU kernel time',
    'Regressed',
    'Improved',
    'New',
    'Removed',
    'Top regression'
  ]
  const body = rows.map((row) => {
    const kernels = kernelTable(row.leg)
    const counts = kernels
      ? [
          kernels.counts.regressed,
          kernels.counts.improved,
          kernels.counts.new,
          kernels.counts.removed
        ].map(String)
      : ['—', '—', '—', '—']
    return [
      legName(row.name, level.name),
      verdictCell(row, level.reasons),
      totalCell(row.leg, kernels),
      ...counts,
      topRegression(row.leg, level.name)
    ]
  })
  return markdownTable([header, ...body], {
    align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
    alignDelimiters: false
  })
}

function legName(name: string, max: number): string {
  return name === '' ? '_(no name)_' : codeSpan(name, max)
}

function kernelTable(leg: Leg): TableDiff | undefined {
  return leg.outcome.kind === 'compared'
    ? leg.outcome.comparison.tables.find((t) => t.table === 'kernels')
    : undefined
}

/** The verdict and why: the comparison's reasons, or the leg's failure. */
function verdictCell(row: Row, max: number): string {
  const { outcome } = row.leg
  const label = LABEL[row.result.verdict]
  let why = ''
  switch (outcome.kind) {
    case 'compared':
      why = listed(row.result.reasons, 3, (n) => n.message, ' ')
      break
    case 'failed':
      why = `failed before a verdict: ${outcome.message}`
      break
    case 'unusable':
      why = `results not usable: ${outcome.message}`
      break
    case 'missing':
      why =
        outcome.near && outcome.near.length > 0
          ? `the leg left no results, but ${listed(outcome.near, 3, (n) => `"${n}"`)} did: names differ only in case or Unicode normalisation (see its details)`
          : 'the leg left no results (see its details)'
      break
    case 'no-baseline':
      why = ''
  }
  return why && max > 0 ? `${label}: ${markdownText(clip(why, max))}` : label
}

function totalCell(leg: Leg, kernels: TableDiff | undefined): string {
  if (kernels) {
    const t = kernels.total
    return `${formatValue('ns', t.base)} → ${formatValue('ns', t.head)} (${formatPercent(t.deltaPct)})`
  }
  if (leg.outcome.kind === 'no-baseline') {
    const table = leg.outcome.profile.tables.kernels
    return table ? `— → ${formatValue('ns', tableTotal(table))}` : '—'
  }
  return '—'
}

/**
 * The regression that cost the most: the kernel whose time grew the most (an accepted one says
 * so); without regressed kernels, the first regressed item of another table (categories aside).
 */
function topRegression(leg: Leg, max: number): string {
  if (leg.outcome.kind !== 'compared') return '—'
  const tables = leg.outcome.comparison.tables
  const kernels = tables.find((t) => t.table === 'kernels')
  // Not a category: it sums kernels, and the column names one item to look at.
  const others = tables.filter((t) => t !== kernels && t.table !== 'categories')
  const ordered = kernels ? [kernels, ...others] : others
  for (const table of ordered) {
    let top: ItemDiff | undefined
    for (const item of table.items) {
      if (item.status !== 'regressed') continue
      if (!top || Math.abs(item.delta) > Math.abs(top.delta)) top = item
    }
    if (top) {
      return `${codeSpan(top.name, max)} ${formatPercent(top.deltaPct)} (${formatDelta(table.unit, top.delta)})${top.accepted ? ', accepted' : ''}`
    }
  }
  return '—'
}

function summaryText(row: Row): string {
  const name = row.name === '' ? '(no name)' : htmlText(clip(row.name, 100))
  return `${LABEL[row.result.verdict]} · leg ${name}`
}

/** What a leg's details say when they did not fit. */
function standIn(row: Row): string {
  return `_This leg's report did not fit in this space${row.leg.fullReport ? `; ${row.leg.fullReport}` : ''}._\n`
}

/**
 * Kept per leg across the renderings of one report (the comment and the summary start from the
 * same whole reports): its whole details, and its rendered rows.
 */
const fullCache = new WeakMap<AggregateLeg, { name: string; text: string }>()
const rowCache = new WeakMap<AggregateLeg, RenderCache>()

function rowsOf(leg: AggregateLeg): RenderCache {
  let cache = rowCache.get(leg)
  if (!cache) {
    cache = renderCache()
    rowCache.set(leg, cache)
  }
  return cache
}

/** A leg's details, whole (kept: the comment and the summary both start from them). */
function fullDetails(leg: AggregateLeg, name: string): string {
  const cached = fullCache.get(leg)
  if (cached?.name === name) return cached.text
  const text = details(leg, name, {})
  fullCache.set(leg, { name, text })
  return text
}

/** A leg's details trimmed to `allowed` (only a comparison trims; the others are short). */
function shortened(
  leg: AggregateLeg,
  name: string,
  allowed: number,
  bytes: boolean
): string | undefined {
  if (leg.outcome.kind !== 'compared') return undefined
  return details(leg, name, bytes ? { maxBytes: allowed } : { maxChars: allowed })
}

function details(
  leg: AggregateLeg,
  name: string,
  limits: { maxChars?: number; maxBytes?: number }
): string {
  const { outcome } = leg
  const title = reportTitle(name)
  switch (outcome.kind) {
    case 'compared':
      return renderMarkdown(outcome.comparison, {
        title,
        context: leg.context ?? [],
        ...(leg.fullReport ? { fullReport: leg.fullReport } : {}),
        ...limits,
        cache: rowsOf(leg)
      })
    case 'no-baseline':
      return renderProfileMarkdown(outcome.profile, { title, context: leg.context ?? [] })
    case 'failed':
      return [
        `The leg failed before a verdict; its message:`,
        '',
        codeBlock(clip(outcome.message, FAILURE_LENGTH)),
        ''
      ].join('\n')
    case 'unusable':
      return [
        `The leg's results could not be used:`,
        '',
        codeBlock(clip(outcome.message, FAILURE_LENGTH)),
        ''
      ].join('\n')
    case 'missing':
      return (
        `The leg left no results in this run: it failed before nsys-bench wrote any (a step before it failed, the job was cancelled or timed out, the runner was lost), or it did not run. It has no verdict, so the whole is inconclusive.\n` +
        (outcome.near && outcome.near.length > 0
          ? `\n${outcome.near.length === 1 ? 'A leg' : 'Legs'} named ${listed(outcome.near, 5, (n) => inlineCode(n, 100))} left results: names differ only in case or Unicode normalisation, and are matched exactly. Spell the leg in \`expected-legs\` as its \`name\` is.\n`
          : '')
      )
  }
}

/** A leg's name in the note of what was cut. */
function noteName(name: string): string {
  return name === '' ? '(no name)' : inlineCode(name, 60)
}

function trimNote(trimmed: readonly Cut[], fullReport: string | undefined): string {
  const names = (how: Cut['how']): string =>
    listed(
      trimmed.filter((t) => t.how === how),
      10,
      (t) => noteName(t.name)
    )
  const shortened = trimmed.filter((t) => t.how === 'shortened').length
  const leftOut = trimmed.length - shortened
  const were = (n: number): string => `${plural(n, 'leg')} ${n === 1 ? 'was' : 'were'}`
  const parts = [
    shortened > 0 ? `the details of ${were(shortened)} shortened (${names('shortened')})` : '',
    leftOut > 0
      ? shortened > 0
        ? `those of ${plural(leftOut, 'leg')} left out (${names('left out')})`
        : `the details of ${were(leftOut)} left out (${names('left out')})`
      : ''
  ].filter(Boolean)
  return `_To keep this report within GitHub's size limit, ${parts.join(' and ')}${fullReport ? `; ${fullReport}` : ''}._`
}
