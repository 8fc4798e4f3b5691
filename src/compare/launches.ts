import type { Note, Profile } from '../profile/model.js'
import { DurationSketch } from '../profile/sketch.js'
import type { ItemDiff, Method, TableDiff } from './compare.js'
import { benjaminiHochberg, launchRankTest } from './statistics.js'

/**
 * Testing launch by launch (docs/timeline.md): with one run a side there are no repeated runs to
 * test, but a trace holds every launch of every kernel. Each kernel whose change passes the
 * thresholds is tested on its launch durations (a rank test on the two sides' sketches), and the
 * false discoveries over all the kernels tested are controlled at α (Benjamini–Hochberg): a change
 * that is not a discovery does not count (`not-significant`). Kernels with fewer than
 * MIN_LAUNCHES launches a side keep the thresholds alone. With repeated runs the runs are the unit
 * (the Mann–Whitney test over per-run totals decides, as without a trace): launches inside one run
 * vary less than runs do, and a test over launches alone would cry wolf.
 */

export const MIN_LAUNCHES = 10

export interface LaunchSide {
  launches: number
  p50: number
  p90: number
  p99: number
}

export interface LaunchTest {
  test: 'launch-rank-test'
  /** Two-sided p of the rank test, before the correction for the number of kernels tested. */
  p: number
  base: LaunchSide
  head: LaunchSide
  /** A discovery after Benjamini–Hochberg over the kernels tested (set by decideLaunchTests). */
  significant?: boolean
}

/** The pooled launch sketch of a kernel over a side's runs; undefined when a run has no trace. */
function pooled(runs: readonly Profile[], key: string): DurationSketch | undefined {
  const sketch = new DurationSketch()
  for (const run of runs) {
    if (!run.launches) return undefined
    const entry = run.launches.get(key)
    if (entry) sketch.merge(entry.sketch)
  }
  return sketch
}

function side(sketch: DurationSketch): LaunchSide {
  return {
    launches: sketch.count,
    p50: sketch.quantile(0.5),
    p90: sketch.quantile(0.9),
    p99: sketch.quantile(0.99)
  }
}

/** Tests the kernels whose change passes the thresholds, one run a side (see above). */
export function attachLaunchTests(
  kernels: TableDiff,
  base: readonly Profile[],
  head: readonly Profile[],
  method: Method
): void {
  if (method.kind !== 'single-run') return
  for (const item of kernels.items) {
    delete item.launches
    if (!candidate(item) || item.variant) continue
    const b = pooled(base, item.key)
    const h = pooled(head, item.key)
    if (!b || !h || b.count < MIN_LAUNCHES || h.count < MIN_LAUNCHES) continue
    const { p } = launchRankTest(b.toArray().flatMap(pairs), h.toArray().flatMap(pairs))
    item.launches = { test: 'launch-rank-test', p, base: side(b), head: side(h) }
  }
}

function pairs(_: number, i: number, all: number[]): [number, number][] {
  return i % 2 === 0 ? [[all[i]!, all[i + 1]!]] : []
}

/**
 * Benjamini–Hochberg at `alpha` over the items' p values: `mark` records each item's answer, and
 * an item that moved (regressed or improved) but is not a discovery becomes unchanged (not
 * significant). Returns how many did. Shared by the launch tests and the tests over runs.
 */
export function keepDiscoveries(
  items: readonly ItemDiff[],
  alpha: number,
  p: (item: ItemDiff) => number,
  mark: (item: ItemDiff, discovery: boolean) => void
): number {
  const discoveries = benjaminiHochberg(items.map(p), alpha)
  let dropped = 0
  items.forEach((item, k) => {
    const found = discoveries[k]!
    mark(item, found)
    if (!found && candidate(item)) {
      item.status = 'unchanged'
      item.reason = 'not-significant'
      dropped += 1
    }
  })
  return dropped
}

function candidate(item: ItemDiff): boolean {
  return item.status === 'regressed' || item.status === 'improved'
}

/**
 * Decides the launch tests of every table: Benjamini–Hochberg at α over the tested candidates; a
 * candidate that is not a discovery becomes unchanged (`not-significant`). Also used to re-derive
 * a verdict from a comparison record (the p values are its facts). Returns the note that says so.
 */
export function decideLaunchTests(tables: readonly TableDiff[], alpha: number): Note[] {
  const tested = tables.flatMap((t) => t.items.filter((i) => i.launches && candidate(i)))
  if (tested.length === 0) return []
  const dropped = keepDiscoveries(
    tested,
    alpha,
    (item) => item.launches!.p,
    (item, found) => {
      item.launches!.significant = found
    }
  )
  return [
    {
      code: 'launch-tests',
      severity: 'info',
      message: `One run a side: ${tested.length} kernel${tested.length === 1 ? '' : 's'} whose change passed the thresholds ${tested.length === 1 ? 'was' : 'were'} tested launch by launch (a rank test on the launch durations of the GPU trace, false discoveries over the kernels tested controlled at ${alpha} with Benjamini–Hochberg); ${dropped} ${dropped === 1 ? 'change was' : 'changes were'} not significant and ${dropped === 1 ? 'does' : 'do'} not count.`
    }
  ]
}
