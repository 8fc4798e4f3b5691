import type { TraceEvent } from '../profile/events.js'
import { nvtxKernelName } from '../profile/keys.js'
import { canonicalKey, type Table } from '../profile/model.js'
import { addRow, StatAccumulator } from '../profile/stat.js'

/**
 * Kernel time per host annotation range, from the event stream of a Chrome trace: the
 * `nvtxKernels` table, what nsys's `nvtx_kern_sum` gives (docs/chrome-trace.md "Kernels per
 * range").
 *
 * A kernel counts for every annotation range (`user_annotation`: `record_function`) that encloses
 * its launch call on the thread that made it, as nsys counts a kernel for every NVTX range around
 * its launch: the call is the runtime or driver event (`cudaLaunchKernel`, `cuLaunchKernel`,
 * `cudaGraphLaunch`, `hipLaunchKernel`, …) whose correlation the kernel carries. `ProfilerStep#N`
 * (the profiler's own range around each step) is not a range here. A range whose name encloses the
 * launch more than once (a range nested in one of its own name) counts the kernel once, for its
 * outermost instance. Kernels launched outside every range are not in the table.
 *
 * One pass, memory bounded by RangeKernelLimits. The PyTorch profiler writes every host event
 * (annotations included) before the GPU-side ones (runtime calls, kernels), and a kernel near its
 * launch call, before or after it: the ranges are held (per thread, ordered by start, each linked
 * to the range it starts in, so that the ranges around a call are found by a binary search and a
 * walk up), and launch calls and kernels wait for each other in two rings. What a full buffer
 * makes impossible is counted (`lost`, `partial`) and said in a warning, never dropped silently;
 * so is an order of events other than the profiler's (`beforeRanges`, `lateRanges`).
 *
 * Until the first range comes nothing is held: a trace without annotations costs one test per
 * event.
 */

export interface RangeKernelLimits {
  /** Annotation ranges held, all threads together. */
  ranges: number
  /** Launch calls held for the kernels still to come (the most recent). */
  launches: number
  /** Kernels held while their launch call has not come (the most recent). */
  kernels: number
  /** Ranges looked through for one launch call (the nesting depth). */
  depth: number
}

export const RANGE_KERNEL_LIMITS: Readonly<RangeKernelLimits> = {
  ranges: 262_144,
  launches: 65_536,
  kernels: 65_536,
  depth: 256
}

/** What became of the kernels, for the trace's notes. */
export interface RangeKernelCounts {
  /** Kernel events seen. */
  kernels: number
  /** Attributed to at least one range. */
  inside: number
  /** Launched outside every range. */
  outside: number
  /** Without a launch call in the trace (or without a correlation). */
  noLaunch: number
  /** Not attributed at all because a limit was hit. */
  lost: number
  /** Attributed, but perhaps not to every range around their launch, because a limit was hit. */
  partial: number
  /** The limits that were hit. */
  limitsHit: Set<keyof RangeKernelLimits>
  /** Kernels that came before the first range (not the profiler's order): not attributed. */
  beforeRanges: number
  /** Ranges that came after a kernel launched on their thread at or after their start was counted. */
  lateRanges: number
}

/** `ProfilerStep#12`: the PyTorch profiler's range around each step. */
const PROFILER_STEP = /^ProfilerStep#\d+$/

/** The PyTorch profiler's own range around each step, which is not a range here. */
export function isProfilerStep(name: string): boolean {
  return name.startsWith('ProfilerStep#') && PROFILER_STEP.test(name)
}

/** Instances of a range remembered per row, to count each once (they come together). */
const RECENT = 8

export class RangeKernels {
  readonly limits: RangeKernelLimits
  /** A range (not ProfilerStep#N) has come: from then on launches and kernels are held. */
  private active = false
  readonly counts: RangeKernelCounts = {
    kernels: 0,
    inside: 0,
    outside: 0,
    noLaunch: 0,
    lost: 0,
    partial: 0,
    limitsHit: new Set(),
    beforeRanges: 0,
    lateRanges: 0
  }

  private readonly threads: ThreadRanges[] = []
  /** Ranges a re-sort of a thread's ranges may still move (a bound on hostile orders). */
  private readonly sortBudget: { left: number }
  /** Threads past the producer's bound (thread -1): nothing can be told about them. */
  private readonly unknownThread: ThreadRanges
  private held = 0
  private nextInstance = 1

  private readonly rangeIds = new Map<string, number>()
  private readonly rangeNames: string[] = []
  /** Per range name: the rows by kernel name. */
  private readonly rows: Map<string, Row>[] = []
  /** Per range name, for one launch: whether it was seen, and its outermost instance. */
  private readonly nameStamp: number[] = []
  private readonly nameInstance: number[] = []
  private stamp = 0
  /** The ranges around one launch call (enclosing's output, reused). */
  private readonly around: number[] = []

  /** Launch calls: a ring of the most recent, by correlation (the newest of one correlation). */
  private readonly launchAt = new CorrelationIndex()
  private launchCorrelation = new Float64Array(0)
  private launchThread = new Int32Array(0)
  private launchStart = new Float64Array(0)
  private launchDuration = new Float64Array(0)
  private launchUsed = new Uint8Array(0)
  private launchCount = 0
  private lowestLaunch = Infinity
  /** Correlations of the launch calls read before the first range (not held). */
  private earlyFrom = Infinity
  private earlyTo = -Infinity
  /** Correlations of launch calls inside a range dropped from the ring before a kernel used them. */
  private droppedFrom = Infinity
  private droppedTo = -Infinity

  /** Kernels waiting for their launch call: a ring, chained by correlation (newest first). */
  private readonly kernelAt = new Map<number, number>()
  private kernelCorrelation = new Float64Array(0)
  private kernelDuration = new Float64Array(0)
  /** The operation's GPU start (ns), for the ranges' GPU projection. */
  private kernelStart = new Float64Array(0)
  /** 1 for a memory operation (copy, set): it projects, it is not a kernel of the table. */
  private kernelMemory = new Uint8Array(0)
  private kernelOlder = new Float64Array(0)
  private kernelWaiting = new Uint8Array(0)
  private kernelName: (string | undefined)[] = []
  private kernelCount = 0
  private finished = false
  /** Kernels with a correlation (rpd2tracing writes none). */
  private correlated = 0

  constructor(limits: Partial<RangeKernelLimits> = {}) {
    this.limits = { ...RANGE_KERNEL_LIMITS, ...limits }
    for (const key of Object.keys(this.limits) as (keyof RangeKernelLimits)[])
      this.limits[key] = Math.max(1, Math.floor(this.limits[key]))
    this.sortBudget = { left: 4 * this.limits.ranges }
    this.unknownThread = new ThreadRanges(this.sortBudget)
  }

  /** Whether a range (other than ProfilerStep#N) came. */
  get hasRanges(): boolean {
    return this.active
  }

  /**
   * Whether the trace has a kernels-per-range table: it has ranges, and its kernels can be linked
   * to their launch calls (not when every kernel lacks a correlation, as rpd2tracing writes them:
   * an empty table would say that no kernel ran inside a range).
   */
  get hasTable(): boolean {
    return this.active && (this.counts.kernels === 0 || this.correlated > 0)
  }

  /** The sink (annotations, runtime and driver calls, kernels; other events are passed over). */
  readonly add = (event: TraceEvent): void => {
    switch (event.kind) {
      case 'kernel':
        this.kernel(event, false)
        return
      case 'memcpy':
      case 'memset':
        if (this.active) this.kernel(event, true)
        return
      case 'api':
        if (this.active) this.launch(event)
        else if (event.correlation !== undefined) {
          // Not held: their kernels, when they come, are told apart by these (beforeRanges).
          if (event.correlation < this.earlyFrom) this.earlyFrom = event.correlation
          if (event.correlation > this.earlyTo) this.earlyTo = event.correlation
        }
        return
      case 'annotation':
        this.range(event)
        return
      default:
        return
    }
  }

  private range(event: TraceEvent): void {
    const name = event.name
    if (event.thread === undefined) return
    if (name.startsWith('ProfilerStep#') && PROFILER_STEP.test(name)) return
    if (!this.active) this.activate()
    const ranges = this.threadRanges(event.thread)
    const start = event.start
    const end = start + event.duration
    if (start <= ranges.attributedTo) this.counts.lateRanges += 1
    if (
      this.held >= this.limits.ranges ||
      ranges === this.unknownThread ||
      (ranges.queried && this.sortBudget.left <= 0 && ranges.wouldUnorder(start, end))
    ) {
      if (start < ranges.lostFrom) ranges.lostFrom = start
      if (end > ranges.lostTo) ranges.lostTo = end
      return
    }
    let id = this.rangeIds.get(name)
    if (id === undefined) {
      id = this.rangeNames.length
      this.rangeIds.set(name, id)
      this.rangeNames.push(name)
      this.rows.push(new Map())
      this.nameStamp.push(0)
      this.nameInstance.push(0)
    }
    ranges.push(start, end, id, this.nextInstance++)
    this.held += 1
  }

  private activate(): void {
    this.active = true
    const { launches, kernels } = this.limits
    this.launchCorrelation = new Float64Array(launches)
    this.launchThread = new Int32Array(launches)
    this.launchStart = new Float64Array(launches)
    this.launchDuration = new Float64Array(launches)
    this.launchUsed = new Uint8Array(launches)
    this.launchAt.allocate(launches)
    this.kernelCorrelation = new Float64Array(kernels)
    this.kernelDuration = new Float64Array(kernels)
    this.kernelStart = new Float64Array(kernels)
    this.kernelMemory = new Uint8Array(kernels)
    this.kernelOlder = new Float64Array(kernels)
    this.kernelWaiting = new Uint8Array(kernels)
    this.kernelName = new Array<string | undefined>(kernels).fill(undefined)
  }

  private threadRanges(thread: number): ThreadRanges {
    if (thread < 0) return this.unknownThread
    let ranges = this.threads[thread]
    if (!ranges) {
      ranges = new ThreadRanges(this.sortBudget)
      this.threads[thread] = ranges
    }
    return ranges
  }

  private launch(event: TraceEvent): void {
    const correlation = event.correlation
    const thread = event.thread
    if (correlation === undefined || thread === undefined) return
    if (correlation < this.lowestLaunch) this.lowestLaunch = correlation
    const cap = this.limits.launches
    if (this.launchCount >= cap) this.dropLaunch(this.launchCount - cap)
    const seq = this.launchCount++
    const slot = seq % cap
    this.launchCorrelation[slot] = correlation
    this.launchThread[slot] = thread
    this.launchStart[slot] = event.start
    this.launchDuration[slot] = event.duration
    this.launchUsed[slot] = 0
    this.launchAt.set(correlation, seq, this.launchCount - this.limits.launches)
    // Kernels that came first (all of a CUDA graph's, when its replay's kernels did).
    const newest = this.kernelAt.get(correlation)
    if (newest === undefined) return
    this.kernelAt.delete(correlation)
    this.launchUsed[slot] = 1
    const kcap = this.limits.kernels
    const oldest = this.kernelCount - kcap
    for (let k = newest; k >= 0 && k >= oldest; k = this.kernelOlder[k % kcap]!) {
      const at = k % kcap
      if (this.kernelWaiting[at] === 0 || this.kernelCorrelation[at] !== correlation) break
      this.kernelWaiting[at] = 0
      const name = this.kernelName[at]!
      this.kernelName[at] = undefined
      this.attribute(
        name,
        this.kernelStart[at]!,
        this.kernelDuration[at]!,
        this.kernelMemory[at] === 1,
        thread,
        event.start,
        event.duration
      )
    }
  }

  /** The oldest launch call leaves the ring; one inside a range that no kernel used is noted. */
  private dropLaunch(seq: number): void {
    const slot = seq % this.limits.launches
    const correlation = this.launchCorrelation[slot]!
    this.launchAt.forget(correlation, seq)
    if (this.launchUsed[slot] === 1) return
    const ranges = this.threadRanges(this.launchThread[slot]!)
    const start = this.launchStart[slot]!
    const inside =
      ranges.enclosing(start, this.launchDuration[slot]!, this.around, this.limits.depth) !== 0 ||
      (start >= ranges.lostFrom && start <= ranges.lostTo)
    if (!inside) return
    if (correlation < this.droppedFrom) this.droppedFrom = correlation
    if (correlation > this.droppedTo) this.droppedTo = correlation
  }

  /**
   * A kernel, or (`memory`) a copy or set, which only projects its range onto the GPU: the
   * counts and the table's rows are the kernels'.
   */
  private kernel(event: TraceEvent, memory: boolean): void {
    if (!memory) {
      this.counts.kernels += 1
      if (event.correlation !== undefined) this.correlated += 1
      if (!this.active) {
        this.counts.beforeRanges += 1
        return
      }
    }
    const correlation = event.correlation
    if (correlation === undefined) {
      if (!memory) this.counts.noLaunch += 1
      return
    }
    const seq = this.launchAt.get(correlation, this.launchCount - this.limits.launches)
    if (seq !== undefined) {
      const slot = seq % this.limits.launches
      this.launchUsed[slot] = 1
      this.attribute(
        event.name,
        event.start,
        event.duration,
        memory,
        this.launchThread[slot]!,
        this.launchStart[slot]!,
        this.launchDuration[slot]!
      )
      return
    }
    // Its launch call may come later: the kernel waits in the ring.
    const cap = this.limits.kernels
    if (this.kernelCount >= cap) this.dropKernel(this.kernelCount - cap)
    const k = this.kernelCount++
    const slot = k % cap
    const older = this.kernelAt.get(correlation)
    this.kernelCorrelation[slot] = correlation
    this.kernelDuration[slot] = event.duration
    this.kernelStart[slot] = event.start
    this.kernelMemory[slot] = memory ? 1 : 0
    this.kernelOlder[slot] = older ?? -1
    this.kernelWaiting[slot] = 1
    this.kernelName[slot] = event.name
    this.kernelAt.set(correlation, k)
  }

  /** The oldest waiting kernel leaves the ring: its launch call never came, or came too late. */
  private dropKernel(seq: number): void {
    const slot = seq % this.limits.kernels
    if (this.kernelWaiting[slot] === 0) return
    this.kernelWaiting[slot] = 0
    this.kernelName[slot] = undefined
    const correlation = this.kernelCorrelation[slot]!
    if (this.kernelAt.get(correlation) === seq) this.kernelAt.delete(correlation)
    if (this.kernelMemory[slot] === 1) return
    // Correlations grow with the calls: one below every launch call read is a kernel launched
    // before the trace began, which no range can hold; another may have its call still to come.
    if (!this.unmatched(correlation))
      if (correlation < this.lowestLaunch) this.counts.noLaunch += 1
      else this.lose('kernels')
  }

  /**
   * A kernel that met no launch call, counted by what its correlation says: a call dropped from
   * the ring (lost), or read before the first range (beforeRanges). False when neither.
   */
  private unmatched(correlation: number): boolean {
    if (correlation >= this.droppedFrom && correlation <= this.droppedTo) {
      this.lose('launches')
      return true
    }
    if (correlation >= this.earlyFrom && correlation <= this.earlyTo) {
      this.counts.beforeRanges += 1
      return true
    }
    return false
  }

  private lose(limit: keyof RangeKernelLimits): void {
    this.counts.lost += 1
    this.counts.limitsHit.add(limit)
  }

  private attribute(
    kernel: string,
    gpuStart: number,
    duration: number,
    memory: boolean,
    thread: number,
    start: number,
    callDuration: number
  ): void {
    const ranges = this.threadRanges(thread)
    const around = this.around
    const n = ranges.enclosing(start, callDuration, around, this.limits.depth)
    // Every range instance around the call projects onto the operation (nested ones too, as nsys
    // projects an NVTX range onto all the GPU work launched inside it).
    const gpuEnd = gpuStart + duration
    for (let i = 0; i < around.length; i++) {
      const at = around[i]!
      if (gpuStart < ranges.gpuFrom[at]!) ranges.gpuFrom[at] = gpuStart
      if (gpuEnd > ranges.gpuTo[at]!) ranges.gpuTo[at] = gpuEnd
    }
    if (memory) return
    if (start > ranges.attributedTo) ranges.attributedTo = start
    let cut = false
    if (n < 0) {
      cut = true
      this.counts.limitsHit.add('depth')
    }
    if (start >= ranges.lostFrom && start <= ranges.lostTo) {
      cut = true
      this.counts.limitsHit.add('ranges')
    }
    const found = around.length
    if (found === 0) {
      if (cut) this.counts.lost += 1
      else this.counts.outside += 1
      return
    }
    this.counts.inside += 1
    if (cut) this.counts.partial += 1
    // Innermost first: a name seen again further out takes that (outer) instance.
    const stamp = ++this.stamp
    const names = ranges.name
    const ids = ranges.id
    for (let i = 0; i < found; i++) {
      const at = around[i]!
      const name = names[at]!
      this.nameStamp[name] = stamp
      this.nameInstance[name] = ids[at]!
    }
    for (let i = 0; i < found; i++) {
      const name = names[around[i]!]!
      if (this.nameStamp[name] !== stamp) continue
      this.nameStamp[name] = 0
      const rows = this.rows[name]!
      let row = rows.get(kernel)
      if (!row) {
        row = new Row(nvtxKernelName(this.rangeNames[name]!, kernel))
        rows.set(kernel, row)
      }
      row.add(duration, this.nameInstance[name]!)
    }
  }

  /**
   * The `nvtxKernels` table; undefined when the trace had no range (other than ProfilerStep#N),
   * as a trace without GPU-side ranges has no `nvtxGpu`, or no kernel with a correlation
   * (hasTable). Ends the stream: kernels still waiting for their launch call never had one.
   */
  table(): Table | undefined {
    if (!this.hasTable) return undefined
    this.finish()
    const table: Table = new Map()
    for (const rows of this.rows)
      for (const row of rows.values())
        addRow(table, canonicalKey('nvtxKernels', row.acc.name), {
          ...row.acc.toStat(),
          occurrences: row.occurrences
        })
    return table
  }

  /**
   * The `nvtxGpu` table from the host side, what nsys's `nvtx_gpu_proj_sum` gives: each range
   * instance that launched GPU work (kernels, copies, sets; in nested ranges too) projects onto
   * the span from that work's first start to its last end, on any stream; a row a range name,
   * its instances those with work. Undefined where there is no kernels-per-range table (the same
   * attribution makes both). Ends the stream, as `table` does.
   */
  projection(): Table | undefined {
    if (!this.hasTable) return undefined
    this.finish()
    const accs: (StatAccumulator | undefined)[] = []
    for (const ranges of [...this.threads, this.unknownThread]) {
      if (!ranges) continue
      const { name, gpuFrom, gpuTo } = ranges
      for (let i = 0; i < name.length; i++) {
        if (!(gpuTo[i]! >= gpuFrom[i]!)) continue
        const id = name[i]!
        const acc = (accs[id] ??= new StatAccumulator(this.rangeNames[id]!))
        acc.add(gpuTo[i]! - gpuFrom[i]!)
      }
    }
    const table: Table = new Map()
    for (const acc of accs) if (acc) addRow(table, canonicalKey('nvtxGpu', acc.name), acc.toStat())
    return table
  }

  private finish(): void {
    if (this.finished) return
    this.finished = true
    const cap = this.limits.kernels
    for (let k = Math.max(0, this.kernelCount - cap); k < this.kernelCount; k++) {
      const slot = k % cap
      if (this.kernelWaiting[slot] === 0) continue
      this.kernelWaiting[slot] = 0
      if (this.kernelMemory[slot] === 1) continue
      if (!this.unmatched(this.kernelCorrelation[slot]!)) this.counts.noLaunch += 1
    }
  }
}

/** One row: the kernel's launches inside the range, and the range instances that launched it. */
class Row {
  readonly acc: StatAccumulator
  occurrences = 0
  private readonly recent: number[] = []

  constructor(name: string) {
    this.acc = new StatAccumulator(name)
  }

  add(duration: number, instance: number): void {
    this.acc.add(duration)
    if (this.recent.includes(instance)) return
    this.occurrences += 1
    this.recent.push(instance)
    if (this.recent.length > RECENT) this.recent.shift()
  }
}

/**
 * One thread's ranges, ordered by start (then the longer first), each linked to its parent: the
 * latest-starting earlier range that holds its start. Every range that holds a time t is then on
 * the chain of parents from the last range starting at or before t (a range holding t holds the
 * start of every range on that chain after it), whether the ranges nest or merely overlap.
 */
class ThreadRanges {
  readonly start: number[] = []
  readonly end: number[] = []
  readonly name: number[] = []
  readonly id: number[] = []
  /** Each range's GPU projection: the first start and the last end of the work launched inside it. */
  readonly gpuFrom: number[] = []
  readonly gpuTo: number[] = []
  private readonly parent: number[] = []
  /** Parents are known below this index. */
  private linked = 0
  private ordered = true
  /** A launch call was looked up: ranges out of order from then on cost a sort each. */
  queried = false
  /** The latest launch call attributed (its start): a range starting before it came late. */
  attributedTo = -Infinity
  /** The span of the ranges not held (a limit): a call in it may lack some of its ranges. */
  lostFrom = Infinity
  lostTo = -Infinity

  constructor(private readonly budget: { left: number }) {}

  wouldUnorder(start: number, end: number): boolean {
    const n = this.start.length
    if (n === 0) return false
    const s = this.start[n - 1]!
    return start < s || (start === s && end > this.end[n - 1]!)
  }

  push(start: number, end: number, name: number, id: number): void {
    if (this.ordered && this.wouldUnorder(start, end)) this.ordered = false
    this.start.push(start)
    this.end.push(end)
    this.name.push(name)
    this.id.push(id)
    this.gpuFrom.push(Infinity)
    this.gpuTo.push(-Infinity)
    this.parent.push(-1)
  }

  /**
   * The ranges that hold the call [start, start + duration], innermost first, into `out`; their
   * number, or -1 when the walk stopped at `depth` ranges (those found are in `out`).
   */
  enclosing(start: number, duration: number, out: number[], depth: number): number {
    out.length = 0
    const n = this.start.length
    if (n === 0) return 0
    this.queried = true
    if (!this.ordered) this.sort()
    if (this.linked < n) this.link()
    const starts = this.start
    // The last range starting at or before the call.
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (starts[mid]! <= start) lo = mid + 1
      else hi = mid
    }
    const end = start + duration
    let steps = 0
    for (let j = lo - 1; j >= 0; j = this.parent[j]!) {
      if (++steps > depth) return -1
      if (end <= this.end[j]!) out.push(j)
    }
    return out.length
  }

  private sort(): void {
    const n = this.start.length
    this.budget.left -= n
    const { start, end, name, id, gpuFrom, gpuTo } = this
    const order = Array.from({ length: n }, (_, i) => i)
    order.sort((a, b) => start[a]! - start[b]! || end[b]! - end[a]! || id[a]! - id[b]!)
    const s = order.map((i) => start[i]!)
    const e = order.map((i) => end[i]!)
    const m = order.map((i) => name[i]!)
    const d = order.map((i) => id[i]!)
    const f = order.map((i) => gpuFrom[i]!)
    const t = order.map((i) => gpuTo[i]!)
    for (let i = 0; i < n; i++) {
      start[i] = s[i]!
      end[i] = e[i]!
      name[i] = m[i]!
      id[i] = d[i]!
      gpuFrom[i] = f[i]!
      gpuTo[i] = t[i]!
    }
    this.ordered = true
    this.linked = 0
  }

  /**
   * Parents of the ranges not yet linked. The walk from the previous range passes over ranges
   * that ended before this one starts, or as it starts: a range that ends where the next begins
   * (one step after another, at the trace's microsecond) does not hold it — else each step would
   * be the parent of the next, and the walk up from a launch would climb every earlier step.
   * No later range walks over them again (linear in all).
   */
  private link(): void {
    const { start, end, parent } = this
    for (let i = this.linked; i < start.length; i++) {
      const s = start[i]!
      let j = i - 1
      while (j >= 0 && end[j]! <= s) j = parent[j]!
      parent[i] = j
    }
    this.linked = start.length
  }
}

/**
 * The ring's launch calls by correlation (the newest of each): a table indexed by the
 * correlation's low bits, four times the ring, with a Map for the calls two correlations would
 * share a cell with (rare: correlations grow by one per call, so the calls in the ring sit in
 * distinct cells unless they lie more than the table apart). A Map alone cost a hash, an insert
 * and a delete per launch call: about a tenth of reading an annotated trace.
 */
class CorrelationIndex {
  /** seq + 1 of the call whose correlation falls in the cell, 0 for none. */
  private cells = new Int32Array(0)
  private mask = 0
  private correlations = new Float64Array(0)
  private readonly shared = new Map<number, number>()

  allocate(ring: number): void {
    let size = 1024
    while (size < ring * 4) size *= 2
    this.cells = new Int32Array(size)
    this.correlations = new Float64Array(size)
    this.mask = size - 1
  }

  /**
   * The newest call of `correlation` still in the ring, if any: the calls numbered from `oldest`
   * on are (the ring holds the latest; a number in the table is never one still to come).
   */
  get(correlation: number, oldest: number): number | undefined {
    const cell = correlation & this.mask
    const seq = this.cells[cell]! - 1
    if (seq >= oldest && this.correlations[cell] === correlation) return seq
    if (this.shared.size === 0) return undefined
    const other = this.shared.get(correlation)
    return other !== undefined && other >= oldest ? other : undefined
  }

  /** Call `seq` has `correlation`; the calls numbered from `oldest` on are still in the ring. */
  set(correlation: number, seq: number, oldest: number): void {
    const cell = correlation & this.mask
    const held = this.cells[cell]! - 1
    const heldCorrelation = this.correlations[cell]!
    // Another correlation's call still in the ring keeps its place in the Map.
    if (held >= 0 && held >= oldest && heldCorrelation !== correlation)
      this.shared.set(heldCorrelation, held)
    if (this.shared.size > 0) this.shared.delete(correlation)
    this.cells[cell] = seq + 1
    this.correlations[cell] = correlation
  }

  /** The call `seq` of `correlation` left the ring. */
  forget(correlation: number, seq: number): void {
    const cell = correlation & this.mask
    if (this.cells[cell] === seq + 1 && this.correlations[cell] === correlation)
      this.cells[cell] = 0
    else if (this.shared.get(correlation) === seq) this.shared.delete(correlation)
  }
}
