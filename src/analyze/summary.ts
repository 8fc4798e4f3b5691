import type { EventKind, TraceEvent } from '../profile/events.js'
import { canonicalKey, type Table, type TableName } from '../profile/model.js'
import { addRow, StatAccumulator } from '../profile/stat.js'
import { isProfilerStep, RangeKernels, type RangeKernelLimits } from './range-kernels.js'

/**
 * The summary consumer of the event stream: folds every event into the model's tables, per name,
 * with count, total, min, max and standard deviation (StatAccumulator; memory grows with the
 * distinct names, not with the events). Names are keyed canonically when the tables are built
 * (keys.ts), so two spellings of one kernel meet as they do in nsys summaries.
 *
 * kernel → kernels; memcpy and memset → memTime (and memSize, from their bytes); api → cudaApi;
 * annotation → nvtx (host-side ranges, what nsys `nvtx_sum` measures); gpuAnnotation → nvtxGpu
 * (the ranges in GPU time, what nsys `nvtx_gpu_proj_sum` measures): one instance per range
 * instance (`TraceEvent.instance`), from the start of its first GPU-side event to the end of its
 * last, whatever the stream; events without an instance are one instance each. Kernels, runtime
 * calls and annotations also go to RangeKernels, which fills nvtxKernels (kernel time per range,
 * what nsys `nvtx_kern_sum` measures).
 */
export class EventSummary {
  private readonly time = new Map<EventKind, Map<string, StatAccumulator>>()
  private readonly sizes = new Map<string, StatAccumulator>()
  /** Memory operations without a byte count (ROCm traces do not record one). */
  private memWithoutBytes = 0
  private memOps = 0
  readonly counts: Record<EventKind, number> = {
    kernel: 0,
    memcpy: 0,
    memset: 0,
    api: 0,
    annotation: 0,
    gpuAnnotation: 0
  }
  /** Kernels that ran in a CUDA graph (the trace recorded a graph id). */
  graphKernels = 0
  /** GPU-side range instances still open (their events may come apart in the file), by id. */
  private readonly ranges = new Map<number, { name: string; start: number; end: number }>()
  private readonly gpuRanges = new Map<string, StatAccumulator>()
  /** Range instances folded before the trace ended, to bound memory (see OPEN_RANGES). */
  rangesFoldedEarly = 0
  /** Kernels per annotation range (nvtxKernels), and what could not be attributed. */
  readonly rangeKernels: RangeKernels

  constructor(options: { rangeKernelLimits?: Partial<RangeKernelLimits> } = {}) {
    this.rangeKernels = new RangeKernels(options.rangeKernelLimits)
  }

  /** The sink: `summary.add` can be handed to a producer as it is. */
  readonly add = (event: TraceEvent): void => {
    this.counts[event.kind] += 1
    if (event.kind === 'gpuAnnotation') {
      this.addGpuRange(event)
      return
    }
    this.rangeKernels.add(event)
    const table = this.table(event.kind)
    let acc = table.get(event.name)
    if (!acc) {
      acc = new StatAccumulator(event.name)
      table.set(acc.name, acc)
      // A kernel's key costs a dozen passes over its name (keys.ts, memoized): taken at first
      // sight, while a reader in a worker parses what comes next, rather than all at the end.
      if (event.kind === 'kernel') canonicalKey('kernels', acc.name)
    }
    acc.add(event.duration)
    if (event.kind === 'kernel') {
      if (event.graph !== undefined) this.graphKernels += 1
    } else if (event.kind === 'memcpy' || event.kind === 'memset') {
      this.memOps += 1
      if (event.bytes === undefined) this.memWithoutBytes += 1
      else accumulator(this.sizes, event.name).add(event.bytes)
    }
  }

  private addGpuRange(event: TraceEvent): void {
    const end = event.start + event.duration
    const id = event.instance
    if (id === undefined) {
      accumulator(this.gpuRanges, event.name).add(event.duration)
      return
    }
    const open = this.ranges.get(id)
    if (open && open.name === event.name) {
      if (event.start < open.start) open.start = event.start
      if (end > open.end) open.end = end
      return
    }
    if (open) this.foldRange(id, open)
    if (this.ranges.size >= OPEN_RANGES) {
      // The oldest open instance (a Map keeps insertion order) is the likeliest to be complete.
      const [oldest, range] = this.ranges.entries().next().value as [
        number,
        { name: string; start: number; end: number }
      ]
      this.foldRange(oldest, range)
      this.rangesFoldedEarly += 1
    }
    this.ranges.set(id, { name: event.name, start: event.start, end })
  }

  private foldRange(id: number, range: { name: string; start: number; end: number }): void {
    this.ranges.delete(id)
    accumulator(this.gpuRanges, range.name).add(range.end - range.start)
  }

  private table(kind: EventKind): Map<string, StatAccumulator> {
    // memcpy and memset share one table, as in nsys.
    const key = kind === 'memset' ? 'memcpy' : kind
    let table = this.time.get(key)
    if (!table) {
      table = new Map()
      this.time.set(key, table)
    }
    return table
  }

  /**
   * The model's tables. Every table the source can fill is present (empty when it had no such
   * events), except nvtxGpu, present only when there were GPU-side ranges, nvtxKernels only when
   * there were annotation ranges (other than ProfilerStep#N), and memSize when some memory operation had no byte count: a size table that
   * leaves some out would be wrong, so it is absent (see `memWithoutBytes`).
   */
  tables(): Partial<Record<TableName, Table>> {
    const out: Partial<Record<TableName, Table>> = {}
    const fill = (table: TableName, accumulators: Map<string, StatAccumulator> | undefined) => {
      const rows: Table = new Map()
      for (const acc of accumulators?.values() ?? [])
        addRow(rows, canonicalKey(table, acc.name), acc.toStat())
      out[table] = rows
    }
    fill('kernels', this.time.get('kernel'))
    fill('memTime', this.time.get('memcpy'))
    if (this.memWithoutBytes === 0) fill('memSize', this.sizes)
    fill('cudaApi', this.time.get('api'))
    fill('nvtx', this.time.get('annotation'))
    // The ranges' GPU projection from the host side, where kernels can be linked to their launch
    // calls: every range instance, nested work included, as nsys projects NVTX ranges. Kineto's
    // own GPU-side ranges project only the innermost range around each launch (an outer range
    // such as `decode` gets none: docs/chrome-trace.md): they fill the rows the host side cannot
    // (a range whose host side is not in the trace, or whose work another thread launched), and
    // the whole table for traces without that link, where the profiler recorded them (an empty
    // table would say they were looked for and not found).
    for (const [id, range] of [...this.ranges]) this.foldRange(id, range)
    const projected = this.rangeKernels.projection()
    if (projected) {
      for (const acc of this.gpuRanges.values()) {
        const key = canonicalKey('nvtxGpu', acc.name)
        if (!projected.has(key) && !isProfilerStep(acc.name)) addRow(projected, key, acc.toStat())
      }
      out.nvtxGpu = projected
    } else if (this.counts.gpuAnnotation > 0) fill('nvtxGpu', this.gpuRanges)
    const rangeKernels = this.rangeKernels.table()
    if (rangeKernels) out.nvtxKernels = rangeKernels
    return out
  }

  /** Memory operations that carried no byte count, of all memory operations. */
  missingBytes(): { without: number; of: number } {
    return { without: this.memWithoutBytes, of: this.memOps }
  }
}

/**
 * GPU-side range instances kept open at most, so that memory does not grow with the instances:
 * past it the oldest is folded as it stands. Kineto writes an instance's events (one per stream)
 * near each other; one whose events lie further apart than this would count twice, and
 * `rangesFoldedEarly` lets the source say so.
 */
const OPEN_RANGES = 65_536

function accumulator(table: Map<string, StatAccumulator>, name: string): StatAccumulator {
  let acc = table.get(name)
  if (!acc) {
    acc = new StatAccumulator(name)
    table.set(acc.name, acc)
  }
  return acc
}
