/**
 * The event stream: what a timeline producer (a Chrome trace, a rocprofv3 kernel trace, later
 * the nsys GPU trace) hands to its consumers, one record per GPU activity or host call.
 *
 * Producers call an `EventSink` once per event, in file order (not sorted by time); consumers
 * (the summary that fills the model's tables, the timeline analyses) subscribe to the same
 * stream, so a trace is read once whatever is computed from it. A record is the consumer's to
 * read during the call only: a producer may refill the same object for the next event (the nsys
 * GPU trace does, row after row), so a consumer copies what it keeps (strings are immutable and
 * may be kept as they are).
 */

/** What an event is; each kind feeds one table of the model (analyze/summary.ts). */
export const EVENT_KINDS = [
  /** A GPU kernel execution. */
  'kernel',
  /** A GPU memory copy. */
  'memcpy',
  /** A GPU memory set. */
  'memset',
  /** A host call into the GPU runtime or driver (CUDA, HIP, HSA). */
  'api',
  /** A range the program marked on the host (NVTX, `record_function`, RPD `UserMarker`). */
  'annotation',
  /** The GPU-side projection of such a range (Kineto `gpu_user_annotation`). */
  'gpuAnnotation'
] as const

export type EventKind = (typeof EVENT_KINDS)[number]

export interface TraceEvent {
  kind: EventKind
  /** As the profiler wrote it (shown to people; the tables key it canonically). */
  name: string
  /** Nanoseconds from the trace's origin (its first timed event): only differences mean anything. */
  start: number
  /** Nanoseconds, ≥ 0. */
  duration: number
  /** GPU index (device or agent) for GPU activity. */
  device?: number
  /** Stream (CUDA) or queue (ROCm) of GPU activity. */
  stream?: number
  /** Links a host call to the GPU activity it launched. */
  correlation?: number
  /**
   * The host thread of a host call or annotation: a small integer the producer gives each
   * distinct process and thread (from 0 up), so that a call can be placed inside the ranges of
   * its own thread; -1 for a thread past the producer's bound on distinct threads.
   */
  thread?: number
  /** Blocks per grid (x, y, z) and threads per block, where the profiler recorded them. */
  grid?: readonly [number, number, number]
  block?: readonly [number, number, number]
  /** Bytes moved or set (memory operations). */
  bytes?: number
  /**
   * The range instance a GPU-side annotation belongs to (Kineto's `External id`, shared with the
   * host range): a range whose kernels ran on several streams has one GPU-side event per stream.
   */
  instance?: number
  /** The CUDA graph a kernel ran in (launched by a graph replay), when recorded. */
  graph?: number
  /**
   * A small integer the producer gives each distinct kernel name (the same name, the same id;
   * from 0 up), so that consumers can keep per-kernel state in an array instead of a map.
   */
  id?: number
}

export type EventSink = (event: TraceEvent) => void

/** Several consumers on one stream, called in order. */
export function fanOut(...sinks: readonly EventSink[]): EventSink {
  if (sinks.length === 1 && sinks[0]) return sinks[0]
  return (event) => {
    for (const sink of sinks) sink(event)
  }
}
