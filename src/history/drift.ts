import { resolveLimits, type Direction, type Rules } from '../compare/rules.js'
import { TABLE_NAMES, type TableName } from '../profile/model.js'
import { BAND_K, DRIFT_RUNS, MAD_SCALE, mad, median, MIN_HISTORY_RUNS } from './band.js'
import { sameFingerprint, type History } from './model.js'

/**
 * The change-point check of a push to the default branch (docs/history.md, "Drift"): an item
 * whose newest DRIFT_RUNS comparable runs (or more) all sit outside the band of the runs before
 * them, on the same side, drifted — a slow change that no single pull request crossed. The band
 * here is the auto band with the fixed threshold as its floor (median ± max(K·σ̂, threshold)),
 * so a quiet kernel does not drift by a fraction of a percent. Gated items only. Reported, never
 * a failure.
 */
export interface Drift {
  table: TableName
  key: string
  name: string
  /** Consecutive newest runs outside the band. */
  runs: number
  /** The reference: the median of the comparable runs before the streak. */
  reference: number
  /** The newest run's value. */
  latest: number
  /** latest / reference − 1, percent (null when the reference is 0). */
  pct: number | null
  /** Whether the drift is in the bad direction. */
  worse: boolean
}

export function findDrifts(history: History, rules: Rules): Drift[] {
  const newest = history.runs.at(-1)
  if (!newest) return []
  const indices: number[] = []
  history.runs.forEach((run, i) => {
    if (sameFingerprint(run, newest)) indices.push(i)
  })
  const out: Drift[] = []
  for (const table of TABLE_NAMES) {
    const series = history.tables[table]
    if (!series || !rules.tables[table].gate) continue
    for (const [key, s] of series) {
      const limits = resolveLimits(rules, table, [s.name, key])
      if (limits.ignored || !limits.gate) continue
      // The newest run must have the item: a kernel that is gone did not drift.
      const last = s.value[history.runs.length - 1]
      if (last === null || last === undefined) continue
      const values = indices
        .map((i) => s.value[i])
        .filter((v): v is number => v !== null && v !== undefined)
      const drift = streak(values, limits.threshold, limits.direction)
      if (drift) out.push({ table, key, name: s.name, ...drift, latest: values.at(-1) ?? 0 })
    }
  }
  return out.sort((a, b) => Math.abs(b.pct ?? Infinity) - Math.abs(a.pct ?? Infinity))
}

/**
 * The longest run of newest values (at least DRIFT_RUNS) all outside, on one side, of the band of
 * the values before them (at least MIN_HISTORY_RUNS of those).
 */
export function streak(
  values: readonly number[],
  thresholdPct: number,
  direction: Direction
): Omit<Drift, 'table' | 'key' | 'name' | 'latest'> | undefined {
  let found: Omit<Drift, 'table' | 'key' | 'name' | 'latest'> | undefined
  for (let n = DRIFT_RUNS; values.length - n >= MIN_HISTORY_RUNS; n++) {
    const before = values.slice(0, values.length - n)
    const recent = values.slice(values.length - n)
    const center = median(before)
    const half = Math.max(BAND_K * MAD_SCALE * mad(before), (thresholdPct / 100) * center)
    const above = recent.every((v) => v > center + half)
    const below = recent.every((v) => v < center - half)
    if (!above && !below) continue
    const latest = recent.at(-1) ?? 0
    found = {
      runs: n,
      reference: center,
      pct: center > 0 ? (latest / center - 1) * 100 : null,
      worse: direction === 'lower-is-better' ? above : below
    }
  }
  return found
}
