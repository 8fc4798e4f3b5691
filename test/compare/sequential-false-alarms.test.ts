/**
 * Adaptive repetitions under the null hypothesis: base and head runs drawn from one distribution,
 * looked at after `first` runs and after each run added up to `max`, through the action's loop
 * (adaptiveRuns) and the comparison itself. The whole procedure may call a change (regressed or
 * improved) in at most α of such pull requests. Fixed seed; the tolerance is three binomial
 * standard errors of the estimated rate. A rule that tested every look at the full α is run on
 * the same draws as a control: it breaks the bound, so the simulation can tell.
 */
import { describe, expect, it } from 'vitest'
import { adaptiveRuns } from '../../src/action/adaptive.js'
import { compareProfiles, type Comparison } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { nextStep, type Growth } from '../../src/compare/sequential.js'
import { runs } from '../support/profiles.js'
import { seededRandom } from '../support/random.js'

/** A standard normal draw (Box–Muller). */
function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
}

const ALPHA = 0.05
const FIRST = 3
const MAX = 7
const TRIALS = 1200
// One kernel, 3 % run-to-run noise; threshold and floor 0, so that every look tests every
// change and the test alone stands between noise and a false alarm.
const KERNEL = { gemm: 10_000_000 }

function calledChange(c: Comparison): boolean {
  return c.tables.some((t) =>
    [...t.items, t.total].some(
      (x) => x.gated && (x.status === 'regressed' || x.status === 'improved')
    )
  )
}

function compare(base: number[], head: number[], level: number): Comparison {
  return compareProfiles(
    runs(KERNEL, base),
    runs(KERNEL, head),
    buildRules(undefined, { alpha: level, threshold: 0, minShare: 0 })
  )
}

/** One pull request without any change: whether the procedure ends calling one. */
async function trial(
  next: () => number,
  growth: Growth,
  spend: 'rule' | 'full-alpha-each-look'
): Promise<boolean> {
  const draw = (): number => Math.exp(0.03 * normal(next))
  const baseCount = growth.kind === 'ab' ? MAX : growth.baseRuns
  const base = Array.from({ length: baseCount }, draw)
  const head = Array.from({ length: MAX }, draw)
  let n = FIRST
  const look = (level: number): Comparison =>
    compare(growth.kind === 'ab' ? base.slice(0, n) : base, head.slice(0, n), level)
  if (spend === 'full-alpha-each-look') {
    for (;;) {
      const c = look(ALPHA)
      if (!nextStep(c, n, MAX, growth).more) return calledChange(c)
      n += 1
    }
  }
  let last: Comparison | undefined
  const adaptive = await adaptiveRuns({
    alpha: ALPHA,
    first: FIRST,
    max: MAX,
    growth,
    look: (level) => (last = look(level)),
    runs: () => n,
    add: (k) => {
      n = k
      return Promise.resolve()
    },
    info: () => {},
    warning: () => {}
  })
  // The published verdict is the last look's comparison, at the level adaptiveRuns returns.
  expect(last!.method).toMatchObject({ alpha: adaptive.alpha })
  return calledChange(last!)
}

async function rate(growth: Growth, spend: 'rule' | 'full-alpha-each-look'): Promise<number> {
  const next = seededRandom(2026)
  let alarms = 0
  for (let i = 0; i < TRIALS; i++) if (await trial(next, growth, spend)) alarms += 1
  return alarms / TRIALS
}

// Three standard errors of a rate of α estimated from TRIALS draws.
const TOLERANCE = 3 * Math.sqrt((ALPHA * (1 - ALPHA)) / TRIALS)

describe('adaptive repetitions under no change', () => {
  // Measured with this seed: 0.030 (pairs) and 0.022 (fixed baseline); the controls 0.107 and
  // 0.089, against a bound of α + 3 standard errors = 0.069.
  it('pairs (baseline: ab): at most α false alarms over all the looks', async () => {
    expect(await rate({ kind: 'ab' }, 'rule')).toBeLessThanOrEqual(ALPHA + TOLERANCE)
  })

  it('pairs, control: the full α at each of the 5 looks calls far more', async () => {
    expect(await rate({ kind: 'ab' }, 'full-alpha-each-look')).toBeGreaterThan(ALPHA + TOLERANCE)
  })

  const fixed: Growth = { kind: 'head', baseRuns: 5 }
  it('head runs against a fixed baseline of 5: at most α false alarms over all the looks', async () => {
    expect(await rate(fixed, 'rule')).toBeLessThanOrEqual(ALPHA + TOLERANCE)
  })

  it('fixed baseline, control: the full α at each look calls far more', async () => {
    expect(await rate(fixed, 'full-alpha-each-look')).toBeGreaterThan(ALPHA + TOLERANCE)
  })
})
