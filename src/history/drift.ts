import { resolveLimits, type Direction, type Rules } from '../compare/rules.js'
import { TABLE_NAMES, type TableName } from '../profile/model.js'
import { BAND_K, DRIFT_RUNS, MAD_SCALE, median, MIN_HISTORY_RUNS } from './band.js'
import { sameFingerprint, storableValue, type History, type Series } from './model.js'

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
  /** latest / reference − 1, percent (the reference is never 0: no drift from a median of 0). */
  pct: number
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
    // Not the table's gate alone: a rules-file rule gates an item of a table that does not gate
    // (an NVTX range, GPU idle time: profile-format.md, timeline.md), and ungates one of a table that does.
    if (!series) continue
    for (const [key, s] of series) {
      const limits = resolveLimits(rules, table, [s.name, key])
      if (limits.ignored || !limits.gate) continue
      // As the history file holds each run (the run appended here is not read back from it).
      const at = (i: number): number | null => stored(s, i)
      // The newest run must have the item: a kernel that is gone did not drift.
      if (at(history.runs.length - 1) === null) continue
      const values = indices.map(at).filter((v): v is number => v !== null)
      const drift = streak(values, limits.threshold, limits.direction)
      if (drift) out.push({ table, key, name: s.name, ...drift, latest: values.at(-1) ?? 0 })
    }
  }
  return out.sort((a, b) => Math.abs(b.pct) - Math.abs(a.pct))
}

/**
 * A run's value of a series as the history file holds it (codec.ts): whole units, and a run
 * with a measure no file holds reads as without the item.
 */
function stored(s: Series, i: number): number | null {
  const value = storableValue(s.value[i])
  return value === null || storableValue(s.spread[i]) === null || storableValue(s.count[i]) === null
    ? null
    : value
}

/**
 * The longest run of newest values (at least DRIFT_RUNS) all outside, on one side, of the band of
 * the values before them (at least MIN_HISTORY_RUNS of those). Finite values (a history's).
 *
 * Every length of streak is tried (the band before a longer one is another band). Each is cheap
 * without its MAD: the runs before it are kept sorted (the median at hand), the streak's lowest
 * and highest value are kept as it grows, and a streak not even outside the fixed floor (the
 * band's least half-width) on one side is passed over without working out its MAD. A push with
 * a history of 500 runs and thousands of gated kernels checks them all.
 */
export function streak(
  values: readonly number[],
  thresholdPct: number,
  direction: Direction
): Omit<Drift, 'table' | 'key' | 'name' | 'latest'> | undefined {
  let found: Omit<Drift, 'table' | 'key' | 'name' | 'latest'> | undefined
  const length = values.length
  if (length - DRIFT_RUNS < MIN_HISTORY_RUNS) return undefined
  // The values before the shortest streak, sorted; each longer streak takes the last of them.
  const before = values.slice(0, length - DRIFT_RUNS).sort((a, b) => a - b)
  let low = Infinity
  let high = -Infinity
  for (let i = length - DRIFT_RUNS; i < length; i++) {
    low = Math.min(low, values[i] as number)
    high = Math.max(high, values[i] as number)
  }
  for (let n = DRIFT_RUNS; length - n >= MIN_HISTORY_RUNS; n++) {
    if (n > DRIFT_RUNS) {
      // The value that joins the streak leaves the runs before it.
      const joined = values[length - n] as number
      before.splice(sortedIndexOf(before, joined), 1)
      low = Math.min(low, joined)
      high = Math.max(high, joined)
    }
    const center = sortedMedian(before)
    // A median of 0 before (the item absent from most repetitions of most runs: its MAD is 0
    // too) is no band: no spread to measure noise by, no floor in percent of it. Any value
    // would sit outside it, so a kernel that flickers in and out would "drift" on three pushes
    // in a row of it present — not the change the check is for (and no percent to report).
    if (!(center > 0)) continue
    const floor = (thresholdPct / 100) * center
    if (!(low > center + floor) && !(high < center - floor)) continue
    const half = Math.max(
      BAND_K * MAD_SCALE * median(before.map((v) => Math.abs(v - center))),
      floor
    )
    const above = low > center + half
    const below = high < center - half
    if (!above && !below) continue
    const latest = values[length - 1] as number
    found = {
      runs: n,
      reference: center,
      pct: (latest / center - 1) * 100,
      worse: direction === 'lower-is-better' ? above : below
    }
  }
  return found
}

/** The median of a sorted list (band.ts's median, without the sort). */
function sortedMedian(sorted: readonly number[]): number {
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Where a value is in a sorted list that holds it (binary search). */
function sortedIndexOf(sorted: readonly number[], value: number): number {
  let lo = 0
  let hi = sorted.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as number) < value) lo = mid + 1
    else hi = mid
  }
  return lo
}
