import type { EventKind, TraceEvent } from '../profile/events.js'
import { canonicalKey, type Table, type TableName } from '../profile/model.js'
import { addRow, StatAccumulator } from '../profile/stat.js'

/**
 * The summary consumer of the event stream: folds every event into the model's tables, per name,
 * with count, total, min, max and standard deviation (StatAccumulator; memory grows with the
 * distinct names, not with the events). Names are keyed canonically when the tables are built
 * (keys.ts), so two spellings of one kernel meet as they do in nsys summaries.
 *
 * kernel → kernels; memcpy and memset → memTime (and memSize, from their bytes); api → cudaApi;
 * annotation → nvtx (host-side ranges, what nsys `nvtx_sum` measures). GPU-side annotation ranges
 * are counted but fill no table: they are for the timeline analyses.
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

  /** The sink: `summary.add` can be handed to a producer as it is. */
  readonly add = (event: TraceEvent): void => {
    this.counts[event.kind] += 1
    if (event.kind === 'gpuAnnotation') return
    accumulator(this.table(event.kind), event.name).add(event.duration)
    if (event.kind === 'kernel') {
      if (event.graph !== undefined) this.graphKernels += 1
    } else if (event.kind === 'memcpy' || event.kind === 'memset') {
      this.memOps += 1
      if (event.bytes === undefined) this.memWithoutBytes += 1
      else accumulator(this.sizes, event.name).add(event.bytes)
    }
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
   * events), except memSize when some memory operation had no byte count: a size table that
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
    return out
  }

  /** Memory operations that carried no byte count, of all memory operations. */
  missingBytes(): { without: number; of: number } {
    return { without: this.memWithoutBytes, of: this.memOps }
  }
}

function accumulator(table: Map<string, StatAccumulator>, name: string): StatAccumulator {
  let acc = table.get(name)
  if (!acc) {
    acc = new StatAccumulator(name)
    table.set(acc.name, acc)
  }
  return acc
}
