import type { Comparison, ItemDiff } from '../compare/compare.js'
import { clip } from '../text.js'
import { markdownText, terminalText } from './escape.js'
import { formatDelta, formatPercent, formatValue } from './format.js'

/**
 * The one-line breakdown by category that leads a report ("attention +6.9% (+21.46 ms) · GEMM
 * 0.0% · …"), from the `categories` table (analyze/categories.ts): every category either side
 * has, largest first, then the GPU's busy and idle time where both sides had a trace. Undefined
 * when the comparison has none of these.
 */
export function categoryLineMarkdown(comparison: Comparison): string | undefined {
  const parts = categoryParts(comparison, (name) => markdownText(name))
  if (!parts) return undefined
  const text = parts.map((p) => (p.changed ? `**${p.name}** ${p.change}` : `${p.name} ${p.change}`))
  return `**By category:** ${text.join(' · ')}`
}

export function categoryLineText(comparison: Comparison): string | undefined {
  const parts = categoryParts(comparison, (name) => terminalText(name))
  if (!parts) return undefined
  return `By category: ${parts.map((p) => `${p.name} ${p.change}`).join(', ')}`
}

interface Part {
  name: string
  change: string
  /** Regressed or improved by the table's limits (reported, not gated). */
  changed: boolean
}

/** Categories are few (7 built in, plus a rules file's): the line shows at most this many. */
const MAX_PARTS = 12

function categoryParts(
  comparison: Comparison,
  escape: (name: string) => string
): Part[] | undefined {
  const timeline = [busyPart(comparison), idlePart(comparison)].filter(
    (p): p is Part => p !== undefined
  )
  const table = comparison.tables.find((t) => t.table === 'categories')
  if (!table || table.items.length === 0) return timeline.length > 0 ? timeline : undefined
  const size = (i: ItemDiff): number => Math.max(i.base?.total ?? 0, i.head?.total ?? 0)
  const items = [...table.items].sort((a, b) => size(b) - size(a) || (a.key < b.key ? -1 : 1))
  const parts = items.slice(0, MAX_PARTS).map((item) => ({
    name: escape(clip(item.name, 100)),
    change: change(item, table.unit),
    changed: item.status === 'regressed' || item.status === 'improved'
  }))
  if (items.length > MAX_PARTS)
    parts.push({ name: `${items.length - MAX_PARTS} more`, change: '', changed: false })
  parts.push(...timeline)
  return parts
}

/**
 * GPU busy time, when both sides had a GPU trace (the `gpuBusy` table, analyze/idle.ts): the
 * change of its total ("GPU busy +55.6% (+2.06 ms)"), which moves with the kernels and copies
 * and also when work that overlapped on two streams no longer does.
 */
function busyPart(comparison: Comparison): Part | undefined {
  const table = comparison.tables.find((t) => t.table === 'gpuBusy')
  if (!table) return undefined
  const { total } = table
  const pct = formatPercent(total.deltaPct)
  return {
    name: 'GPU busy',
    change: total.delta === 0 ? pct : `${pct} (${formatDelta('ns', total.delta)})`,
    changed: total.status === 'regressed' || total.status === 'improved'
  }
}

/**
 * GPU idle time, when both sides had a GPU trace (the `gpuIdle` table, analyze/idle.ts): the
 * change of its total and of the number of gaps over 100 µs ("GPU idle +3.10 ms, 12 more gaps
 * over 100 µs").
 */
function idlePart(comparison: Comparison): Part | undefined {
  const table = comparison.tables.find((t) => t.table === 'gpuIdle')
  if (!table) return undefined
  const { total } = table
  const pct = formatPercent(total.deltaPct)
  let change = total.delta === 0 ? pct : `${pct} (${formatDelta('ns', total.delta)})`
  let gaps = 0
  for (const item of table.items) {
    if (!/: gaps (100 µs–1 ms|over 1 ms)$/.test(item.key)) continue
    gaps += (item.head?.instances ?? 0) - (item.base?.instances ?? 0)
  }
  if (gaps !== 0)
    change += `, ${Math.abs(gaps)} ${gaps > 0 ? 'more' : 'fewer'} gap${Math.abs(gaps) === 1 ? '' : 's'} over 100 µs`
  return {
    name: 'GPU idle',
    change,
    changed: total.status === 'regressed' || total.status === 'improved'
  }
}

function change(item: ItemDiff, unit: Comparison['tables'][number]['unit']): string {
  if (item.status === 'new') return `new (${formatValue(unit, item.head?.total ?? 0)})`
  if (item.status === 'removed') return `removed (${formatDelta(unit, item.delta)})`
  const pct = formatPercent(item.deltaPct)
  return item.delta === 0 ? pct : `${pct} (${formatDelta(unit, item.delta)})`
}
