import type { TraceEvent } from '../profile/events.js'
import { canonicalKey, type Stat, type Table } from '../profile/model.js'
import { StatAccumulator, addRow } from '../profile/stat.js'
import { DeviceIdle, idleRows } from './idle.js'
import type { GpuTimeline, KernelLaunches, LaunchDistribution } from '../profile/timeline.js'
import { DurationSketch } from '../profile/sketch.js'

/**
 * The timeline analyses of one trace, fed by the event stream in one pass (docs/timeline.md):
 *
 * - GPU idle time per device (idle.ts): the `gpuIdle` table (gap classes, gated like kernels) and
 *   the device figures with the longest gaps (`GpuTimeline`);
 * - per-launch distributions: a duration sketch per kernel (sketch.ts), so that one run a side
 *   can be tested launch by launch, and p50/p90/p99 shown;
 * - kernel shapes: a kernel launched with more than one grid/block configuration gets a row per
 *   shape in the `kernelShapes` table ("the 4096×14336 GEMM got slower").
 *
 * Memory grows with the distinct kernels, their shapes and the spread of their durations, never
 * with the launches.
 */

export interface TimelineResult {
  gpuIdle: Table
  kernelShapes: Table
  timeline: GpuTimeline
  /** By canonical kernel key. */
  launches: KernelLaunches
}

interface Shape {
  dims: Float64Array
  acc: StatAccumulator
}

interface KernelState {
  sketch: DurationSketch
  shapes: Shape[]
  last: Shape | undefined
  /** The kernel's number, in the order of first sight: its launches' tag in the order buffer. */
  index: number
  /** Launches it has in the order buffer. */
  inOrder: number
  /** A launch that could not be kept in order (a bound was hit): the kernel has no order. */
  orderLost: boolean
}

/**
 * Launches kept in order (LaunchDistribution.order): per kernel, and all kernels together. They
 * go into one buffer, tagged with their kernel, in the order they come, until it is full; a
 * kernel with a launch past either bound keeps none (a partial sequence cannot be paired). The
 * buffer is 768 KB, allocated once, at the first kernel, whatever the number of launches (an
 * array a kernel, grown as its launches came, raised the peak memory of a 2-million-row trace by
 * 17 MB).
 */
export const ORDER_LIMITS = { kernel: 1024, total: 65_536 } as const

const NO_DIMS = [NaN, NaN, NaN] as const

export class TimelineAnalysis {
  private readonly devices = new Map<number, DeviceIdle>()
  private readonly kernels = new Map<string, KernelState>()
  /** Per-kernel state by the producer's id (TraceEvent.id), where it gives one. */
  private readonly byId: (KernelState | undefined)[] = []
  /** The order buffer (ORDER_LIMITS): durations, and the kernel of each; `orderLength` used. */
  private orderDuration: Float64Array | undefined
  private orderKernel = new Int32Array(0)
  private orderLength = 0
  private lastDevice: DeviceIdle | undefined
  private lastDeviceId = NaN

  /** `ordered`: events come in order of start (nsys GPU traces); see DeviceIdle. */
  constructor(private readonly ordered = false) {}

  /** The sink: reads the event during the call only (producers may reuse the object). */
  readonly add = (event: TraceEvent): void => {
    const kind = event.kind
    if (kind !== 'kernel' && kind !== 'memcpy' && kind !== 'memset') return
    const deviceId = event.device ?? 0
    let device = this.lastDevice
    if (deviceId !== this.lastDeviceId || device === undefined) {
      device = this.devices.get(deviceId)
      if (!device) {
        device = new DeviceIdle(deviceId, this.ordered)
        this.devices.set(deviceId, device)
      }
      this.lastDevice = device
      this.lastDeviceId = deviceId
    }
    device.add(event.start, event.duration, event.name, event.stream)
    if (kind !== 'kernel') return
    const id = event.id
    let state = id === undefined ? this.kernels.get(event.name) : this.byId[id]
    if (!state) {
      state = this.kernels.get(event.name)
      if (!state) {
        state = {
          sketch: new DurationSketch(),
          shapes: [],
          last: undefined,
          index: this.kernels.size,
          inOrder: 0,
          orderLost: false
        }
        this.kernels.set(event.name, state)
      }
      if (id !== undefined) {
        while (this.byId.length < id) this.byId.push(undefined)
        this.byId[id] = state
      }
    }
    state.sketch.add(event.duration)
    if (!state.orderLost) {
      if (state.inOrder >= ORDER_LIMITS.kernel || this.orderLength >= ORDER_LIMITS.total)
        state.orderLost = true
      else {
        if (this.orderDuration === undefined) {
          this.orderDuration = new Float64Array(ORDER_LIMITS.total)
          this.orderKernel = new Int32Array(ORDER_LIMITS.total)
        }
        this.orderDuration[this.orderLength] = event.duration
        this.orderKernel[this.orderLength++] = state.index
        state.inOrder += 1
      }
    }
    const grid = event.grid ?? NO_DIMS
    const block = event.block ?? NO_DIMS
    let shape = state.last
    if (shape === undefined || !sameDims(shape.dims, grid, block)) {
      // Not shapes.find(s => …): a closure over grid and block would make this function
      // allocate their context on every call, kernel or not (docs/performance.md).
      shape = shapeOf(state.shapes, grid, block)
      if (!shape) {
        shape = {
          dims: Float64Array.of(grid[0], grid[1], grid[2], block[0], block[1], block[2]),
          acc: new StatAccumulator(event.name)
        }
        state.shapes.push(shape)
      }
      state.last = shape
    }
    shape.acc.add(event.duration)
  }

  /** Each kernel's launches in order, by its index, for the kernels that kept all of them. */
  private orders(): (Float64Array | undefined)[] {
    const out: (Float64Array | undefined)[] = []
    const filled: number[] = []
    for (const state of this.kernels.values())
      if (!state.orderLost && state.inOrder > 0) {
        out[state.index] = new Float64Array(state.inOrder)
        filled[state.index] = 0
      }
    const durations = this.orderDuration
    if (!durations) return out
    for (let i = 0; i < this.orderLength; i++) {
      const k = this.orderKernel[i]!
      const order = out[k]
      if (order) order[filled[k]!++] = durations[i]!
    }
    return out
  }

  /**
   * `deviceOf` renumbers the devices the producer gave (several traces read as one run: each
   * trace's GPUs become the run's devices, see load/chrome-trace.ts); it must be one-to-one.
   */
  finish(deviceOf?: (device: number) => { device: number; rank?: number }): TimelineResult {
    const gpuIdle: Table = new Map()
    const devices = [...this.devices.values()]
      .map((d) => {
        const timeline = d.finish()
        if (deviceOf) {
          const { device, rank } = deviceOf(timeline.device)
          timeline.device = device
          if (rank !== undefined) timeline.rank = rank
        }
        return timeline
      })
      .sort((a, b) => a.device - b.device)
    for (const device of devices)
      for (const [name, stat] of idleRows(device)) gpuIdle.set(canonicalKey('gpuIdle', name), stat)

    const launches: KernelLaunches = new Map()
    const kernelShapes: Table = new Map()
    // Names that key alike (keys.ts) pool their launches and shapes.
    const shapesByKey = new Map<string, Map<string, Stat>>()
    const orders = this.orders()
    for (const [name, state] of this.kernels) {
      const key = canonicalKey('kernels', name)
      const entry = launches.get(key)
      if (entry) {
        // Names that key alike launched apart: their launches have no one order.
        entry.sketch.merge(state.sketch)
        delete entry.order
      } else {
        const added: LaunchDistribution = { name, sketch: state.sketch }
        const order = orders[state.index]
        if (order) added.order = order
        launches.set(key, added)
      }
      let shapes = shapesByKey.get(key)
      if (!shapes) {
        shapes = new Map<string, Stat>()
        shapesByKey.set(key, shapes)
      }
      for (const shape of state.shapes) {
        const label = shapeLabel(shape.dims)
        const stat = shape.acc.toStat()
        const existing = shapes.get(label)
        if (existing) addRow(shapes, label, stat)
        else shapes.set(label, stat)
      }
    }
    for (const [key, shapes] of shapesByKey) {
      if (shapes.size < 2) continue
      const name = launches.get(key)?.name ?? key
      for (const [label, stat] of shapes) {
        const rowName = `${name} ${label}`
        stat.name = rowName
        addRow(kernelShapes, canonicalKey('kernelShapes', rowName), stat)
      }
    }
    return { gpuIdle, kernelShapes, timeline: { devices }, launches }
  }
}

function shapeOf<S extends { dims: Float64Array }>(
  shapes: readonly S[],
  grid: readonly number[],
  block: readonly number[]
): S | undefined {
  for (const shape of shapes) if (sameDims(shape.dims, grid, block)) return shape
  return undefined
}

function sameDims(
  dims: Float64Array,
  grid: readonly [number, number, number] | readonly number[],
  block: readonly [number, number, number] | readonly number[]
): boolean {
  return (
    same(dims[0]!, grid[0]) &&
    same(dims[1]!, grid[1]) &&
    same(dims[2]!, grid[2]) &&
    same(dims[3]!, block[0]) &&
    same(dims[4]!, block[1]) &&
    same(dims[5]!, block[2])
  )
}

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b))
}

/** `[grid 128×1×1, block 256×1×1]`; `?` where the profiler recorded no dimension. */
export function shapeLabel(dims: ArrayLike<number>): string {
  const d = (i: number): string => (Number.isNaN(dims[i]!) ? '?' : String(dims[i]))
  return `[grid ${d(0)}×${d(1)}×${d(2)}, block ${d(3)}×${d(4)}×${d(5)}]`
}
