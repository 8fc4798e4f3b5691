import type { Comparison, ItemDiff, Status, TableDiff } from '../compare/compare.js'
import { crypto, zlib } from '../lazy-node.js'
import { gatedItemRegressed, totalFails, type Verdict } from '../compare/gate.js'
import { occurrencesOf, TABLES, type Note, type Profile, type Unit } from '../profile/model.js'
import { clip, listed, visible } from '../text.js'
import { shorten, shortenApart, shortenApartOf } from './escape.js'
import {
  formatCount,
  formatDelta,
  formatP,
  formatPercent,
  formatShare,
  formatValue,
  plural,
  singleRunMethod
} from './format.js'
import { client } from './html/client.js'
import {
  detailData,
  launchSides,
  shapesByKernel,
  trendData,
  type DetailData,
  type LaunchSides
} from './html/details.js'
import {
  phasesData,
  shownName,
  timelineData,
  type PhasesData,
  type TimelineData
} from './html/sections.js'
import { STYLE } from './html/style.js'

/**
 * The HTML report: one self-contained file (report.html) that a browser opens from disk. Nothing
 * is fetched: the script and the style are inline, allowed by their hashes in a
 * Content-Security-Policy that forbids every request (docs/html-report.md).
 *
 * The verdict, its reasons, the headline numbers, the breakdown by table and the notes are HTML
 * written here. The tables (regressions, improvements, new and removed, every table in full) and
 * the charts are drawn by the inline script from the report's data: rows with their cells already
 * formatted here (the same numbers as the Markdown), sort keys, per regressed or improved item
 * the values a chart needs, and per kernel its details (launch distributions, launch test,
 * shapes: html/details.ts); then the GPU timeline and the NVTX phases (html/sections.ts). The
 * data is JSON in a `<script type="application/json">` element, escaped so that nothing in it can
 * end that element; a large report's JSON is gzipped and base64 encoded (20,000 kernels with long
 * templated names: 9.3 MB of JSON, a 0.78 MB report; 2.67 MB with every kernel's launch
 * distributions).
 *
 * Everything from a profile is hostile: text here goes through `pageText` (entities, invisible
 * characters shown as `\u{…}`); the script sets data only as text (`textContent`, attribute
 * values), never as markup, and the policy enforces Trusted Types, so that an HTML sink would throw.
 */
export interface HtmlOptions {
  /** Shown after "nsys-bench" (a leg's name): untrusted text. */
  name?: string
  /** Lines under the headline (head commit, workflow run): untrusted text. */
  context?: string[]
  /** Gzip the data when its JSON is longer than this many UTF-16 code units. Default 1 MiB. */
  compressAbove?: number
  /**
   * The runs compared, for what the comparison does not keep: the per-launch sketches of the
   * kernels (`kernelLaunches`), drawn as each kernel's launch distributions. Without them the
   * report has no distributions (everything else comes from the comparison).
   */
  runs?: { base: readonly Profile[]; head: readonly Profile[] }
}

/** The longest name kept in the data, in code points (middle-shortened beyond). */
export const NAME_LIMIT = 1000
const DEFAULT_COMPRESS_ABOVE = 1024 * 1024
/** Notes shown; the rest are counted. */
const NOTE_LIMIT = 200
const NOTE_LENGTH = 1000

/** The report's data, read by the inline script (src/render/html/client.js). */
export interface ReportData {
  tables: TableData[]
  views: ViewData[]
  /** The GPU timeline section, where a side had a GPU trace. */
  timeline?: TimelineData
  /** The NVTX phases section, where both sides had NVTX ranges in GPU time. */
  phases?: PhasesData
}

export interface TableData {
  title: string
  item: string
  /** Column titles after the name and the status. */
  columns: string[]
  rows: RowData[]
}

/** One item: name, status, shown cells, sort keys, and a chart for a regressed or improved one. */
export interface RowData {
  /** The name as shown (invisible characters as `\u{…}`, at most NAME_LIMIT code points). */
  n: string
  /** Status: its place in STATUS_ORDER. */
  s: number
  /** Status text. */
  t: string
  /** Cells (formatted), one per column. */
  c: string[]
  /** Sort keys, one per column (null: no value, sorted last). */
  k: (number | null)[]
  g?: ChartData
  /** A kernel's details (launch distributions, launch test, shapes), shown when expanded. */
  x?: DetailData
  /**
   * The name as the cell shows it, where the page's own shortening (client.js, `shortName`)
   * would make it read like another row's (src/render/escape.ts, shortenApart).
   */
  a?: string
}

/**
 * A chart: the base's and the head's per-run values (one each with a single run a side), the
 * axis' ends and their labels, and what it shows in words (the SVG's title).
 */
export interface ChartData {
  b: number[]
  h: number[]
  lo: number
  hi: number
  lt: string
  ht: string
  d: string
}

/** A section the script fills: which table, which statuses, with charts or not. */
export interface ViewData {
  id: string
  table: number
  statuses: number[]
  charts: boolean
}

export type { DetailData, DistData, ShapeData, TrendData } from './html/details.js'
export type { PhasesData, TimelineData } from './html/sections.js'

export const STATUS_ORDER: readonly Status[] = [
  'regressed',
  'improved',
  'new',
  'removed',
  'unchanged'
]

const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  pass: 'No GPU performance regression',
  regression: 'GPU performance regression',
  inconclusive: 'Inconclusive — the two sides cannot be compared honestly',
  accepted: 'Regression accepted'
}

export function renderHtml(comparison: Comparison, options: HtmlOptions = {}): string {
  const views = viewsOf(comparison)
  const data: ReportData = {
    ...reportData(comparison, options.runs),
    views: views.map(({ id, table, statuses, charts }) => ({ id, table, statuses, charts }))
  }
  const script = `(${client.toString()})();`
  const policy = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(STYLE)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'"
  ].join('; ')
  const title = `nsys-bench${options.name ? ` (${clip(options.name, 100)})` : ''}`
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${pageText(`${title}: ${VERDICT_TEXT[comparison.gate.verdict]}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body class="verdict-${comparison.gate.verdict}">`,
    '<main>',
    ...header(comparison, title, options),
    ...breakdown(comparison),
    ...sections(
      views.filter((v) => !v.full),
      data
    ),
    ...sections(
      views.filter((v) => v.full),
      undefined
    ),
    ...notes(comparison.notes),
    `<footer>${pageText(`${comparison.tool.name} ${comparison.tool.version} · compared on ${comparison.today}`)}</footer>`,
    '</main>',
    `<script type="application/json" id="report-data">${embedded(data, options.compressAbove ?? DEFAULT_COMPRESS_ABOVE)}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    ''
  ]
  return out.join('\n')
}

/**
 * Untrusted text in HTML text or a quoted attribute value: invisible characters shown as
 * `\u{…}` (bidi overrides, NUL, line breaks), then `& < > " '` as entities.
 */
function pageText(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>` and `&` as `\u003c`, … (so
 * neither `</script` nor `<!--` can appear), U+2028 and U+2029 as escapes (JavaScript before
 * ES2019 ends lines there); JSON.parse reads it back unchanged.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => {
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}

/** The data element's text: the JSON itself, or gzipped and base64-encoded when it is large. */
function embedded(data: ReportData, compressAbove: number): string {
  const json = JSON.stringify(data)
  if (json.length <= compressAbove) return scriptJson({ encoding: 'json', report: data })
  const packed = zlib().gzipSync(Buffer.from(json, 'utf8'), { level: 9 }).toString('base64')
  return scriptJson({ encoding: 'gzip+base64', data: packed })
}

function sha256(text: string): string {
  return `sha256-${crypto().createHash('sha256').update(text, 'utf8').digest('base64')}`
}

function header(comparison: Comparison, title: string, options: HtmlOptions): string[] {
  const { gate } = comparison
  const out = [
    '<header>',
    `<p class="tool">${pageText(title)}</p>`,
    `<h1 id="verdict" data-verdict="${gate.verdict}">${pageText(VERDICT_TEXT[gate.verdict])}</h1>`
  ]
  if (gate.verdict === 'inconclusive')
    out.push('<p>This is not a pass: the comparison cannot be trusted because</p>')
  if (gate.reasons.length > 0) {
    out.push('<ul id="reasons">')
    for (const reason of gate.reasons)
      out.push(
        `<li><code>${pageText(reason.code)}</code> ${pageText(clip(reason.message, NOTE_LENGTH))}</li>`
      )
    out.push('</ul>')
  }
  const kernels = comparison.tables.find((t) => t.table === 'kernels')
  if (kernels) {
    const t = kernels.total
    const c = kernels.counts
    out.push(
      `<p class="headline">Total GPU kernel time <strong>${pageText(formatValue('ns', t.base))} → ${pageText(formatValue('ns', t.head))}</strong> (<strong>${pageText(formatPercent(t.deltaPct))}</strong>) · ${c.regressed} regressed · ${c.improved} improved · ${c.new} new · ${c.removed} removed kernels</p>`
    )
  } else out.push('<p class="headline">No GPU kernel table on both sides.</p>')
  const method =
    comparison.method.kind === 'mann-whitney-u'
      ? comparison.method.attainable
        ? `Mann–Whitney U test at α = ${comparison.method.alpha}`
        : `Student's t on the runs' logarithms at α = ${comparison.method.alpha} (too few runs for Mann–Whitney)`
      : singleRunMethod(comparison)
  const lines = [
    `Base: ${plural(comparison.runs.base, 'run')} · head: ${plural(comparison.runs.head, 'run')} · ${method}`,
    environment('Base', comparison.meta.base),
    environment('Head', comparison.meta.head),
    ...(options.context ?? []).map((line) => clip(line, 400))
  ].filter((line): line is string => line !== undefined)
  for (const line of lines) out.push(`<p class="context">${pageText(line)}</p>`)
  out.push('</header>')
  return out
}

/** Where a side was measured (profile metadata: untrusted). */
function environment(label: string, meta: Profile['meta']): string | undefined {
  const parts: string[] = []
  const gpus = meta.gpus ?? []
  const first = gpus[0]
  if (first) {
    const details = [
      first.driver ? `driver ${first.driver}` : '',
      first.cuda ? `CUDA ${first.cuda}` : ''
    ].filter(Boolean)
    parts.push(
      `${gpus.length > 1 ? `${gpus.length} × ` : ''}${first.name}${details.length ? ` (${details.join(', ')})` : ''}`
    )
  }
  const { profiler } = meta
  if (profiler.name !== 'nsys')
    parts.push(
      `profiler ${clip(profiler.name, 40)}${profiler.version ? ` ${clip(profiler.version, 40)}` : ''}`
    )
  else if (profiler.version) parts.push(`Nsight Systems ${profiler.version}`)
  if (meta.runner) parts.push(`runner ${meta.runner}`)
  return parts.length > 0 ? `${label}: ${clip(parts.join(' · '), 400)}` : undefined
}

function breakdown(comparison: Comparison): string[] {
  if (comparison.tables.length === 0) return []
  const out = [
    '<section id="breakdown">',
    '<h2>Breakdown by table</h2>',
    // In a narrow window the table scrolls, not the page.
    '<div class="scroll"><table>',
    '<thead><tr><th>Table</th><th>Base</th><th>Head</th><th>Δ</th><th>Δ %</th><th>Regressed</th><th>Improved</th><th>New</th><th>Removed</th><th>Unchanged</th><th>Gated</th></tr></thead>',
    '<tbody>'
  ]
  for (const table of comparison.tables) {
    const t = table.total
    const c = table.counts
    const cells = [
      formatValue(table.unit, t.base),
      formatValue(table.unit, t.head),
      formatDelta(table.unit, t.delta),
      formatPercent(t.deltaPct),
      String(c.regressed),
      String(c.improved),
      String(c.new),
      String(c.removed),
      String(c.unchanged),
      table.gated ? (t.gated ? 'items and total' : 'items') : t.gated ? 'total' : 'no'
    ]
    // A per-occurrence table's total is a sum of times per occurrence, not a time spent: said so,
    // as in the Markdown and the text.
    const label = `${TABLES[table.table].title}${perOccurrence(table) ? ', per occurrence (sum over items)' : ''}`
    out.push(
      `<tr class="status-${t.status}"><th scope="row">${pageText(label)}</th>${cells.map((cell) => `<td>${pageText(cell)}</td>`).join('')}</tr>`
    )
  }
  out.push('</tbody>', '</table></div>', '</section>')
  return out
}

/** A section the script fills, with its heading. */
interface View extends ViewData {
  /** Heading text (a `<summary>` for the full tables). */
  heading: string
  full: boolean
  open: boolean
}

/**
 * The sections: regressions and improvements of each table that has them (with charts), new and
 * removed kernels, then every table in full.
 */
function viewsOf(comparison: Comparison): View[] {
  const views: View[] = []
  const add = (table: number, statuses: Status[], heading: string, charts: boolean): void => {
    views.push({
      id: `view-${views.length}`,
      table,
      statuses: statuses.map((s) => STATUS_ORDER.indexOf(s)),
      charts,
      heading,
      full: false,
      open: true
    })
  }
  // The kernels, then the tables whose regressions failed the check, then the others: what
  // failed it leads, as in the Markdown.
  const failing = (t: TableDiff): boolean => gatedItemRegressed(t) || totalFails(t)
  const rank = (t: TableDiff): number => (t.table === 'kernels' ? 0 : failing(t) ? 1 : 2)
  const ordered = [...comparison.tables.entries()].sort(([, a], [, b]) => rank(a) - rank(b))
  for (const [i, table] of ordered) {
    const label = TABLES[table.table].title
    const kernels = table.table === 'kernels'
    const c = table.counts
    if (c.regressed > 0)
      add(
        i,
        ['regressed'],
        `${kernels ? 'Regressions' : `Regressions in ${label}`} (${c.regressed})`,
        true
      )
    // A gated total that failed on what is new in it (a copy renamed from pinned to pageable):
    // what is new comes next.
    if (!kernels && c.new > 0 && totalFails(table))
      add(i, ['new'], `New in ${label} (${c.new})`, false)
    if (c.improved > 0)
      add(
        i,
        ['improved'],
        `${kernels ? 'Improvements' : `Improvements in ${label}`} (${c.improved})`,
        true
      )
    if (kernels && c.new > 0) add(i, ['new'], `New kernels (${c.new})`, false)
    if (kernels && c.removed > 0) add(i, ['removed'], `Removed kernels (${c.removed})`, false)
  }
  for (const [i, table] of comparison.tables.entries()) {
    // A table with no rows on either side has its line in the breakdown, and no empty section.
    if (table.items.length === 0 && table.ignored === 0) continue
    const c = table.counts
    views.push({
      id: `view-${views.length}`,
      table: i,
      statuses: STATUS_ORDER.map((_, k) => k),
      charts: false,
      heading: `${TABLES[table.table].title}: ${plural(table.items.length, 'item')} · ${c.regressed} regressed, ${c.improved} improved, ${c.new} new, ${c.removed} removed, ${c.unchanged} unchanged${table.ignored > 0 ? ` · ${plural(table.ignored, 'item')} ignored by rules` : ''}${table.gated ? '' : table.total.gated ? ' · gated on the total' : ' · not gated'}`,
      full: true,
      open: table.table === 'kernels'
    })
  }
  return views
}

/**
 * Sections the script fills. With `data`: the first sections (regressions, …), then the GPU
 * timeline and the NVTX phases where the data has them; without: the full tables.
 */
function sections(views: readonly View[], data: ReportData | undefined): string[] {
  const out = data
    ? [
        '<noscript><p class="warning">The tables and charts of this report are drawn by its script: allow JavaScript for this file (comparison.json holds the same numbers).</p></noscript>'
      ]
    : []
  let fullHeading = false
  for (const view of views) {
    if (!view.full) {
      out.push(
        `<section class="view" id="${view.id}"><h2>${pageText(view.heading)}</h2><div class="view-body"></div></section>`
      )
      continue
    }
    if (!fullHeading) out.push('<h2 id="full-tables">Full tables</h2>')
    fullHeading = true
    out.push(
      `<details class="view" id="${view.id}"${view.open ? ' open' : ''}><summary>${pageText(view.heading)}</summary><div class="view-body"></div></details>`
    )
  }
  if (data?.timeline)
    out.push(
      `<section id="gpu-timeline"><h2>GPU timeline: idle gaps</h2><div class="timeline-body"></div></section>`
    )
  if (data?.phases)
    out.push(
      `<section id="nvtx-phases"><h2>NVTX phases: GPU time per occurrence</h2><div class="phases-body"></div></section>`
    )
  return out
}

function notes(all: readonly Note[]): string[] {
  if (all.length === 0) return []
  const out = ['<section id="notes">', `<h2>Notes (${all.length})</h2>`, '<ul>']
  const shown = [...all]
    .sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity])
    .slice(0, NOTE_LIMIT)
  for (const note of shown)
    out.push(
      `<li class="note-${note.severity}"><span class="severity">${note.severity}</span> <code>${pageText(note.code)}</code> ${pageText(clip(note.message, NOTE_LENGTH))}</li>`
    )
  out.push('</ul>')
  if (all.length > shown.length)
    out.push(
      `<p>${plural(all.length - shown.length, 'more note')} not shown (comparison.json has them all).</p>`
    )
  out.push('</section>')
  return out
}

const SEVERITY: Readonly<Record<Note['severity'], number>> = { error: 0, warning: 1, info: 2 }

/**
 * The data the script draws from: every table's rows with the kernels' details, the timeline and
 * the NVTX phases (no views yet). `runs`: see HtmlOptions.runs.
 */
export function reportData(
  comparison: Comparison,
  runs?: { base: readonly Profile[]; head: readonly Profile[] }
): ReportData {
  const repeated = comparison.method.kind === 'mann-whitney-u'
  const launches: LaunchSides = runs ? launchSides(runs) : { base: undefined, head: undefined }
  const shapes = shapesByKernel(
    comparison.tables.find((t) => t.table === 'kernelShapes'),
    (status) => STATUS_ORDER.indexOf(status)
  )
  const data: ReportData = {
    tables: comparison.tables.map((table) =>
      tableData(
        table,
        repeated,
        // Kernels: launches, shapes and the trend; every other table's items: the trend.
        table.table === 'kernels'
          ? (item) => detailData(item, launches, shapes, table.unit)
          : (item) => {
              const tr = trendData(item, table.unit)
              return tr ? { tr } : undefined
            }
      )
    ),
    views: []
  }
  const timeline = timelineData(comparison)
  if (timeline) data.timeline = timeline
  const phases = phasesData(comparison, (item) => STATUS_ORDER.indexOf(item.status), statusText)
  if (phases) data.phases = phases
  return data
}

function tableData(
  table: TableDiff,
  repeated: boolean,
  details: ((item: ItemDiff) => DetailData | undefined) | undefined
): TableData {
  // Per-occurrence tables (NVTX phases) compare the time per occurrence, counted in occurrences
  // (a kernel's launches are not its range's occurrences), as in the Markdown.
  const each = perOccurrence(table) ? ' per occurrence' : ''
  const columns = [
    `Base${each}`,
    `Head${each}`,
    'Δ',
    'Δ %',
    perOccurrence(table) ? 'Occurrences' : 'Instances',
    'Share'
  ]
  if (repeated) columns.push('p', 'CI of Δ %')
  return {
    title: TABLES[table.table].title,
    item: TABLES[table.table].item,
    columns,
    rows: table.items.map((item) => {
      const row = rowData(item, table, repeated)
      const x = details?.(item)
      if (x) row.x = x
      return row
    })
  }
}

function rowData(item: ItemDiff, table: TableDiff, repeated: boolean): RowData {
  const unit = table.unit
  const base = item.base?.value
  const head = item.head?.value
  const counted = count(table, item.head) ?? count(table, item.base) ?? null
  const cells = [
    base === undefined ? '—' : formatValue(unit, base),
    head === undefined ? '—' : formatValue(unit, head),
    formatDelta(unit, item.delta),
    formatPercent(item.deltaPct),
    countText(item, table),
    formatShare(item.sharePct)
  ]
  const keys: (number | null)[] = [
    base ?? null,
    head ?? null,
    item.delta,
    item.deltaPct,
    counted,
    item.sharePct
  ]
  if (repeated) {
    const s = item.significance
    const finite = (n: number | undefined): number | null =>
      n !== undefined && Number.isFinite(n) ? n : null
    cells.push(
      s ? formatP(s.p) : '',
      s ? `${formatPercent(s.ciLowPct)} … ${formatPercent(s.ciHighPct)}` : ''
    )
    keys.push(finite(s?.p), finite(s?.ciLowPct))
  }
  const row: RowData = {
    n: nameText(item, table),
    s: STATUS_ORDER.indexOf(item.status),
    t: statusText(item, table.total.gated),
    c: cells,
    k: keys
  }
  if (
    (item.status === 'regressed' || item.status === 'improved') &&
    base !== undefined &&
    head !== undefined
  )
    row.g = chartData(item, unit, base, head)
  if (!item.variant) {
    const shown = apartName(table, item.name)
    if (shown !== undefined) row.a = shownName(shown, Infinity)
  } else if ([...row.n].length > SHOWN_NAME) {
    // The page would cut `old → new` in its middle, the arrow with it: each name shortened
    // (apart from the others) to fit both sides in the cell instead.
    row.a = variantText(item.variant, Math.floor((SHOWN_NAME - 3) / 2))
  }
  return row
}

/** What the page's cells show of a name at most (client.js, SHOWN_NAME). */
const SHOWN_NAME = 160

/**
 * The cell's text of a name that the page's shortening would show like another name of its
 * table (kernels of one template that differ only inside), undefined for every other name.
 */
function apartName(table: TableDiff, name: string): string | undefined {
  const shown = shortenApartOf(table, () => table.items.map((i) => i.name), SHOWN_NAME)(name)
  return shown === shorten(name, SHOWN_NAME) ? undefined : shown
}

/** A variant change as `old → new`, each name at most `max` (shortened apart: a family's names differ inside). */
function variantText(variant: NonNullable<ItemDiff['variant']>, max: number): string {
  const apart = shortenApart([...variant.base, ...variant.head], max)
  const side = (names: string[]): string =>
    listed(names, 3, (n) => shownName(apart(n), Infinity), ' + ')
  return `${side(variant.base)} → ${side(variant.head)}`
}

/** The name as shown: the name, a variant change as `old → new`, a cut name with its group size. */
function nameText(item: ItemDiff, table: TableDiff): string {
  if (item.variant) return variantText(item.variant, 300)
  const shared = Math.max(item.base?.sharedBy ?? 0, item.head?.sharedBy ?? 0)
  const what = table.table === 'kernels' ? 'kernels' : 'names'
  return (
    shownName(item.name, NAME_LIMIT) +
    (shared > 1 ? ` (${shared} ${what} share this cut name)` : '')
  )
}

const REASON_TEXT: Readonly<Record<NonNullable<ItemDiff['reason']>, string>> = {
  'below-threshold': 'under threshold',
  'below-floor': 'under floor',
  'not-significant': 'not significant'
}

/** `totalGated`: the item's table gates on its total (GPU busy and idle time), not item by item. */
function statusText(item: ItemDiff, totalGated = false): string {
  const parts: string[] = [
    item.status === 'unchanged' && item.reason
      ? `unchanged (${REASON_TEXT[item.reason]})`
      : item.status
  ]
  if (item.variant) parts.push(`variant changed (${visible(clip(item.variant.family, 120))})`)
  if (item.accepted) {
    const by =
      item.accepted.by === 'label'
        ? `label ${visible(clip(item.accepted.label ?? '', 100))}`
        : `rules file until ${item.accepted.until ?? '?'}: ${visible(clip(item.accepted.reason, 120))}`
    parts.push(`accepted (${by})`)
  }
  if (!item.gated && item.status === 'regressed')
    parts.push(totalGated ? 'gated on the total' : 'not gated')
  return parts.join(', ')
}

function perOccurrence(table: TableDiff): boolean {
  return table.measure === 'perOccurrence'
}

/** What the count column shows: instances, or a per-occurrence table's occurrences. */
function count(table: TableDiff, stat: ItemDiff['base']): number | undefined {
  if (!stat) return undefined
  return perOccurrence(table) ? occurrencesOf(stat) : stat.instances
}

function countText(item: ItemDiff, table: TableDiff): string {
  const b = count(table, item.base)
  const h = count(table, item.head)
  if (b === undefined || h === undefined) return formatCount(b ?? h ?? 0)
  return b === h ? formatCount(b) : `${formatCount(b)} → ${formatCount(h)}`
}

/**
 * A chart's data. With repeated runs, every run's value of each side (a dot each) on an axis from
 * the smallest to the largest value, padded; with one run a side, a bar each from zero.
 */
function chartData(item: ItemDiff, unit: Unit, base: number, head: number): ChartData {
  const b = item.samples?.base ?? [base]
  const h = item.samples?.head ?? [head]
  const all = [...b, ...h]
  const max = Math.max(...all)
  let lo = 0
  let hi = max > 0 ? max : 1
  if (b.length > 1 || h.length > 1) {
    const min = Math.min(...all)
    const pad = (max - min) * 0.08 || Math.abs(max) * 0.05 || 1
    lo = Math.max(0, min - pad)
    hi = max + pad
  }
  const side = (label: string, values: number[], median: number): string =>
    values.length > 1
      ? `${label}: ${values.length} runs from ${formatValue(unit, Math.min(...values))} to ${formatValue(unit, Math.max(...values))}, median ${formatValue(unit, median)}`
      : `${label}: ${formatValue(unit, median)}`
  return {
    b,
    h,
    lo,
    hi,
    lt: formatValue(unit, lo),
    ht: formatValue(unit, hi),
    d: `${side('base', b, base)}; ${side('head', h, head)} (${formatPercent(item.deltaPct)})`
  }
}
