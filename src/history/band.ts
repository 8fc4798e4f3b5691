/**
 * The noise band of an item's history and the limit `threshold: auto` takes from it
 * (docs/history.md, "The band").
 *
 * Robust statistics, because a history has outliers (a noisy neighbour, a cold cache): the
 * centre is the median of the last comparable runs, the spread their median absolute deviation
 * (MAD) scaled by 1.4826 — for normal noise an estimate of the standard deviation that one wild
 * run cannot move. The band is median ± K·σ̂ with K = 3: under normal noise a run falls outside
 * with probability 0.27 %, so across a few hundred gated kernels a push sees about one false
 * alarm at most, and the fixed threshold as a floor keeps quiet kernels from tripping on a
 * fraction of a percent. Its half-width relative to the median is the item's auto limit.
 */
export const BAND_K = 3
export const MAD_SCALE = 1.4826
/** Fewer comparable runs than this: the fixed threshold applies. */
export const MIN_HISTORY_RUNS = 5
/** Consecutive runs outside the band that make a drift (change point). */
export const DRIFT_RUNS = 3

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: readonly number[]): number {
  const m = median(values)
  return median(values.map((v) => Math.abs(v - m)))
}

export interface Band {
  /** Median of the values. */
  center: number
  /** K·1.4826·MAD: the band is center ± halfWidth. */
  halfWidth: number
  /** halfWidth as a percent of the centre (Infinity when the centre is 0 and the spread is not). */
  pct: number
  low: number
  high: number
  /** Values the band was computed from. */
  runs: number
}

/** The band of a series; undefined with fewer than MIN_HISTORY_RUNS values. */
export function bandOf(values: readonly number[]): Band | undefined {
  if (values.length < MIN_HISTORY_RUNS) return undefined
  const center = median(values)
  const halfWidth = BAND_K * MAD_SCALE * mad(values)
  const pct = center > 0 ? (halfWidth / center) * 100 : halfWidth > 0 ? Infinity : 0
  return {
    center,
    halfWidth,
    pct,
    low: Math.max(0, center - halfWidth),
    high: center + halfWidth,
    runs: values.length
  }
}

/** Where an item's threshold came from under `threshold: auto`. */
export interface AppliedLimit {
  /** `history`: the band was wider than the fixed threshold; `fixed`: the fixed threshold. */
  source: 'history' | 'fixed'
  /** Why the fixed threshold applied. */
  why?: 'band-within-fixed' | 'too-few-runs' | 'rule'
  /** Comparable runs of the item's history. */
  runs: number
  /** The band's half-width, percent of its centre (absent without a band). */
  bandPct?: number
}

/**
 * The auto limit of an item: the band's half-width in percent when it is wider than the fixed
 * threshold (the floor), else the fixed threshold. With fewer than MIN_HISTORY_RUNS values, or a
 * threshold a rules-file rule set for the item, the fixed threshold.
 */
export function autoLimit(
  values: readonly number[],
  fixed: number,
  ruleSetThreshold = false
): { threshold: number; limit: AppliedLimit } {
  const runs = values.length
  if (ruleSetThreshold) return { threshold: fixed, limit: { source: 'fixed', why: 'rule', runs } }
  const band = bandOf(values)
  if (!band) return { threshold: fixed, limit: { source: 'fixed', why: 'too-few-runs', runs } }
  // A band of several hundred percent is no limit worth calling one; 1000 % is the input's cap.
  const pct = Math.min(band.pct, 1000)
  const rounded = Math.round(pct * 100) / 100
  if (rounded <= fixed)
    return {
      threshold: fixed,
      limit: { source: 'fixed', why: 'band-within-fixed', runs, bandPct: rounded }
    }
  return { threshold: rounded, limit: { source: 'history', runs, bandPct: rounded } }
}
