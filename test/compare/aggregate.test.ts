import { describe, expect, it } from 'vitest'
import { aggregateLegs, type Leg, type LegOutcome } from '../../src/compare/aggregate.js'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { profile } from '../support/profiles.js'

/**
 * The verdict of a matrix: the worst leg decides — regression > inconclusive (a leg inconclusive,
 * failed, without results, unusable; or no leg at all) > accepted > pass > no-baseline.
 */
const rules = buildRules(undefined)
const BASE = { gemm: 6_000_000, attn: 3_000_000 }
const H100 = [{ name: 'NVIDIA H100 80GB HBM3' }]
const compared = (
  head: Record<string, number>,
  o: { label?: string; baseGpus?: typeof H100 } = {}
): LegOutcome => ({
  kind: 'compared',
  comparison: compareProfiles(
    [profile({ kernels: BASE }, { gpus: o.baseGpus ?? H100 })],
    [profile({ kernels: head }, { gpus: H100 })],
    rules,
    o.label ? { acceptLabel: o.label } : {}
  )
})
const OUTCOMES = {
  pass: compared(BASE),
  // attn 3.00 → 3.60 ms: +20%, and the total +6.7%.
  regression: compared({ ...BASE, attn: 3_600_000 }),
  accepted: compared({ ...BASE, attn: 3_600_000 }, { label: 'perf-ok' }),
  inconclusive: compared(BASE, { baseGpus: [{ name: 'NVIDIA A100-SXM4-80GB' }] }),
  'no-baseline': { kind: 'no-baseline', profile: profile({ kernels: BASE }) },
  failed: { kind: 'failed', message: 'the benchmark failed (exit code 1)' },
  missing: { kind: 'missing' },
  unusable: { kind: 'unusable', message: 'the results artifact has no readable results.json' }
} satisfies Record<string, LegOutcome>
type Kind = keyof typeof OUTCOMES
const legs = (...kinds: Kind[]): Leg[] =>
  kinds.map((kind, i) => ({ name: `${kind}-${i}`, outcome: OUTCOMES[kind] }))

describe('the verdict of a matrix', () => {
  const cases: [Kind[], string][] = [
    [['pass', 'pass'], 'pass'],
    [['no-baseline'], 'no-baseline'],
    [['pass', 'no-baseline'], 'pass'],
    [['accepted', 'pass'], 'accepted'],
    [['accepted', 'missing'], 'inconclusive'],
    [['pass', 'failed'], 'inconclusive'],
    [['pass', 'unusable'], 'inconclusive'],
    [['inconclusive', 'pass'], 'inconclusive'],
    [['no-baseline', 'missing'], 'inconclusive'],
    [['failed', 'regression', 'inconclusive'], 'regression'],
    [['regression', 'accepted'], 'regression']
  ]
  for (const [kinds, verdict] of cases) {
    it(`${kinds.join(' + ')} → ${verdict}`, () => {
      expect(aggregateLegs(legs(...kinds)).verdict).toBe(verdict)
    })
  }

  it('with no leg at all is inconclusive, never a pass', () => {
    expect(aggregateLegs([])).toEqual({
      verdict: 'inconclusive',
      reasons: [
        {
          code: 'no-legs',
          severity: 'error',
          message:
            "No leg's results were found in the run: there is nothing to judge, which is not a pass."
        }
      ],
      legs: []
    })
  })

  it('gives each leg its verdict and counts, and a reason per leg that is not a pass, worst first', () => {
    const a = aggregateLegs(
      legs('pass', 'failed', 'accepted', 'regression', 'missing', 'no-baseline')
    )
    expect(a.legs.map((l) => [l.name, l.verdict, l.regressions, l.improvements])).toEqual([
      ['pass-0', 'pass', 0, 0],
      ['failed-1', 'error', 0, 0],
      ['accepted-2', 'accepted', 0, 0],
      ['regression-3', 'regression', 1, 0],
      ['missing-4', 'missing', 0, 0],
      ['no-baseline-5', 'no-baseline', 0, 0]
    ])
    expect(a.reasons).toEqual([
      {
        code: 'leg-regressed',
        severity: 'error',
        message:
          'Leg "regression-3": regression — 1 gated item regressed (GPU kernels: 1), and the total of GPU kernels regressed.'
      },
      {
        code: 'leg-error',
        severity: 'error',
        message:
          'Leg "failed-1": error — The leg failed before a verdict: the benchmark failed (exit code 1)'
      },
      {
        code: 'leg-missing',
        severity: 'error',
        message:
          'Leg "missing-4": missing — The leg left no results: it failed before nsys-bench wrote any (a failed step before it, a cancelled job, a lost runner), or it did not run.'
      },
      {
        code: 'leg-accepted',
        severity: 'info',
        message: expect.stringMatching(/^Leg "accepted-2": accepted — Accepted regressions: attn/)
      }
    ])
  })

  it('quotes a leg name in its reasons: shown, not obeyed', () => {
    const a = aggregateLegs([{ name: 'x\n::error::"y"', outcome: { kind: 'missing' } }])
    expect(a.reasons[0]?.message).toMatch(/^Leg "x\\u\{a\}::error::\\"y\\"": missing — /)
  })
})
