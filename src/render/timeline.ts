import type { Comparison } from '../compare/compare.js'
import type { DeviceTimeline, GpuTimeline } from '../profile/timeline.js'
import { clip } from '../text.js'
import { codeSpan, markdownText, terminalText } from './escape.js'
import { formatDelta, formatDuration, plural } from './format.js'

/**
 * The GPU timeline of a comparison (analyze/timeline.ts): per device, the window, busy and idle
 * time, utilisation and the gaps above 10 µs, 100 µs and 1 ms, base → head; the head's longest
 * gaps with the activity before and after each; the imbalance between devices. One view, shown
 * as Markdown (the comment, under <details>) and as text (the CLI).
 */

export interface TimelineView {
  devices: {
    device: number
    /** The rank whose GPU it is, where the run's traces were one per rank. */
    rank?: number
    base: DeviceTimeline | undefined
    head: DeviceTimeline | undefined
  }[]
  /** Every device is a rank's GPU: the imbalance is between ranks. */
  ranks: boolean
  top: { device: number; gap: DeviceTimeline['top'][number] }[]
  /** Busy time of the least busy device relative to the busiest, per side (several devices). */
  imbalance: { base?: number; head?: number }
  /** Which run of each side the figures are from, in words, where a side had several runs. */
  runs?: string
}

const TOP = 5
/** Cumulative classes shown: gaps longer than 10 µs, 100 µs, 1 ms (GAP_CLASSES 1…3). */
const OVER = [
  { label: '> 10 µs', from: 1 },
  { label: '> 100 µs', from: 2 },
  { label: '> 1 ms', from: 3 }
] as const

export function timelineView(comparison: Comparison): TimelineView | undefined {
  const { base, head } = comparison.timeline ?? {}
  if (!base && !head) return undefined
  const ids = [
    ...new Set([...(base?.devices ?? []), ...(head?.devices ?? [])].map((d) => d.device))
  ].sort((a, b) => a - b)
  const find = (t: GpuTimeline | undefined, id: number): DeviceTimeline | undefined =>
    t?.devices.find((d) => d.device === id)
  const top = (head ?? base)!.devices
    .flatMap((d) => d.top.map((gap) => ({ device: d.device, gap })))
    .sort((a, b) => b.gap.duration - a.gap.duration)
    .slice(0, TOP)
  const imbalance: TimelineView['imbalance'] = {}
  const spread = (t: GpuTimeline | undefined): number | undefined => {
    if (!t || t.devices.length < 2) return undefined
    const busy = t.devices.map((d) => d.busy)
    const max = Math.max(...busy)
    return max > 0 ? (1 - Math.min(...busy) / max) * 100 : undefined
  }
  const b = spread(base)
  const h = spread(head)
  if (b !== undefined) imbalance.base = b
  if (h !== undefined) imbalance.head = h
  const devices = ids.map((device) => {
    const b = find(base, device)
    const h = find(head, device)
    const rank = h?.rank ?? b?.rank
    return { device, ...(rank === undefined ? {} : { rank }), base: b, head: h }
  })
  const view: TimelineView = {
    devices,
    ranks: devices.every((d) => d.rank !== undefined),
    top,
    imbalance
  }
  const runs = runsShown(comparison)
  if (runs !== undefined) view.runs = runs
  return view
}

/**
 * "From each side's run with the median idle time: base run 3 of 5, head run 2 of 5." Only where
 * a side had several runs: with one run a side there is nothing to choose.
 */
function runsShown(comparison: Comparison): string | undefined {
  const { base, head } = comparison.runs
  if (base < 2 && head < 2) return undefined
  const t = comparison.timeline
  const one = (run: number | undefined, of: number): string =>
    run === undefined ? 'none traced' : of === 1 ? 'its one run' : `run ${run} of ${of}`
  return `From each side's run with the median idle time: base ${one(t?.baseRun, base)}, head ${one(t?.headRun, head)}.`
}

/** `1`, or `1 (rank 1)` for a rank's GPU. */
function deviceLabel(device: number, rank: number | undefined): string {
  return rank === undefined ? String(device) : `${device} (rank ${rank})`
}

function utilisation(d: DeviceTimeline | undefined): number | undefined {
  return d && d.window > 0 ? (d.busy / d.window) * 100 : undefined
}

function over(d: DeviceTimeline | undefined, from: number): { count: number; total: number } {
  let count = 0
  let total = 0
  for (const g of d?.gaps.slice(from) ?? []) {
    count += g.count
    total += g.total
  }
  return { count, total }
}

function pair(base: string | undefined, head: string | undefined): string {
  return `${base ?? '–'} → ${head ?? '–'}`
}

function pct(value: number | undefined): string | undefined {
  return value === undefined ? undefined : `${value.toFixed(1)}%`
}

function countDelta(base: number, head: number): string {
  const d = head - base
  return d === 0 ? '' : ` (${d > 0 ? '+' : ''}${d})`
}

/**
 * At most `max` devices, those whose idle time changed the most (a device on one side only: by
 * its idle time), in the order of the view.
 */
function mostChanged(devices: TimelineView['devices'], max: number): TimelineView['devices'] {
  if (devices.length <= max) return devices
  const change = (d: TimelineView['devices'][number]): number =>
    Math.abs((d.head?.idle ?? 0) - (d.base?.idle ?? 0))
  const kept = new Set(
    devices
      .map((d, i) => ({ d, i, c: change(d) }))
      .sort((a, b) => b.c - a.c || a.i - b.i)
      .slice(0, Math.max(0, max))
      .map(({ d }) => d)
  )
  return devices.filter((d) => kept.has(d))
}

/**
 * Markdown lines: one <details> block, or nothing when neither side had a GPU trace. A run of
 * hundreds of ranks has a device each: at most `maxDevices` rows (those whose idle time changed
 * the most), the others counted in `trimmed.rows` and said.
 */
export function timelineMarkdown(
  comparison: Comparison,
  maxDevices = Infinity,
  trimmed?: { rows: number }
): string[] {
  const view = timelineView(comparison)
  if (!view) return []
  const out = [`<details><summary>GPU timeline (idle gaps)</summary>`, '']
  if (view.runs) out.push(`_${view.runs}_`, '')
  const devices = mostChanged(view.devices, maxDevices)
  const left = view.devices.length - devices.length
  if (devices.length > 0)
    out.push(
      '| GPU | Window | Busy | Utilisation | Idle | ' +
        OVER.map((o) => `Gaps ${o.label}`).join(' | ') +
        ' |',
      '|---|---|---|---|---|' + OVER.map(() => '---|').join('')
    )
  for (const { device, rank, base, head } of devices) {
    const cells = [
      deviceLabel(device, rank),
      pair(base && formatDuration(base.window), head && formatDuration(head.window)),
      pair(base && formatDuration(base.busy), head && formatDuration(head.busy)),
      pair(pct(utilisation(base)), pct(utilisation(head))),
      pair(base && formatDuration(base.idle), head && formatDuration(head.idle)) +
        (base && head ? ` (${formatDelta('ns', head.idle - base.idle)})` : ''),
      ...OVER.map((o) => {
        const b = over(base, o.from)
        const h = over(head, o.from)
        return `${pair(base && String(b.count), head && String(h.count))}${base && head ? countDelta(b.count, h.count) : ''}`
      })
    ]
    out.push(`| ${cells.join(' | ')} |`)
  }
  if (devices.length > 0) out.push('')
  if (left > 0) {
    out.push(
      `_${plural(left, devices.length > 0 ? 'more GPU' : 'GPU')} not shown (those whose idle time changed least)._`,
      ''
    )
    if (trimmed) trimmed.rows += left
  }
  if (view.imbalance.base !== undefined || view.imbalance.head !== undefined)
    out.push(
      `Imbalance between ${view.ranks ? 'ranks' : 'GPUs'} (least busy against busiest): ${pair(pct(view.imbalance.base), pct(view.imbalance.head))}.`,
      ''
    )
  const late = view.devices.reduce((n, d) => n + (d.head?.late ?? 0) + (d.base?.late ?? 0), 0)
  if (late > 0)
    out.push(
      `_${late} activities came too far out of order in the trace to be placed exactly: these figures are approximate._`,
      ''
    )
  if (view.top.length > 0) {
    out.push(
      `Longest gaps of the ${comparison.timeline?.head ? 'head' : 'base'}:`,
      '',
      '| GPU | Gap | Starts at | Before it | After it |',
      '|---|---|---|---|---|'
    )
    for (const { device, gap } of view.top) {
      const activity = (a: { name: string; stream?: number }): string =>
        `${codeSpan(a.name, 80)}${a.stream === undefined ? '' : ` (stream ${a.stream})`}`
      out.push(
        `| ${device} | ${formatDuration(gap.duration)} | ${markdownText(formatDuration(gap.start))} | ${activity(gap.before)} | ${activity(gap.after)} |`
      )
    }
    out.push('')
  }
  out.push('</details>', '')
  return out
}

/** Text lines for the CLI. */
export function timelineText(comparison: Comparison): string[] {
  const view = timelineView(comparison)
  if (!view) return []
  const out = ['GPU timeline (base → head):']
  if (view.runs) out.push(`  ${view.runs}`)
  for (const { device, rank, base, head } of view.devices) {
    const idle =
      base && head
        ? `idle ${formatDuration(base.idle)} → ${formatDuration(head.idle)} (${formatDelta('ns', head.idle - base.idle)})`
        : `idle ${pair(base && formatDuration(base.idle), head && formatDuration(head.idle))}`
    const gaps = OVER.map(
      (o) =>
        `${o.label}: ${pair(base && String(over(base, o.from).count), head && String(over(head, o.from).count))}`
    ).join(', ')
    out.push(
      `  GPU ${deviceLabel(device, rank)}: busy ${pair(base && formatDuration(base.busy), head && formatDuration(head.busy))}, utilisation ${pair(pct(utilisation(base)), pct(utilisation(head)))}, ${idle}; gaps ${gaps}`
    )
  }
  if (view.imbalance.base !== undefined || view.imbalance.head !== undefined)
    out.push(
      `  imbalance between ${view.ranks ? 'ranks' : 'GPUs'}: ${pair(pct(view.imbalance.base), pct(view.imbalance.head))}`
    )
  for (const { device, gap } of view.top.slice(0, 3))
    out.push(
      `  gap ${formatDuration(gap.duration)} on GPU ${device} after ${terminalText(clip(gap.before.name, 80))}, before ${terminalText(clip(gap.after.name, 80))}`
    )
  return out
}
