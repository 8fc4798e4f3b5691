import type { DurationSketch } from './sketch.js'

/**
 * What the timeline analyses (src/analyze/) keep beside the model's tables: the figures of each
 * GPU's timeline and the per-launch distributions of the kernels. Stored in the profile JSON as
 * tables of their own (`gpuTimeline`, `kernelLaunches`; docs/profile-format.md).
 */

export interface Activity {
  name: string
  stream?: number
}

export interface Gap {
  /** Nanoseconds from the trace's origin. */
  start: number
  duration: number
  /** The activity that ended last before the gap, and the one that ended it. */
  before: Activity
  after: Activity
}

/** Count, total, shortest and longest of the gaps of one class, ns. */
export interface GapClass {
  count: number
  total: number
  min: number
  max: number
}

export interface DeviceTimeline {
  device: number
  /** The rank whose GPU this is, when the run's traces were one per rank (load/chrome-trace.ts). */
  rank?: number
  /**
   * The first activity's start, ns from the trace's origin (the gaps' `start` is on the same
   * clock); activities of zero duration aside (docs/timeline.md). Absent in profiles written
   * before it was recorded.
   */
  start?: number
  /** First activity's start to last activity's end, ns (activities of zero duration aside). */
  window: number
  /** Union of kernel and memory-operation intervals over all streams, ns. */
  busy: number
  /** window − busy: the sum of the gaps, ns. */
  idle: number
  /** Kernels and memory operations seen. */
  activities: number
  /** Per gap class (analyze/idle.ts GAP_CLASSES). */
  gaps: GapClass[]
  /** The longest gaps, longest first. */
  top: Gap[]
  /** Activities that came too far out of order to be placed exactly (the figures are approximate). */
  late: number
}

export interface GpuTimeline {
  devices: DeviceTimeline[]
}

/** One kernel's launches: the name as printed and the sketch of its durations. */
export interface LaunchDistribution {
  name: string
  sketch: DurationSketch
  /**
   * Every launch's duration (ns) in launch order, where the trace had few enough of them
   * (ORDER_LIMITS, analyze/timeline.ts) and the kernel came from one trace: the launch test pairs
   * the k-th launch of one run with the k-th of the other (compare/launches.ts). Absent otherwise,
   * and in profiles written before 2026-11-30.
   */
  order?: Float64Array
}

/** Per-launch distributions by canonical kernel key. */
export type KernelLaunches = Map<string, LaunchDistribution>
