import type { Comparison, ItemDiff } from '../compare/compare.js'
import { clip } from '../text.js'
import { markdownText, terminalText } from './escape.js'
import { formatDelta, formatPercent, formatValue } from './format.js'

/**
 * The one-line breakdown by category that leads a report ("attention +6.9% (+21.46 ms) · GEMM
 * 0.0% · …"), from the `categories` table (analyze/categories.ts): every category either side
 * has, largest first. Undefined when the comparison has no such table or it is empty.
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
  const table = comparison.tables.find((t) => t.table === 'categories')
  if (!table || table.items.length === 0) return undefined
  const size = (i: ItemDiff): number => Math.max(i.base?.total ?? 0, i.head?.total ?? 0)
  const items = [...table.items].sort((a, b) => size(b) - size(a) || (a.key < b.key ? -1 : 1))
  const parts = items.slice(0, MAX_PARTS).map((item) => ({
    name: escape(clip(item.name, 100)),
    change: change(item, table.unit),
    changed: item.status === 'regressed' || item.status === 'improved'
  }))
  if (items.length > MAX_PARTS)
    parts.push({ name: `${items.length - MAX_PARTS} more`, change: '', changed: false })
  return parts
}

function change(item: ItemDiff, unit: Comparison['tables'][number]['unit']): string {
  if (item.status === 'new') return `new (${formatValue(unit, item.head?.total ?? 0)})`
  if (item.status === 'removed') return `removed (${formatDelta(unit, item.delta)})`
  const pct = formatPercent(item.deltaPct)
  return item.delta === 0 ? pct : `${pct} (${formatDelta(unit, item.delta)})`
}
