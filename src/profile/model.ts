import {
  apiKey,
  kernelKey,
  kernelShapeKey,
  memoryOperationKey,
  nvtxKernelKey,
  nvtxKey,
  plainKey
} from './keys.js'
import type { GpuTimeline, KernelLaunches } from './timeline.js'

/**
 * The profile model: one run of a benchmark, reduced to per-report summary tables.
 *
 * Everything downstream of the parsers (compare, render, the action's baseline) reads only this.
 * The JSON form is documented in docs/profile-format.md and versioned by `schemaVersion`.
 */

/**
 * The unit of a table's numbers: time tables are in nanoseconds, the memory-size table in bytes,
 * the host synchronisation table in calls.
 */
export type Unit = 'ns' | 'bytes' | 'calls'

/** What the model knows about one table. Adding a table means adding one entry here. */
export interface TableSpec {
  unit: Unit
  /** Human labels, used by every renderer. */
  title: string
  item: string
  /**
   * The same item gets the same key whatever profiler version printed it (keys.ts). `standalone`:
   * the name owns its characters (keys may then point into it instead of copying).
   */
  key: (name: string, standalone?: boolean) => string
  /** Whether a regression of an item fails the check by default, and whether the total does. */
  gate: boolean
  gateTotal: boolean
  /**
   * An analysis of a trace or a table derived from an optional report: a side without that input
   * (an older baseline, summaries only) leaves the table out of the comparison with a warning;
   * the kernels still decide the verdict.
   */
  optional?: true
  /**
   * The number an item is compared by: its `total`, or its time per occurrence
   * (`total / occurrences`, see occurrencesOf) for tables of phases that a run repeats (NVTX
   * ranges): a head that runs twice the iterations at the same time per iteration is unchanged.
   * A per-occurrence table's total is the sum of its items' per-occurrence times and never gates.
   */
  measure: Measure
  /**
   * The table's built-in absolute floor, in its unit, where a share of its total makes no sense
   * (a count of calls); the rules file's `tables.<name>.minShare` or `minDelta` replaces it.
   */
  minDelta?: number
  /**
   * Derived from other tables of the same profile when two sides are compared
   * (src/analyze/derived.ts), never read from an input nor written to a profile JSON.
   */
  derived?: true
}

/** See TableSpec.measure. */
export type Measure = 'total' | 'perOccurrence'

/**
 * The tables a profile can hold, in display order. Kernels and memory-operation time (each, and
 * their totals: a new copy or kernel fails through the total), GPU busy time (its total), GPU idle
 * time (its total, with repeated runs) and host synchronisation calls gate by default; the rest
 * is reported only.
 */
export const TABLES = {
  kernels: {
    unit: 'ns',
    title: 'GPU kernels',
    item: 'Kernel',
    key: kernelKey,
    gate: true,
    gateTotal: true,
    measure: 'total'
  },
  /**
   * Kernel and memory-operation time by category (GEMM, attention, …; analyze/categories.ts).
   * Reported only: a category's regression is the sum of its kernels', which gate already.
   */
  categories: {
    unit: 'ns',
    title: 'GPU time by category',
    item: 'Category',
    key: plainKey,
    gate: false,
    gateTotal: false,
    derived: true,
    measure: 'total'
  },
  memTime: {
    unit: 'ns',
    title: 'GPU memory operations (time)',
    item: 'Operation',
    key: memoryOperationKey,
    gate: true,
    gateTotal: true,
    measure: 'total'
  },
  memSize: {
    unit: 'bytes',
    title: 'GPU memory operations (size)',
    item: 'Operation',
    key: memoryOperationKey,
    gate: false,
    gateTotal: false,
    measure: 'total'
  },
  cudaApi: {
    unit: 'ns',
    title: 'CUDA API calls',
    item: 'API call',
    key: apiKey,
    gate: false,
    gateTotal: false,
    measure: 'total'
  },
  /** CUDA/HIP API time by kind: kernel and graph launches, synchronisations, … (analyze/host.ts). */
  hostApi: {
    unit: 'ns',
    title: 'Host API time by kind',
    item: 'Kind',
    key: plainKey,
    gate: false,
    gateTotal: false,
    derived: true,
    measure: 'total'
  },
  /**
   * Calls that make the host wait for the GPU, by kind (analyze/host.ts). Gated: a new
   * synchronisation in a loop stalls the pipeline. Counted, not timed: the time a host waits
   * tracks the GPU's work (gated as kernels) and grows when the host gets faster.
   */
  hostSyncs: {
    unit: 'calls',
    title: 'Host synchronisations (calls)',
    item: 'Synchronisation',
    key: plainKey,
    gate: true,
    gateTotal: false,
    minDelta: 4,
    optional: true,
    derived: true,
    measure: 'total'
  },
  nvtx: {
    unit: 'ns',
    title: 'NVTX ranges',
    item: 'Range',
    key: nvtxKey,
    gate: false,
    gateTotal: false,
    measure: 'total'
  },
  osrt: {
    unit: 'ns',
    title: 'OS runtime calls',
    item: 'Call',
    key: plainKey,
    gate: false,
    gateTotal: false,
    measure: 'total'
  },
  nvtxGpu: {
    unit: 'ns',
    title: 'NVTX ranges in GPU time',
    item: 'Range',
    key: nvtxKey,
    gate: false,
    gateTotal: false,
    measure: 'perOccurrence'
  },
  nvtxKernels: {
    unit: 'ns',
    title: 'Kernels per NVTX range',
    item: 'Range › kernel',
    key: nvtxKernelKey,
    gate: false,
    gateTotal: false,
    measure: 'perOccurrence'
  },
  /**
   * GPU busy time from a trace (analyze/derived.ts, from the timeline): per device, the union of
   * its kernels' and memory operations' intervals over all streams. Gated on the total, the busy
   * time of all devices: work that used to overlap on two streams and now runs one after the
   * other leaves every kernel and copy as fast as before and the GPU busy longer (docs/timeline.md
   * "GPU busy time"). Devices are shown, not gated: their numbering follows the machine.
   */
  gpuBusy: {
    unit: 'ns',
    title: 'GPU busy time (union over streams)',
    item: 'GPU',
    key: plainKey,
    gate: false,
    gateTotal: true,
    optional: true,
    derived: true,
    measure: 'total'
  },
  /**
   * GPU idle time from a trace (analyze/idle.ts): per device, the gaps in disjoint classes of
   * length; the table's total is the idle time of all devices. The total gates, the classes do
   * not: a gap that grows past a class's bound moves its whole length to the next class, so the
   * classes move far more than the idle time does (docs/timeline.md). With one run a side the
   * total does not gate either (compare/checks.ts `idleWithoutRuns`).
   */
  gpuIdle: {
    unit: 'ns',
    title: 'GPU idle time (gaps between activities)',
    item: 'Gaps',
    key: plainKey,
    gate: false,
    gateTotal: true,
    optional: true,
    measure: 'total'
  },
  /** Kernels launched with several grid/block shapes, one row per shape (analyze/timeline.ts). */
  kernelShapes: {
    unit: 'ns',
    title: 'Kernels by launch shape',
    item: 'Kernel and shape',
    key: kernelShapeKey,
    gate: false,
    gateTotal: false,
    optional: true,
    measure: 'total'
  }
} as const satisfies Record<string, TableSpec>

export type TableName = keyof typeof TABLES
export const TABLE_NAMES = Object.keys(TABLES) as readonly TableName[]

export function isTableName(name: string): name is TableName {
  return Object.hasOwn(TABLES, name)
}

/** The canonical key of an item of a table (see keys.ts). */
export function canonicalKey(table: TableName, name: string, standalone = false): string {
  return TABLES[table].key(name, standalone)
}

/**
 * Summary statistics of one item (a kernel, an API call, …) in the table's unit.
 * `med` and `stdDev` are known only when the source reported them for exactly this item.
 */
export interface Stat {
  /** The name as the profiler printed it (shown to people). */
  name: string
  total: number
  instances: number
  avg: number
  min: number
  max: number
  med?: number
  stdDev?: number
  /**
   * How many times the phase this item belongs to occurred, when that is not `instances`: for
   * `nvtxKernels`, the NVTX range instances that launched the kernel (`instances` counts the
   * kernel's launches). See occurrencesOf.
   */
  occurrences?: number
  /** The profiler cut the name short (nsys column output, 100 characters): it may not be unique. */
  truncated?: boolean
  /** Rows of the source that share this cut name and were kept together as one item. */
  sharedBy?: number
}

/** One table: rows keyed by canonical key (see keys.ts). */
export type Table = Map<string, Stat>

export interface GpuInfo {
  name: string
  driver?: string
  cuda?: string
  /** The clocks as shown to people (e.g. `sm 1980 MHz (max 1980), mem 2619 MHz`). */
  clocks?: string
  /**
   * The fingerprint nvidia-smi gave when the run started (absent where it could not say: `[N/A]`,
   * `[Not Supported]`; and in profiles written before it was recorded).
   */
  uuid?: string
  pciBusId?: string
  /** `Enabled` or `Disabled`, as nvidia-smi prints them. */
  persistenceMode?: string
  migMode?: string
  /** With MIG on: the GPU instances' profiles (e.g. `3g.40gb`), in nvidia-smi -L order. */
  migDevices?: string[]
  eccMode?: string
  powerLimitW?: number
  smClockMHz?: number
  memClockMHz?: number
  maxSmClockMHz?: number
  maxMemClockMHz?: number
  temperatureC?: number
  powerDrawW?: number
}

/** A compute process on the GPU when a run started (the benchmark had not started yet). */
export interface GpuProcess {
  pid: number
  name: string
  gpuUuid?: string
  usedMemoryMiB?: number
}

export type Severity = 'error' | 'warning' | 'info'

/**
 * Something a person should know, with a stable code that programs may test (never the prose).
 * `error` notes make a comparison inconclusive; `warning` notes are shown prominently.
 */
export interface Note {
  code: string
  severity: Severity
  message: string
  /**
   * The table the note is about, where it is about one (a `rows-missing` excerpt of the kernel
   * summary): a check can then tell a gated table's from another's. Older readers drop it.
   */
  table?: TableName
}

export interface ProfileMeta {
  /** The tool that wrote the profile. */
  tool: { name: string; version: string }
  /** The profiler that measured it. */
  profiler: { name: string; version?: string }
  /** Where the numbers came from (file paths as given). */
  sources: string[]
  /** Which report filled each table (e.g. `cuda_gpu_kern_sum`, `gpukernsum`, `cuda_gpu_trace`). */
  reports: Partial<Record<TableName, string>>
  /** How kernels are named: nsys `cuda_gpu_kern_sum` variants. Profiles compare only like with like. */
  kernelNaming: 'demangled' | 'base' | 'mangled' | 'nvtx-name'
  createdAt?: string
  command?: string
  gitSha?: string
  gpus?: GpuInfo[]
  /**
   * The compute processes nvidia-smi listed on the GPUs when the run started: other work sharing
   * the GPU. Absent when they were not looked at; empty when there were none.
   */
  gpuProcesses?: GpuProcess[]
  runner?: string
  /**
   * The ranks of a distributed run this profile holds, in order, and the world size where the
   * traces name one (PyTorch traces: `distributedInfo`). Absent where the input says nothing of
   * ranks. Kernels and every other table are summed over these ranks.
   */
  distributed?: { ranks: number[]; worldSize?: number }
  /** How this profile was read (never silently dropped data). */
  notes: Note[]
}

export interface Profile {
  meta: ProfileMeta
  /** A table is absent when its report was not in the input; present and empty when it had no data. */
  tables: Partial<Record<TableName, Table>>
  /**
   * Tables of a newer profile JSON that this version does not know, kept as read so that they
   * survive a round trip (older readers keep what they do not understand).
   */
  unknownTables?: Record<string, unknown>
  /** Per-device timeline figures, from a trace (analyze/timeline.ts). */
  timeline?: GpuTimeline
  /** Per-launch duration distributions of the kernels, from a trace (analyze/timeline.ts). */
  launches?: KernelLaunches
}

export function emptyMeta(tool: { name: string; version: string }): ProfileMeta {
  return {
    tool,
    profiler: { name: 'nsys' },
    sources: [],
    reports: {},
    kernelNaming: 'demangled',
    notes: []
  }
}

/**
 * The profiler's major version, the part whose change may spell kernel names differently: the
 * year of nsys's (`2024` of `2024.1.1.59`); the semantic-version major of rocprofv3's
 * (rocprofiler-sdk's: `1` of `1.0.0`), and for a 0.x release the minor too (`0.6` of `0.6.0`:
 * before 1.0 each minor may break, and ROCm 6.2, 6.3 and 6.4 shipped 0.4, 0.5 and 0.6); else the
 * text before the first dot. Undefined when the version is unknown.
 */
export function profilerMajor(profiler: ProfileMeta['profiler']): string | undefined {
  const version = profiler.version
  if (version === undefined || version === '') return undefined
  if (profiler.name === 'rocprofv3') {
    const m = /^(\d+)\.(\d+)/.exec(version)
    if (m) return m[1] === '0' ? `0.${m[2]}` : m[1]
  }
  return version.split('.')[0] || undefined
}

/** How many times an item's phase occurred: `occurrences` where known, else `instances`. */
export function occurrencesOf(stat: Stat): number {
  return stat.occurrences ?? stat.instances
}

/**
 * The number a table compares an item by (TableSpec.measure): the total, or the total per
 * occurrence (0 for an item that never occurred).
 */
export function measureOf(table: TableName, stat: Stat): number {
  if (TABLES[table].measure === 'total') return stat.total
  const n = occurrencesOf(stat)
  return n > 0 ? stat.total / n : 0
}

/** Sum of `total` over a table's rows (0 for an absent table). */
export function tableTotal(table: Table | undefined): number {
  let sum = 0
  if (table) for (const stat of table.values()) sum += stat.total
  return sum
}

/** Whether a table has rows: absent (report not read), empty (no data) or with data. */
export function tableState(table: Table | undefined): 'missing' | 'empty' | 'data' {
  if (!table) return 'missing'
  return table.size === 0 ? 'empty' : 'data'
}
