import type { TableName } from '../profile/model.js'
import { sameFingerprint, type Fingerprint, type History } from './model.js'

/**
 * The part of a history a comparison may use: the runs measured like the head (same GPU model,
 * profiler and major, naming), at most `window` of the newest. compare/ reads series from it.
 */
export interface HistoryView {
  /** Runs in the history. */
  total: number
  /** Of those, the comparable runs used (newest `window`). */
  comparable: number
  fingerprint: Fingerprint
  /** The branch whose pushes wrote it (for the report). */
  branch?: string
  /** An item's values over the comparable runs, oldest first, runs without it left out. */
  series(table: TableName, key: string): number[]
}

export function historyView(
  history: History,
  fingerprint: Fingerprint,
  options: { window?: number; branch?: string } = {}
): HistoryView {
  const indices: number[] = []
  history.runs.forEach((run, i) => {
    if (sameFingerprint(run, fingerprint)) indices.push(i)
  })
  // slice(-0) is the whole list: a window of 0 runs uses none.
  const window = options.window === undefined ? indices.length : Math.max(0, options.window)
  const used = window === 0 ? [] : indices.slice(-window)
  const view: HistoryView = {
    total: history.runs.length,
    comparable: used.length,
    fingerprint,
    series(table, key) {
      const series = history.tables[table]?.get(key)
      if (!series) return []
      const out: number[] = []
      for (const i of used) {
        const v = series.value[i]
        if (v !== null && v !== undefined) out.push(v)
      }
      return out
    }
  }
  if (options.branch !== undefined) view.branch = options.branch
  return view
}
