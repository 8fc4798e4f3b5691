import { TABLES, type Note } from '../profile/model.js'
import type { TableDiff } from './compare.js'
import { clip, listed } from '../text.js'

/**
 * The verdict, in one place. From the item statuses and the notes of the checks (structured:
 * code and severity, never prose):
 * - `inconclusive` when any note is an error: the two sides cannot be compared honestly;
 * - `regression` when a gated item or a gated total regressed and was not accepted;
 * - `accepted` when every gated regression was accepted (a label, or a rules-file entry);
 * - `pass` otherwise.
 */
export type Verdict = 'pass' | 'regression' | 'inconclusive' | 'accepted'

export const VERDICTS: readonly Verdict[] = ['pass', 'regression', 'inconclusive', 'accepted']

/** Why a gated regression does not fail the check. */
export interface Acceptance {
  by: 'label' | 'rule'
  label?: string
  /** The rules-file pattern that matched. */
  pattern?: string
  reason: string
  until?: string
}

export interface GateCounts {
  /** Gated items that regressed and were not accepted. */
  regressed: number
  /** Gated items that regressed and were accepted. */
  accepted: number
  /**
   * Items that improved (any table the profile measured: not the derived ones, such as the
   * categories, whose items re-count the kernels).
   */
  improved: number
  /** Gated table totals that regressed and were not accepted. */
  totalsRegressed: number
}

export interface Gate {
  verdict: Verdict
  /** Why: the error notes (inconclusive), the regressions, or the acceptances. */
  reasons: Note[]
  counts: GateCounts
}

/** An item of the table regressed where it gates (accepted or not). */
export function gatedItemRegressed(table: TableDiff): boolean {
  return table.items.some((item) => item.gated && item.status === 'regressed')
}

/** The table's total regressed where it gates, and was not accepted: it fails the check. */
export function totalFails(table: TableDiff): boolean {
  return table.total.status === 'regressed' && table.total.gated && !table.total.accepted
}

export function decide(tables: readonly TableDiff[], notes: readonly Note[]): Gate {
  const counts: GateCounts = { regressed: 0, accepted: 0, improved: 0, totalsRegressed: 0 }
  const regressed: string[] = []
  const totals: string[] = []
  const accepted: string[] = []
  for (const table of tables) {
    let n = 0
    const measured = !('derived' in TABLES[table.table])
    for (const item of table.items) {
      if (item.status === 'improved' && measured) counts.improved += 1
      if (item.status !== 'regressed' || !item.gated) continue
      if (item.accepted) {
        counts.accepted += 1
        accepted.push(`${clip(item.name, 200)} (${item.accepted.reason})`)
      } else n += 1
    }
    counts.regressed += n
    const title = TABLES[table.table].title
    if (n > 0) regressed.push(`${title}: ${n}`)
    const total = table.total
    if (total.status === 'regressed' && total.gated) {
      if (total.accepted) accepted.push(`the total of ${title} (${total.accepted.reason})`)
      else {
        counts.totalsRegressed += 1
        totals.push(`the total of ${title}`)
      }
    }
  }
  const errors = notes.filter((n) => n.severity === 'error')
  if (errors.length > 0) return { verdict: 'inconclusive', reasons: errors, counts }
  if (regressed.length > 0 || totals.length > 0) {
    const n = counts.regressed
    const items =
      n > 0 ? `${n} gated item${n === 1 ? '' : 's'} regressed (${regressed.join(', ')})` : ''
    const text = [items, ...totals.map((t) => `${t} regressed`)].filter(Boolean).join(', and ')
    return {
      verdict: 'regression',
      reasons: [
        {
          code: 'regressed',
          severity: 'error',
          // A sentence: "The total of …" when only totals regressed.
          message: `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
        }
      ],
      counts
    }
  }
  if (accepted.length > 0) {
    return {
      verdict: 'accepted',
      reasons: [
        {
          code: 'accepted',
          severity: 'info',
          message: `Accepted regressions: ${listed(accepted, 10, (a) => a, '; ')}.`
        }
      ],
      counts
    }
  }
  return { verdict: 'pass', reasons: [], counts }
}
