import type { Comparison } from '../compare/compare.js'
import { formatLevel, lookLevel, nextStep, reachable, type Growth } from '../compare/sequential.js'

/**
 * Adaptive repetitions (compare/sequential.ts), the loop: looks at the runs so far, each at the
 * level the spending rule allows it, and adds runs one at a time (a pair with `baseline: ab`, a
 * head run against a fixed baseline) while a gated change beyond the limits is not yet
 * significant, up to max-repetitions.
 */
export interface AdaptiveOptions {
  /** The `alpha` of the rules: what all the looks together may spend. */
  alpha: number
  /** `repetitions`: the runs of the first look (a side, or of the head). */
  first: number
  /** `max-repetitions`. */
  max: number
  growth: Growth
  /** The comparison of the runs so far at a level. */
  look: (level: number) => Comparison
  /** How many runs (pairs, or head runs) there are now. */
  runs: () => number
  /** Adds run number `next` (1-based), its title saying "of at most max". */
  add: (next: number) => Promise<void>
  info: (line: string) => void
  /** A reason nobody could see from the log alone: a warning annotation. */
  warning: (line: string) => void
}

export interface Adaptive {
  /** The level of the last look: the final comparison is made at it. */
  alpha: number
  /** A Markdown line for the comment: how many runs it took and why. */
  line: string
  /** The runs of the first look and the cap; `off` when no look could be spent (`reachable`). */
  first: number
  max: number
  off?: true
}

export async function adaptiveRuns(o: AdaptiveOptions): Promise<Adaptive> {
  const { first, max, growth } = o
  const unit = growth.kind === 'ab' ? 'pair' : 'head run'
  const units = (n: number): string => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (!reachable(first, max, growth)) {
    // Spending α over looks that can never be significant would only make the first look weaker.
    o.warning(
      `max-repetitions: ${max} cannot help here: the baseline has one run, and with one run a side no test over the runs is possible, so no added head run could confirm a change (they are judged on the thresholds alone). Runs stay at ${first}. A baseline of two runs or more (repetitions on the default branch) makes adaptive repetitions useful (nsys-bench docs/adaptive-repetitions.md).`
    )
    return {
      alpha: o.alpha,
      first,
      max,
      off: true,
      line: `Runs: ${units(first)}; adaptive repetitions were off: a baseline of one run cannot be tested against, however many head runs (nsys-bench docs/adaptive-repetitions.md).`
    }
  }
  for (;;) {
    const n = o.runs()
    const level = lookLevel(o.alpha, n, first, max)
    const decision = nextStep(o.look(level), n, max, growth)
    o.info(
      `Adaptive repetitions: look at ${units(n)} (α = ${formatLevel(level)}): ${decision.more ? `one more ${unit}` : 'stop'}, ${decision.why}.`
    )
    if (!decision.more) {
      const added = n - first
      const how =
        added === 0
          ? `the first ${first} were enough`
          : `${first}, then ${added} more, one at a time`
      const against = growth.kind === 'head' ? ` against the baseline's ${growth.baseRuns}` : ''
      return {
        alpha: level,
        first,
        max,
        line: `Runs: ${units(n)} of at most ${max}${against} (adaptive: ${how}; stopped because ${decision.why}). Each look tests at a share of α = ${formatLevel(o.alpha)}, so the false-alarm rate stays at most α (nsys-bench docs/adaptive-repetitions.md).`
      }
    }
    await o.add(n + 1)
  }
}

/**
 * The comment's line for adaptive repetitions another run made (`mode: comment`, `mode:
 * aggregate`), from the numbers its results carry: the why stays in that run's log.
 */
export function adaptiveLine(
  a: { first: number; max: number; alpha: number },
  runs: number,
  unit: 'pair' | 'run'
): string {
  const s = runs === 1 ? '' : 's'
  return `Runs: ${runs} ${unit}${s} of at most ${a.max} (adaptive repetitions from ${a.first}; the last look tested at α = ${formatLevel(a.alpha)}, the level this comparison uses; the benchmark run's log says why it stopped).`
}
