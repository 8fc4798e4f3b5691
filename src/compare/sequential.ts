import type { Comparison } from './compare.js'

/**
 * Adaptive repetitions: the rule that decides, after each look at the runs so far, whether more
 * runs are needed, and the significance level each look may spend so that looking again and again
 * does not raise the false-alarm rate (docs/adaptive-repetitions.md has the reasoning).
 *
 * The design is group-sequential with alpha spending: with `first` runs a side at the first look
 * and at most `max`, the look at n runs a side tests at the increment of the linear spending
 * function α·t, t = n / max:
 *
 *   level(first) = α · first / max,   level(n) = α / max for each later look (one run a side more).
 *
 * The levels add up to α at the cap, so by the union bound the chance that an item without any
 * change is called regressed (or improved) at some look is at most α — whatever the looks'
 * correlation, which a group-sequential boundary computed for the joint distribution would need
 * to know. It is conservative: fewer early stops than an exact boundary, never more false alarms.
 */
export function lookLevel(alpha: number, runs: number, first: number, max: number): number {
  if (max <= first) return alpha
  return runs <= first ? (alpha * first) / max : alpha / max
}

export type StopReason = 'significant' | 'nothing-moved' | 'cannot-compare' | 'cap'

/**
 * How the runs grow. `ab`: both sides, one pair at a time (base and head measured here). `head`:
 * the head alone, against a baseline whose `baseRuns` runs are fixed (an artifact or a path).
 */
export type Growth = { kind: 'ab' } | { kind: 'head'; baseRuns: number }

/** "3 runs a side", or "3 head runs against the baseline's 5". */
export function runsPhrase(runs: number, growth: Growth): string {
  const s = runs === 1 ? '' : 's'
  return growth.kind === 'ab'
    ? `${runs} run${s} a side`
    : `${runs} head run${s} against the baseline's ${growth.baseRuns}`
}

/**
 * Whether any look still to come can be significant at all. Two runs a side or more can always
 * be: the runs are tested with Mann–Whitney where it can reach the look's level, with Student's t
 * where it cannot (compare.ts testSamples). One base run cannot: a baseline of one run is judged
 * on the thresholds alone however many head runs are added, so adding runs only costs time, and
 * the one look keeps all of α.
 */
export function reachable(first: number, max: number, growth: Growth): boolean {
  if (max <= first) return false
  return growth.kind === 'ab' || growth.baseRuns >= 2
}

export interface Decision {
  more: boolean
  /** Why the runs stop (when `more` is false) or go on, for a person. */
  why: string
  /** Set when the runs stop. */
  stop?: StopReason
}

/**
 * After a look: more runs only when they can change the verdict — a gated item or a gated total
 * moved beyond its limits (threshold and floor) but is not significant at this look's level, or
 * was judged on the limits alone because the test cannot reach this level with so few runs.
 * Everything else stops: a significant change (the verdict stands), nothing gated moved beyond
 * its limits, or a comparison that is inconclusive for a reason more runs do not fix (another
 * GPU, a table without data).
 */
export function nextStep(
  comparison: Comparison,
  runs: number,
  max: number,
  growth: Growth = { kind: 'ab' }
): Decision {
  const { gate, method } = comparison
  if (gate.verdict === 'inconclusive') {
    return {
      more: false,
      stop: 'cannot-compare',
      why: 'the comparison is inconclusive for a reason more runs do not change'
    }
  }
  // One run a side (a first look of `repetitions: 1`): no test yet, only more runs can give one.
  const powerless = method.kind !== 'mann-whitney-u'
  const level = method.kind === 'mann-whitney-u' ? method.alpha : undefined
  let pending = 0
  let significant = 0
  for (const table of comparison.tables) {
    const judged = [...table.items, table.total].filter((x) => x.gated)
    for (const x of judged) {
      const moved = x.status === 'regressed' || x.status === 'improved'
      // The test ran only because the change passed both limits (compare.ts judge()).
      if (x.status === 'unchanged' && x.significance && !x.significance.significant) pending += 1
      else if (moved && powerless) pending += 1
      else if (moved) significant += 1
    }
  }
  if (pending > 0) {
    const what = `${pending} gated change${pending === 1 ? '' : 's'} beyond the limits ${powerless ? `that the test cannot yet confirm with ${runsPhrase(runs, growth)}` : `not significant yet at α = ${formatLevel(level ?? 0)}`}`
    if (runs >= max)
      return {
        more: false,
        stop: 'cap',
        why: `the cap (max-repetitions: ${max}) was reached with ${what}`
      }
    return { more: true, why: what }
  }
  if (significant > 0)
    return {
      more: false,
      stop: 'significant',
      why: `${significant} gated change${significant === 1 ? ' is' : 's are'} significant at α = ${formatLevel(level ?? 0)}`
    }
  return { more: false, stop: 'nothing-moved', why: 'no gated change goes beyond its limits' }
}

export function formatLevel(level: number): string {
  return level >= 0.001 ? String(Math.round(level * 10_000) / 10_000) : level.toExponential(2)
}
