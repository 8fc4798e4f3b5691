import type { Stat, Table } from '../profile/model.js'
import type { Activity, DeviceTimeline, Gap, GpuTimeline } from '../profile/timeline.js'

/**
 * GPU busy and idle time of one device, from its kernels and memory operations in one pass.
 *
 * Busy time is the union of the activity intervals over all streams; the window runs from the
 * first activity's start to the last one's end; idle = window − busy = the sum of the gaps, where a
 * gap is a stretch of the window in which no activity ran on any stream. Gaps are counted in
 * disjoint classes (GAP_CLASSES) and the longest are kept with the activity before and after each.
 *
 * An activity of zero duration (a 0-ns memset, a kernel whose start is its end: nsys and Chrome
 * traces have them) occupies no time, so it takes no part in the sweep: it counts in `activities`
 * and nowhere else. It neither ends nor starts a gap (1.5 ms of idle time with a 0-ns memset in
 * the middle is one gap over 1 ms, not two under 1 ms), nor opens or closes the window, nor names
 * the activity before or after a gap, nor counts as `late`. A device whose activities all last
 * 0 ns has a window of 0 and no `start`. docs/timeline.md.
 *
 * The sweep needs activities in order of start. nsys `cuda_gpu_trace` prints them in that order;
 * other producers (Chrome traces) are mostly but not always in order: the first activity that
 * starts before its predecessor switches the device to a reorder buffer of REORDER activities,
 * sorted as it fills. An activity that starts before everything the buffer already let through is
 * late: it counts toward busy time where it extends the current stretch, is otherwise left out,
 * and is counted (`late`) so that the figures say they are approximate. docs/timeline.md.
 */

/**
 * Upper bounds of the gap classes, in nanoseconds, each inside its class (a gap of exactly 10 µs is
 * "under 10 µs"); the last class is everything above.
 */
export const GAP_LIMITS = [10_000, 100_000, 1_000_000] as const
export const GAP_CLASSES = ['under 10 µs', '10–100 µs', '100 µs–1 ms', 'over 1 ms'] as const
export const TOP_GAPS = 10
const REORDER = 1 << 14

export class DeviceIdle {
  private started = false
  private windowStart = 0
  private curStart = 0
  private curEnd = 0
  private lastName = ''
  private lastStream: number | undefined
  private lastStartSeen = -Infinity
  private busy = 0
  private activities = 0
  private late = 0
  private readonly classes = GAP_CLASSES.map(() => ({
    count: 0,
    total: 0,
    min: Infinity,
    max: 0
  }))
  private readonly top: Gap[] = []
  /** Reorder buffer (sorted by start), unless activities come in order (see `ordered`). */
  private buffer: ReorderBuffer | undefined

  /**
   * `ordered`: the producer writes activities in order of start (nsys); the buffer is set up only
   * if one comes out of order. Otherwise every activity goes through the buffer.
   */
  constructor(
    readonly device: number,
    ordered = false
  ) {
    if (!ordered) this.buffer = new ReorderBuffer()
  }

  add(start: number, duration: number, name: string, stream: number | undefined): void {
    this.activities += 1
    // Zero duration: counted, and nothing more (see above). Not `=== 0`: a negative or NaN
    // duration (producers give ≥ 0) occupies no time either, rather than corrupting the sweep.
    if (!(duration > 0)) return
    let b = this.buffer
    if (b === undefined) {
      if (start >= this.lastStartSeen) {
        this.lastStartSeen = start
        this.sweep(start, start + duration, name, stream)
        return
      }
      b = this.buffer = new ReorderBuffer()
    }
    b.insert(start, start + duration, name, stream ?? -1)
    if (b.size === REORDER) this.drain(REORDER >>> 1)
  }

  /** Sweeps the `count` earliest buffered activities; the rest move to the front. */
  private drain(count: number): void {
    const b = this.buffer
    if (!b) return
    b.sort()
    for (let i = 0; i < count; i++) {
      const s = b.starts[i]!
      const e = b.ends[i]!
      const stream = b.streams[i]!
      if (s < this.lastStartSeen) {
        // Before what was already swept: exact while it starts inside the current stretch.
        if (s < this.curStart) this.late += 1
        if (e > this.curEnd) {
          this.curEnd = e
          this.lastName = b.names[i]!
          this.lastStream = stream < 0 ? undefined : stream
        }
        continue
      }
      this.lastStartSeen = s
      this.sweep(s, e, b.names[i]!, stream < 0 ? undefined : stream)
    }
    b.shift(count)
  }

  private sweep(start: number, end: number, name: string, stream: number | undefined): void {
    if (!this.started) {
      this.started = true
      this.windowStart = start
      this.curStart = start
      this.curEnd = end
      this.lastName = name
      this.lastStream = stream
      return
    }
    if (start > this.curEnd) {
      this.gap(this.curEnd, start - this.curEnd, name, stream)
      this.busy += this.curEnd - this.curStart
      this.curStart = start
      this.curEnd = end
      this.lastName = name
      this.lastStream = stream
    } else if (end > this.curEnd) {
      this.curEnd = end
      this.lastName = name
      this.lastStream = stream
    }
  }

  private gap(start: number, duration: number, name: string, stream: number | undefined): void {
    let c = 0
    while (c < GAP_LIMITS.length && duration > GAP_LIMITS[c]!) c += 1
    const cls = this.classes[c]!
    cls.count += 1
    cls.total += duration
    if (duration < cls.min) cls.min = duration
    if (duration > cls.max) cls.max = duration
    const top = this.top
    if (top.length === TOP_GAPS && duration <= top[top.length - 1]!.duration) return
    const entry: Gap = {
      start,
      duration,
      before: activity(this.lastName, this.lastStream),
      after: activity(name, stream)
    }
    let i = top.length
    while (i > 0 && top[i - 1]!.duration < duration) i -= 1
    top.splice(i, 0, entry)
    if (top.length > TOP_GAPS) top.pop()
  }

  /** The device's figures; the reorder buffer is drained first. */
  finish(): DeviceTimeline {
    if (this.buffer) this.drain(this.buffer.size)
    const busy = this.started ? this.busy + (this.curEnd - this.curStart) : 0
    const window = this.started ? this.curEnd - this.windowStart : 0
    const out: DeviceTimeline = {
      device: this.device,
      window,
      busy,
      idle: window - busy,
      activities: this.activities,
      gaps: this.classes.map((c) => ({
        count: c.count,
        total: c.total,
        min: c.count > 0 ? c.min : 0,
        max: c.max
      })),
      top: this.top,
      late: this.late
    }
    if (this.started) out.start = this.windowStart
    return out
  }
}

function activity(name: string, stream: number | undefined): Activity {
  return stream === undefined ? { name } : { name, stream }
}

/** The `gpuIdle` table's row name of a device's gap class. */
export function gapRowName(device: number, cls: number): string {
  return `GPU ${device}: gaps ${GAP_CLASSES[cls]}`
}

/** The `gpuIdle` rows of a device: one per gap class, present even when empty. */
export function idleRows(timeline: DeviceTimeline): [string, Stat][] {
  return timeline.gaps.map((g, cls) => {
    const name = gapRowName(timeline.device, cls)
    return [
      name,
      {
        name,
        total: g.total,
        instances: g.count,
        avg: g.count > 0 ? g.total / g.count : 0,
        min: g.min,
        max: g.max
      }
    ]
  })
}

/** The `gpuBusy` table's row name of a device (with its rank when the run was one trace a rank). */
export function busyRowName(timeline: DeviceTimeline): string {
  return timeline.rank === undefined
    ? `GPU ${timeline.device}`
    : `GPU ${timeline.device} (rank ${timeline.rank})`
}

/**
 * The `gpuBusy` table of a run (a derived table, analyze/derived.ts): one row a device, its busy
 * time (the union of its activities over all streams) as one value. Undefined without a timeline.
 */
export function busyTable(timeline: GpuTimeline | undefined): Table | undefined {
  if (!timeline || timeline.devices.length === 0) return undefined
  const table: Table = new Map()
  for (const device of timeline.devices) {
    const name = busyRowName(device)
    const busy = device.busy
    table.set(name, { name, total: busy, instances: 1, avg: busy, min: busy, max: busy })
  }
  return table
}

/**
 * Activities sorted by start as they arrive: an insertion moves at most MAX_SHIFT entries (nearly
 * sorted input moves little). One that would move more is appended, and the buffer is sorted
 * before it is drained, so that input in any order costs O(log n) an activity, never O(n).
 */
const MAX_SHIFT = 64

class ReorderBuffer {
  starts = new Float64Array(REORDER)
  ends = new Float64Array(REORDER)
  names = new Array<string>(REORDER).fill('')
  streams = new Float64Array(REORDER)
  size = 0
  /** Some entries were appended out of order (see MAX_SHIFT). */
  private unsorted = false

  insert(start: number, end: number, name: string, stream: number): void {
    let i = this.size
    const { starts, ends, names, streams } = this
    const stop = this.unsorted ? i : Math.max(0, i - MAX_SHIFT)
    while (i > stop && starts[i - 1]! > start) {
      starts[i] = starts[i - 1]!
      ends[i] = ends[i - 1]!
      names[i] = names[i - 1]!
      streams[i] = streams[i - 1]!
      i -= 1
    }
    if (i > 0 && starts[i - 1]! > start) this.unsorted = true
    starts[i] = start
    ends[i] = end
    names[i] = name
    streams[i] = stream
    this.size += 1
  }

  /** Sorts by start (then end) if an insertion gave up; called before entries are read. */
  sort(): void {
    if (!this.unsorted) return
    this.unsorted = false
    const { starts, ends, names, streams, size } = this
    const order = Array.from({ length: size }, (_, k) => k)
    order.sort((a, b) => starts[a]! - starts[b]! || ends[a]! - ends[b]!)
    const s = new Float64Array(REORDER)
    const e = new Float64Array(REORDER)
    const t = new Float64Array(REORDER)
    const n = new Array<string>(REORDER).fill('')
    for (let k = 0; k < size; k++) {
      const from = order[k]!
      s[k] = starts[from]!
      e[k] = ends[from]!
      t[k] = streams[from]!
      n[k] = names[from]!
    }
    this.starts = s
    this.ends = e
    this.streams = t
    this.names = n
  }

  /** Drops the first `count` entries (the buffer is sorted). */
  shift(count: number): void {
    const { starts, ends, names, streams } = this
    starts.copyWithin(0, count, this.size)
    ends.copyWithin(0, count, this.size)
    streams.copyWithin(0, count, this.size)
    for (let i = count; i < this.size; i++) names[i - count] = names[i]!
    this.size -= count
  }
}
