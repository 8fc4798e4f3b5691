import type { Note, Profile } from '../profile/model.js'
import { DurationSketch } from '../profile/sketch.js'
import { judge, type ItemDiff, type Method, type TableDiff } from './compare.js'
import { benjaminiHochberg, launchRankTest, signedRankTest } from './statistics.js'

/**
 * Testing launch by launch (docs/timeline.md): with one run a side there are no repeated runs to
 * test, but a trace holds every launch of every kernel. Each kernel whose change passes the
 * thresholds is tested on its launch durations — the k-th launch of one run against the k-th of
 * the other where both traces kept them in order (a signed-rank test), else a rank test on the
 * two sides' sketches — and the false discoveries over all the kernels tested are controlled at
 * α (Benjamini–Hochberg): a change that is not a discovery does not count (`not-significant`).
 * Kernels with fewer than MIN_LAUNCHES launches a side keep the thresholds alone. With repeated
 * runs the runs are the unit (the Mann–Whitney test over per-run totals decides, as without a
 * trace): launches inside one run vary less than runs do, and a test over launches alone would
 * cry wolf.
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
  /**
   * p of the rank test in the direction the kernel's total moved, before the correction for the
   * number of kernels tested: the two-sided p when the launches moved the way the total did
   * (longer for a total that grew), 1 when they moved the other way (directedP).
   */
  p: number
  base: LaunchSide
  head: LaunchSide
  /** A discovery after Benjamini–Hochberg over the kernels tested (set by decideLaunchTests). */
  significant?: boolean
  /**
   * Not a discovery, but the change stands: the launch count alone moves the total past the
   * limits (set by decideLaunchTests; see launchCountChange).
   */
  byCount?: boolean
  /**
   * The launches were paired by order (the k-th of each side: signedRankTest), as one run a side
   * with every launch of the kernel in order allows; else the pooled launches were ranked.
   */
  paired?: boolean
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

/**
 * The signed-rank test of the kernel's launches paired by order: one run a side, each holding
 * every launch in order (LaunchDistribution.order), as many on both; else undefined (pooled).
 */
function inOrder(
  base: readonly Profile[],
  head: readonly Profile[],
  key: string
): { p: number; z: number } | undefined {
  if (base.length !== 1 || head.length !== 1) return undefined
  const b = base[0]!.launches?.get(key)?.order
  const h = head[0]!.launches?.get(key)?.order
  if (!b || !h || b.length !== h.length) return undefined
  return signedRankTest(b, h)
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
    const test: LaunchTest = { test: 'launch-rank-test', p: 1, base: side(b), head: side(h) }
    const paired = inOrder(base, head, item.key)
    const result = paired ?? launchRankTest(b.toArray().flatMap(pairs), h.toArray().flatMap(pairs))
    if (paired) test.paired = true
    test.p = directedP(result, item.delta)
    item.launches = test
  }
}

/**
 * The p that can confirm a change of `delta` (head − base, the kernel's total): the test's
 * two-sided p when its z goes the same way (z > 0: the head's launches longer), 1 when it goes
 * the other way or not at all. A total that grew while most launches got shorter (fewer, slower
 * outliers) is not confirmed by finding the launches shorter: the p of a change is the test of
 * that change's direction: min(1, 2 × the one-sided p in that direction), which under no change
 * is below a level with at most the two-sided test's chance.
 */
export function directedP(test: { p: number; z: number }, delta: number): number {
  return Math.sign(test.z) === Math.sign(delta) && delta !== 0 ? test.p : 1
}

function pairs(_: number, i: number, all: number[]): [number, number][] {
  return i % 2 === 0 ? [[all[i]!, all[i + 1]!]] : []
}

/**
 * Benjamini–Hochberg at `alpha` over the items' p values: `mark` records each item's answer, and
 * an item that moved (regressed or improved) but is not a discovery becomes unchanged (not
 * significant). Returns how many did. Used by the tests over runs (decideRunTests, compare.ts);
 * the launch tests decide their own (decideLaunchTests).
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
 * The status the launch count alone gives an item, when it is the status the item has: the change
 * of a total whose every launch took as long as the base's did on average (base total × head
 * launches / base launches), judged against the item's limits. The launch test asks whether
 * launches got longer; a kernel launched twice as often (the same work done twice) is slower by
 * its count, which no test of durations can refute.
 */
export function launchCountChange(item: ItemDiff): ItemDiff['status'] | undefined {
  const base = item.base
  const head = item.head
  if (!base || !head || !(base.instances > 0) || base.instances === head.instances) return undefined
  const delta = base.value * (head.instances / base.instances) - base.value
  const pct = base.value > 0 ? (delta / base.value) * 100 : null
  const counted = judge(delta, pct, item.threshold, item.floor, item.direction, () => true)
  return counted.status === item.status ? counted.status : undefined
}

/**
 * Decides the launch tests of every table: Benjamini–Hochberg at α over the tested candidates; a
 * candidate that is not a discovery becomes unchanged (`not-significant`), unless its launch
 * count alone passes the limits (launchCountChange). Also used to re-derive a verdict from a
 * comparison record (the p values and launch counts are its facts). Returns the note that says
 * so.
 */
export function decideLaunchTests(tables: readonly TableDiff[], alpha: number): Note[] {
  const tested = tables.flatMap((t) => t.items.filter((i) => i.launches && candidate(i)))
  if (tested.length === 0) return []
  const discoveries = benjaminiHochberg(
    tested.map((item) => item.launches!.p),
    alpha
  )
  let dropped = 0
  let counted = 0
  tested.forEach((item, k) => {
    const launches = item.launches!
    launches.significant = discoveries[k]!
    delete launches.byCount
    if (launches.significant) return
    if (launchCountChange(item) !== undefined) {
      launches.byCount = true
      counted += 1
      return
    }
    item.status = 'unchanged'
    item.reason = 'not-significant'
    dropped += 1
  })
  const n = tested.length
  const byCount =
    counted === 0
      ? ''
      : ` ${counted} ${counted === 1 ? 'change' : 'changes'} that the launch durations do not explain ${counted === 1 ? 'counts' : 'count'} all the same: the kernel was launched so much more or less often that the count alone passes the limits.`
  return [
    {
      code: 'launch-tests',
      severity: 'info',
      message: `One run a side: ${n} kernel${n === 1 ? '' : 's'} whose change passed the thresholds ${n === 1 ? 'was' : 'were'} tested launch by launch (a rank test on the launch durations of the GPU trace, false discoveries over the kernels tested controlled at ${alpha} with Benjamini–Hochberg); ${dropped} ${dropped === 1 ? 'change was' : 'changes were'} not significant and ${dropped === 1 ? 'does' : 'do'} not count.${byCount}`
    }
  ]
}
