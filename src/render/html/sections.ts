import { GAP_CLASSES } from '../../analyze/idle.js'
import type { Comparison, ItemDiff, TableDiff } from '../../compare/compare.js'
import { NVTX_KERNEL_SEPARATOR } from '../../profile/keys.js'
import type { DeviceTimeline, Gap } from '../../profile/timeline.js'
import { visible } from '../../text.js'
import { shorten } from '../escape.js'
import { formatCount, formatDelta, formatDuration, formatPercent, formatValue } from '../format.js'
import { timelineView } from '../timeline.js'

/**
 * The data of the HTML report's timeline sections (docs/html-report.md), drawn by the script:
 *
 * - the GPU timeline (`gpuTimeline`): per device, the figures base vs head (window, busy,
 *   utilisation, idle, the gaps by class) and each side's longest gaps placed on the run's time
 *   axis, with the activity before and after each;
 * - the NVTX phases (`nvtxGpu`, `nvtxKernels`): GPU time per occurrence of each range, base vs
 *   head, with the kernels launched inside it.
 *
 * Every cell is formatted here (the Markdown's functions); every name is shown with invisible
 * characters written out and shortened in the middle, and the script sets it as text only.
 */

export interface TimelineData {
  devices: DeviceData[]
  /** Busy time of the least busy device against the busiest, per side, in words. */
  imbalance?: string
  /** Activities that came too far out of order to be placed exactly, in words. */
  late?: string
  /** Which run of each side the figures are from, in words, where a side had several runs. */
  runs?: string
}

export interface DeviceData {
  device: number
  /** The rank whose GPU it is, where the run's traces were one per rank (shown as the Markdown's). */
  rank?: number
  /** Rows: label, base, head, change. */
  rows: string[][]
  /** One lane a side that has the device, on one time scale (the longer window is 1). */
  lanes: LaneData[]
  /** The longer window, in words (the axis' end). */
  al: string
  /** The longest gaps, TABLE_GAPS a side, the head's first: side, rank, length, start in the
   * window, before, after. */
  gaps: string[][]
}

export interface LaneData {
  side: 'base' | 'head'
  /** The window's length as a fraction of the longer window. */
  w: number
  /** The window in words. */
  l: string
  /** The longest gaps: rank, position and width as fractions of the longer window (x null when the
   * profile did not record the window's start), and a tooltip. */
  g: { r: number; x: number | null; w: number; t: string }[]
}

export interface PhasesData {
  rows: PhaseRow[]
  /** The largest value drawn (the bars' scale), and its label. */
  max: number
  ml: string
  /** Phases not shown (the full table has them). */
  more: number
}

export interface PhaseRow {
  n: string
  s: number
  t: string
  /** Per-occurrence GPU time of each side (null: not on that side). */
  b: number | null
  h: number | null
  /** Cells: base, head, Δ %, occurrences. */
  c: string[]
  /** The kernels launched inside the range: name and cells as above. */
  k: { n: string; c: string[] }[]
  /** Kernels of the range not listed. */
  km: number
}

const NAME = 300

/**
 * A name as the report shows it: at most `max` code points (shortened in the middle), invisible
 * characters as `\u{…}`, and a name of nothing but spaces with each space as `\u{20}` (as in the
 * comment, src/render/escape.ts): a blank cell would be told from no other such name, nor from an
 * empty one.
 */
export function shownName(name: string, max: number): string {
  const text = visible(shorten(name, max))
  return BLANK.test(text) ? text.replace(/ /g, '\\u{20}') : text
}

const BLANK = /^ +$/
/** Phases drawn, and kernels listed per phase. */
const PHASES = 60
const PHASE_KERNELS = 25
/** Gaps a side listed in the table (the lanes draw every gap the profile keeps). */
const TABLE_GAPS = 5

export function timelineData(comparison: Comparison): TimelineData | undefined {
  const view = timelineView(comparison)
  if (!view) return undefined
  const devices = view.devices.map(({ device, rank, base, head }) => {
    const data = deviceData(device, base, head)
    if (rank !== undefined) data.rank = rank
    return data
  })
  const out: TimelineData = { devices }
  if (view.runs) out.runs = view.runs
  const { imbalance } = view
  if (imbalance.base !== undefined || imbalance.head !== undefined)
    out.imbalance = `Imbalance between ${view.ranks ? 'ranks' : 'GPUs'} (1 − least busy / busiest): ${pct(imbalance.base) ?? '–'} → ${pct(imbalance.head) ?? '–'}.`
  const late = view.devices.reduce((n, d) => n + (d.base?.late ?? 0) + (d.head?.late ?? 0), 0)
  if (late > 0)
    out.late = `${late} activities came too far out of order in the trace to be placed exactly: these figures are approximate.`
  return out
}

function pct(value: number | undefined): string | undefined {
  return value === undefined ? undefined : `${value.toFixed(1)}%`
}

function deviceData(
  device: number,
  base: DeviceTimeline | undefined,
  head: DeviceTimeline | undefined
): DeviceData {
  const both = base !== undefined && head !== undefined
  const time = (label: string, of: (d: DeviceTimeline) => number): string[] => [
    label,
    base ? formatDuration(of(base)) : '–',
    head ? formatDuration(of(head)) : '–',
    both ? formatDelta('ns', of(head) - of(base)) : ''
  ]
  const use = (d: DeviceTimeline | undefined): number | undefined =>
    d && d.window > 0 ? (d.busy / d.window) * 100 : undefined
  const ub = use(base)
  const uh = use(head)
  const rows = [
    time('Window', (d) => d.window),
    time('Busy', (d) => d.busy),
    [
      'Utilisation',
      pct(ub) ?? '–',
      pct(uh) ?? '–',
      ub !== undefined && uh !== undefined ? `${formatPoints(uh - ub)}` : ''
    ],
    time('Idle', (d) => d.idle),
    ...GAP_CLASSES.map((label, c) => {
      const g = (d: DeviceTimeline | undefined): string =>
        d?.gaps[c] ? `${formatCount(d.gaps[c].count)} · ${formatDuration(d.gaps[c].total)}` : '–'
      const change =
        both && base.gaps[c] && head.gaps[c]
          ? `${signed(head.gaps[c].count - base.gaps[c].count)} · ${formatDelta('ns', head.gaps[c].total - base.gaps[c].total)}`
          : ''
      return [`Gaps ${label}`, g(base), g(head), change]
    })
  ]
  const longest = Math.max(base?.window ?? 0, head?.window ?? 0) || 1
  const lanes: LaneData[] = []
  const gaps: string[][] = []
  for (const [side, d] of [
    ['base', base],
    ['head', head]
  ] as const) {
    if (!d) continue
    lanes.push({
      side,
      w: d.window / longest,
      l: `${side}: window ${formatDuration(d.window)}, ${formatCount(d.activities)} activities`,
      g: d.top.map((gap, i) => ({
        r: i + 1,
        x: d.start === undefined ? null : (gap.start - d.start) / longest,
        w: gap.duration / longest,
        t: `${side} gap ${i + 1}: ${formatDuration(gap.duration)}${at(d, gap)}, after ${activity(gap.before)}, before ${activity(gap.after)}`
      }))
    })
    // The head's first: the pull request's.
    const rows = d.top
      .slice(0, TABLE_GAPS)
      .map((gap, i) => [
        side,
        String(i + 1),
        formatDuration(gap.duration),
        d.start === undefined
          ? `${formatDuration(gap.start)} (from the trace's start)`
          : formatDuration(gap.start - d.start),
        activity(gap.before),
        activity(gap.after)
      ])
    if (side === 'head') gaps.unshift(...rows)
    else gaps.push(...rows)
  }
  return { device, rows, lanes, al: formatDuration(longest), gaps }
}

function at(d: DeviceTimeline, gap: Gap): string {
  return d.start === undefined ? '' : ` at ${formatDuration(gap.start - d.start)}`
}

function activity(a: Gap['before']): string {
  return `${shownName(a.name, NAME)}${a.stream === undefined ? '' : ` (stream ${a.stream})`}`
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n)
}

/** A change of a percentage, in percentage points: `+3.2 pp`. */
function formatPoints(points: number): string {
  const text = Math.abs(points).toFixed(1)
  if (Number(text) === 0) return '0.0 pp'
  return `${points > 0 ? '+' : '-'}${text} pp`
}

/**
 * The NVTX phases: the `nvtxGpu` items (GPU time projected onto each range, per occurrence) in the
 * comparison's order, each with the `nvtxKernels` items of that range. Undefined without `nvtxGpu`.
 */
export function phasesData(
  comparison: Comparison,
  statusIndex: (item: ItemDiff) => number,
  statusText: (item: ItemDiff) => string
): PhasesData | undefined {
  const gpu = comparison.tables.find((t) => t.table === 'nvtxGpu')
  if (!gpu || gpu.items.length === 0) return undefined
  const kernels = kernelsByRange(
    comparison.tables.find((t) => t.table === 'nvtxKernels'),
    new Set(gpu.items.map((item) => item.key))
  )
  const shown = gpu.items.slice(0, PHASES)
  let max = 0
  const rows = shown.map((item): PhaseRow => {
    const b = item.base?.value ?? null
    const h = item.head?.value ?? null
    max = Math.max(max, b ?? 0, h ?? 0)
    const inside = kernels.get(item.key) ?? []
    // The range's own name may hold the separator (`train › step`): the kernel's name follows
    // as many separators as the range has, and one more.
    const skip = separators(item.key) + 1
    return {
      n: shownName(item.name, NAME),
      s: statusIndex(item),
      t: statusText(item),
      b,
      h,
      c: cells(item),
      k: inside.slice(0, PHASE_KERNELS).map((k) => ({
        n: shownName(afterSeparators(k.name, skip), NAME),
        c: cells(k)
      })),
      km: Math.max(0, inside.length - PHASE_KERNELS)
    }
  })
  return {
    rows,
    max: max || 1,
    ml: formatDuration(max),
    more: gpu.items.length - shown.length
  }
}

function cells(item: ItemDiff): string[] {
  const b = item.base
  const h = item.head
  const occurrences = (s: typeof b): number | undefined =>
    s ? (s.occurrences ?? s.instances) : undefined
  const ob = occurrences(b)
  const oh = occurrences(h)
  return [
    b ? formatValue('ns', b.value) : '—',
    h ? formatValue('ns', h.value) : '—',
    formatPercent(item.deltaPct),
    ob !== undefined && oh !== undefined && ob !== oh
      ? `${formatCount(ob)} → ${formatCount(oh)}`
      : formatCount(ob ?? oh ?? 0)
  ]
}

/**
 * `nvtxKernels` items by their range's key, in the table's order: an item's key is its range's
 * key, ` › `, the kernel's. A range's own name may hold ` › ` (`train › step`), so the range is
 * the longest of `ranges` (the `nvtxGpu` keys) that the key starts with, followed by ` › `: the
 * kernels of `train › step` are not those of `train`. An item of no known range is left out (the
 * full table has it).
 */
function kernelsByRange(
  table: TableDiff | undefined,
  ranges: ReadonlySet<string>
): Map<string, ItemDiff[]> {
  const out = new Map<string, ItemDiff[]>()
  for (const item of table?.items ?? []) {
    const range = rangeOf(item.key, ranges)
    if (range === undefined) continue
    const list = out.get(range)
    if (list) list.push(item)
    else out.set(range, [item])
  }
  return out
}

/**
 * The longest prefix of `key` ending before a separator that is one of `ranges`. Only the first
 * `MAX_RANGE_SEPARATORS` separators are tried: each try copies the prefix, and a hostile name of
 * thousands of separators would make that quadratic in its length.
 */
function rangeOf(key: string, ranges: ReadonlySet<string>): string | undefined {
  const ends: number[] = []
  for (
    let at = key.indexOf(NVTX_KERNEL_SEPARATOR);
    at >= 0 && ends.length < MAX_RANGE_SEPARATORS;
    at = key.indexOf(NVTX_KERNEL_SEPARATOR, at + 1)
  )
    ends.push(at)
  // The longest candidate first.
  for (let i = ends.length - 1; i >= 0; i--) {
    const range = key.slice(0, ends[i])
    if (ranges.has(range)) return range
  }
  return undefined
}

/** Range names of more separators than this (nested that deep by name) are not looked for. */
const MAX_RANGE_SEPARATORS = 64

function separators(text: string): number {
  return text.split(NVTX_KERNEL_SEPARATOR).length - 1
}

/** `name` after its `count`-th separator (the whole name if it has fewer). */
function afterSeparators(name: string, count: number): string {
  let from = 0
  for (let i = 0; i < count; i++) {
    const at = name.indexOf(NVTX_KERNEL_SEPARATOR, from)
    if (at < 0) return name
    from = at + NVTX_KERNEL_SEPARATOR.length
  }
  return name.slice(from)
}
