/**
 * An independent reader of a GPU's busy and idle time, for the tests of the idle sweep
 * (src/analyze/idle.ts): sort the activities, merge them, list the gaps between them. An activity
 * of zero duration is no activity here: it neither ends a gap nor widens the window
 * (docs/timeline.md).
 */
export function idleReference(intervals: readonly (readonly [number, number])[]): {
  start: number | undefined
  window: number
  busy: number
  gaps: number[]
} {
  const s = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0])
  if (s.length === 0) return { start: undefined, window: 0, busy: 0, gaps: [] }
  let busy = 0
  const gaps: number[] = []
  let [cs, ce] = s[0]!
  for (const [a, b] of s.slice(1)) {
    if (a > ce) {
      busy += ce - cs
      gaps.push(a - ce)
      cs = a
      ce = b
    } else if (b > ce) ce = b
  }
  busy += ce - cs
  const start = s[0]![0]
  // The window ends at the latest end, which is the last merged interval's.
  return { start, window: ce - start, busy, gaps }
}
