import type { Comparison, ItemDiff } from '../compare/compare.js'
import { DRIFT_RUNS } from '../history/band.js'
import type { Drift } from '../history/drift.js'
import { describeFingerprint } from '../history/model.js'
import { TABLES, type Unit } from '../profile/model.js'
import { clip } from '../text.js'
import { codeSpan, inlineCode, markdownText, shortenApart } from './escape.js'
import { formatPercent, formatValue, plural } from './format.js'

/**
 * History in the reports (docs/history.md): a trend per row, the limit that applied under
 * `threshold: auto`, one line on the history used, and the drifts of a push.
 */

const BARS = '▁▂▃▄▅▆▇█'
/** Runs a trend shows at most (the newest). */
export const TREND_RUNS = 20

/**
 * A sparkline of the values, oldest first, then `→` and the head's bar: one scale for all, the
 * lowest value ▁ and the highest █ (all ▄ when they are equal).
 */
export function sparkline(values: readonly number[], head?: number): string {
  const shown = values.slice(-TREND_RUNS)
  const all = head === undefined ? shown : [...shown, head]
  if (all.length === 0) return ''
  const low = Math.min(...all)
  const high = Math.max(...all)
  const bar = (v: number): string =>
    high === low
      ? (BARS[3] as string)
      : (BARS[Math.round(((v - low) / (high - low)) * 7)] as string)
  const line = shown.map(bar).join('')
  return head === undefined ? line : `${line}→${bar(head)}`
}

/** The trend cell of a row: the sparkline in a code span, or empty without history. */
export function trendCell(item: ItemDiff): string {
  if (!item.history) return ''
  return `\`${sparkline(item.history.values, item.head?.value)}\``
}

/** The limit cell under `threshold: auto`: the threshold and where it came from. */
export function limitCell(item: ItemDiff): string {
  const limit = item.limit
  if (!limit) return `±${item.threshold}%`
  const runs = plural(limit.runs, 'run')
  if (limit.source === 'history') return `±${item.threshold}% (noise band of ${runs})`
  switch (limit.why) {
    case 'rule':
      return `±${item.threshold}% (rules file)`
    case 'too-few-runs':
      return `±${item.threshold}% (fixed: ${runs} of history, too few)`
    default:
      return `±${item.threshold}% (fixed; band ±${limit.bandPct ?? 0}% of ${runs})`
  }
}

/** Whether the rows of a comparison get the trend and limit columns. */
export function historyColumns(comparison: Comparison): { trend: boolean; limit: boolean } {
  return { trend: comparison.history !== undefined, limit: comparison.rules.auto }
}

/** "History: last 30 runs on `main`, same GPU (…), nsys 2024." — or why there is none. */
export function historyLine(comparison: Comparison): string | undefined {
  const h = comparison.history
  if (!h)
    return comparison.rules.auto
      ? '_History: none (`threshold: auto` used the fixed thresholds)._'
      : undefined
  const where = h.branch !== undefined ? ` on ${inlineCode(h.branch)}` : ''
  const used = `last ${plural(h.comparable, 'run')}${where}, ${markdownText(describeFingerprint(h.fingerprint))}`
  const other =
    h.total > h.comparable
      ? ` (${h.total - h.comparable} other runs measured differently left out)`
      : ''
  const auto = comparison.rules.auto ? ' · limits: `threshold: auto`' : ''
  return `<sub>History: ${used}${other}${auto}.</sub>`
}

/** The job summary's section on the drifts a push found (empty when none). */
export function driftMarkdown(drifts: readonly Drift[], runs: number): string {
  if (drifts.length === 0) return ''
  const shown = drifts.slice(0, 20)
  const out = [
    `#### Drifts over the last merges (${drifts.length})`,
    '',
    `Items whose last ${DRIFT_RUNS} runs or more all sit outside the noise band of the runs before them (history: ${plural(runs, 'run')}): slow changes that no single pull request crossed. Reported, not a failure.`,
    '',
    '| Item | Table | Drift | Over | Reference → now |',
    '|:--|:--|--:|--:|--:|'
  ]
  // Drifting kernels of one template are shown apart where they differ (shortenApart).
  const named = shortenApart(
    shown.map((d) => d.name),
    160
  )
  for (const d of shown) {
    const u = unit(d)
    out.push(
      `| ${codeSpan(named(d.name))} | ${TABLES[d.table].title} | ${d.worse ? '🔴' : '🟢'} ${formatPercent(d.pct)} | ${plural(d.runs, 'merge')} | ${formatValue(u, d.reference)} → ${formatValue(u, d.latest)} |`
    )
  }
  if (shown.length < drifts.length) out.push('', `_… and ${drifts.length - shown.length} more._`)
  out.push('')
  return out.join('\n')
}

function unit(d: Drift): Unit {
  return TABLES[d.table].unit
}

/** One drift as a plain sentence (the workflow log escapes it with visible()). */
export function driftSentence(d: Drift): string {
  return `${TABLES[d.table].item} "${clip(d.name, 200)}" drifted ${formatPercent(d.pct)} over the last ${plural(d.runs, 'merge')} (${formatValue(unit(d), d.reference)} → ${formatValue(unit(d), d.latest)})`
}
