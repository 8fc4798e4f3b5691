import type { Note, Profile } from '../profile/model.js'
import { clip, listed, quoted } from '../text.js'
import type { Comparison } from './compare.js'
import type { Verdict } from './gate.js'

/**
 * The verdict of a matrix: several legs (GPUs, models), each judged on its own, summed up as the
 * worst of them. Structured like the gate of one comparison (`decide` in gate.ts): a verdict and
 * its reasons (code, severity, message), never decided by matching prose.
 */

/** What became of one leg. */
export type LegOutcome =
  /** Compared with its baseline. */
  | { kind: 'compared'; comparison: Comparison }
  /** Profiled, but there is no baseline to compare with yet. */
  | { kind: 'no-baseline'; profile: Profile }
  /** The leg failed before a verdict, and its results say so (with its message). */
  | { kind: 'failed'; message: string }
  /**
   * The leg was expected but left no results: it failed before nsys-bench wrote any. `near`: the
   * legs that left results under a name that differs from this one only in case or Unicode
   * normalisation (`expected-legs` misspelt, or the matrix's `name`).
   */
  | { kind: 'missing'; near?: string[] }
  /** Its results exist but could not be used (unreadable, another commit, no usable baseline). */
  | { kind: 'unusable'; message: string }

export interface Leg {
  /** The leg's name (untrusted: from an artifact name or an input). */
  name: string
  outcome: LegOutcome
}

/** A leg's verdict: one comparison's, or why there is none. */
export type LegVerdict = Verdict | 'no-baseline' | 'error' | 'missing'

export interface LegResult {
  name: string
  verdict: LegVerdict
  /** Why: the comparison's reasons, or the failure. */
  reasons: Note[]
  /** Gated items that regressed and were not accepted. */
  regressions: number
  improvements: number
}

/** The matrix's verdict: `no-baseline` only when no leg had a baseline and none went wrong. */
export type AggregateVerdict = Verdict | 'no-baseline'

export interface Aggregate {
  verdict: AggregateVerdict
  /** One per leg that is not a plain pass: its verdict and why; `no-legs` when there were none. */
  reasons: Note[]
  /** In the order of the legs given. */
  legs: LegResult[]
}

/** Longest reason of a leg carried into the aggregate's reasons. */
const REASON_LENGTH = 500

export function legResult(leg: Leg): LegResult {
  const { outcome } = leg
  const none = { regressions: 0, improvements: 0 }
  switch (outcome.kind) {
    case 'compared': {
      const { gate } = outcome.comparison
      return {
        name: leg.name,
        verdict: gate.verdict,
        reasons: gate.reasons,
        regressions: gate.counts.regressed,
        improvements: gate.counts.improved
      }
    }
    case 'no-baseline':
      return { name: leg.name, verdict: 'no-baseline', reasons: [], ...none }
    case 'failed':
      return {
        name: leg.name,
        verdict: 'error',
        reasons: [
          {
            code: 'leg-failed',
            severity: 'error',
            message: `The leg failed before a verdict: ${outcome.message}`
          }
        ],
        ...none
      }
    case 'missing':
      return {
        name: leg.name,
        verdict: 'missing',
        reasons: [
          {
            code: 'leg-missing',
            severity: 'error',
            message:
              'The leg left no results: it failed before nsys-bench wrote any (a failed step before it, a cancelled job, a lost runner), or it did not run.' +
              nearNote(outcome.near)
          }
        ],
        ...none
      }
    case 'unusable':
      return {
        name: leg.name,
        verdict: 'error',
        reasons: [
          {
            code: 'leg-unusable',
            severity: 'error',
            message: `The leg's results could not be used: ${outcome.message}`
          }
        ],
        ...none
      }
  }
}

/**
 * What a missing leg's reason adds when legs of nearly its name left results: names are matched
 * exactly, so one of the two spellings is wrong.
 */
function nearNote(near: readonly string[] | undefined): string {
  if (!near || near.length === 0) return ''
  return ` ${near.length === 1 ? 'A leg' : 'Legs'} named ${listed(near, 5, (n) => quoted(n, 100))} left results: names differ only in case or Unicode normalisation, and are matched exactly. Spell the leg in \`expected-legs\` as its \`name\` is.`
}

/** Worst first: what decides the aggregate and orders its reasons. */
const RANK: Readonly<Record<LegVerdict, number>> = {
  regression: 0,
  error: 1,
  missing: 1,
  inconclusive: 1,
  accepted: 2,
  pass: 3,
  'no-baseline': 4
}

/** The rank of a leg's verdict, worst (0) first: for ordering rows. */
export function legRank(verdict: LegVerdict): number {
  return RANK[verdict]
}

const LEG_CODE: Readonly<Record<LegVerdict, string>> = {
  regression: 'leg-regressed',
  inconclusive: 'leg-inconclusive',
  error: 'leg-error',
  missing: 'leg-missing',
  accepted: 'leg-accepted',
  pass: 'leg-passed',
  'no-baseline': 'leg-no-baseline'
}

/**
 * The worst leg decides: `regression` > `inconclusive` (a leg inconclusive, failed, missing or
 * unusable; or no leg at all) > `accepted` > `pass` > `no-baseline` (every leg without one).
 */
export function aggregateLegs(legs: readonly Leg[]): Aggregate {
  const results = legs.map(legResult)
  if (results.length === 0) {
    return {
      verdict: 'inconclusive',
      reasons: [
        {
          code: 'no-legs',
          severity: 'error',
          message:
            "No leg's results were found in the run: there is nothing to judge, which is not a pass."
        }
      ],
      legs: results
    }
  }
  const worst = Math.min(...results.map((r) => RANK[r.verdict]))
  const verdict: AggregateVerdict =
    worst === 0
      ? 'regression'
      : worst === 1
        ? 'inconclusive'
        : worst === 2
          ? 'accepted'
          : worst === 3
            ? 'pass'
            : 'no-baseline'
  const reasons: Note[] = results
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.verdict !== 'pass' && r.verdict !== 'no-baseline')
    .sort((a, b) => RANK[a.r.verdict] - RANK[b.r.verdict] || a.i - b.i)
    .map(({ r }) => ({
      code: LEG_CODE[r.verdict],
      severity: r.verdict === 'accepted' ? 'info' : 'error',
      message:
        `Leg ${quoted(r.name, 100)}: ${r.verdict}` +
        (r.reasons.length > 0
          ? ` — ${clip(
              listed(r.reasons, 3, (n) => n.message, ' '),
              REASON_LENGTH
            )}`
          : '.')
    }))
  return { verdict, reasons, legs: results }
}
