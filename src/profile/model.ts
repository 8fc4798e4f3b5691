import { apiKey, kernelKey, memoryOperationKey, nvtxKey, plainKey } from './keys.js'

/**
 * The profile model: one run of a benchmark, reduced to per-report summary tables.
 *
 * Everything downstream of the parsers (compare, render, the action's baseline) reads only this.
 * The JSON form is documented in docs/profile-format.md and versioned by `schemaVersion`.
 */

/** The unit of a table's numbers: time tables are in nanoseconds, the memory-size table in bytes. */
export type Unit = 'ns' | 'bytes'

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
}

/**
 * The tables a profile can hold, in display order. Kernels (and their total) and memory-operation
 * time gate by default; the rest is reported only.
 */
export const TABLES = {
  kernels: {
    unit: 'ns',
    title: 'GPU kernels',
    item: 'Kernel',
    key: kernelKey,
    gate: true,
    gateTotal: true
  },
  memTime: {
    unit: 'ns',
    title: 'GPU memory operations (time)',
    item: 'Operation',
    key: memoryOperationKey,
    gate: true,
    gateTotal: false
  },
  memSize: {
    unit: 'bytes',
    title: 'GPU memory operations (size)',
    item: 'Operation',
    key: memoryOperationKey,
    gate: false,
    gateTotal: false
  },
  cudaApi: {
    unit: 'ns',
    title: 'CUDA API calls',
    item: 'API call',
    key: apiKey,
    gate: false,
    gateTotal: false
  },
  nvtx: {
    unit: 'ns',
    title: 'NVTX ranges',
    item: 'Range',
    key: nvtxKey,
    gate: false,
    gateTotal: false
  },
  osrt: {
    unit: 'ns',
    title: 'OS runtime calls',
    item: 'Call',
    key: plainKey,
    gate: false,
    gateTotal: false
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
