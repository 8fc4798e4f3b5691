/**
 * The profile model: one run of a benchmark, reduced to per-report summary tables.
 *
 * Everything downstream of the parsers (compare, render, the action's baseline) reads only this.
 * The JSON form is documented in docs/profile-format.md and versioned by `schemaVersion`.
 */

/** The tables a profile can hold, in display order. */
export const TABLE_NAMES = ['kernels', 'memTime', 'memSize', 'cudaApi', 'nvtx', 'osrt'] as const
export type TableName = (typeof TABLE_NAMES)[number]

/** The unit of a table's numbers: time tables are in nanoseconds, the memory-size table in bytes. */
export type Unit = 'ns' | 'bytes'

export const TABLE_UNIT: Readonly<Record<TableName, Unit>> = {
  kernels: 'ns',
  memTime: 'ns',
  memSize: 'bytes',
  cudaApi: 'ns',
  nvtx: 'ns',
  osrt: 'ns'
}

/** Human labels, used by every renderer. */
export const TABLE_LABEL: Readonly<Record<TableName, { title: string; item: string }>> = {
  kernels: { title: 'GPU kernels', item: 'Kernel' },
  memTime: { title: 'GPU memory operations (time)', item: 'Operation' },
  memSize: { title: 'GPU memory operations (size)', item: 'Operation' },
  cudaApi: { title: 'CUDA API calls', item: 'API call' },
  nvtx: { title: 'NVTX ranges', item: 'Range' },
  osrt: { title: 'OS runtime calls', item: 'Call' }
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
}

/** One table: rows keyed by canonical key (see keys.ts). */
export type Table = Map<string, Stat>

export interface GpuInfo {
  name: string
  driver?: string
  cuda?: string
  clocks?: string
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
  runner?: string
  /** Things a person should know about how this profile was read (never silently dropped data). */
  notes: string[]
}

export interface Profile {
  meta: ProfileMeta
  /** A table is absent when its report was not in the input; present and empty when it had no data. */
  tables: Partial<Record<TableName, Table>>
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
