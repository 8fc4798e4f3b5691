import type { Comparison, ItemDiff, SideStat, TableDiff } from '../compare/compare.js'
import { encodeStat } from '../profile/json.js'
import type { Unit } from '../profile/model.js'

/**
 * The machine-readable comparison (`compare --format json`, the action's comparison.json):
 * `{"verdict", "runs", "method", "kernels": [...], "memTime": [...], …, "totals": {...}, "notes"}`.
 * Items carry `deltaNs` (time tables) or `deltaBytes` (the size table).
 */
export function comparisonToJson(comparison: Comparison): Record<string, unknown> {
  const out: Record<string, unknown> = {
    verdict: comparison.verdict,
    runs: comparison.runs,
    method: comparison.method
  }
  const totals: Record<string, unknown> = {}
  for (const table of comparison.tables) {
    out[table.table] = table.items.map((item) => itemJson(item, table.unit))
    totals[table.table] = totalJson(table)
  }
  out.totals = totals
  out.notes = comparison.notes
  return out
}

const SUFFIX: Readonly<Record<Unit, string>> = { ns: 'Ns', bytes: 'Bytes' }

function sideJson(stat: SideStat | null, unit: Unit): Record<string, unknown> | null {
  if (!stat) return null
  return { ...encodeStat(stat, unit), runs: stat.runs }
}

function itemJson(item: ItemDiff, unit: Unit): Record<string, unknown> {
  const s = SUFFIX[unit]
  const out: Record<string, unknown> = {
    name: item.name,
    key: item.key,
    status: item.status,
    base: sideJson(item.base, unit),
    head: sideJson(item.head, unit),
    [`delta${s}`]: round(item.delta),
    deltaPct: item.deltaPct === null ? null : round(item.deltaPct),
    sharePct: round(item.sharePct),
    gated: item.gated,
    threshold: item.threshold,
    [`floor${s}`]: round(item.floor),
    direction: item.direction
  }
  if (item.reason !== undefined) out.reason = item.reason
  if (item.rule !== undefined) out.rule = item.rule
  if (item.significance) {
    out.significance = {
      ...item.significance,
      p: round(item.significance.p, 6),
      ciLowPct: round(item.significance.ciLowPct),
      ciHighPct: round(item.significance.ciHighPct),
      confidence: round(item.significance.confidence, 6)
    }
  }
  if (item.samples) out.samples = item.samples
  return out
}

function totalJson(table: TableDiff): Record<string, unknown> {
  const s = SUFFIX[table.unit]
  const t = table.total
  return {
    [`base${s}`]: round(t.base),
    [`head${s}`]: round(t.head),
    [`delta${s}`]: round(t.delta),
    deltaPct: t.deltaPct === null ? null : round(t.deltaPct),
    status: t.status,
    gated: t.gated,
    counts: table.counts,
    ignored: table.ignored
  }
}

function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value
  const f = 10 ** digits
  return Math.round(value * f) / f
}
