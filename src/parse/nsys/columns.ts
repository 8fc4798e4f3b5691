import type { Family } from './reports.js'

/**
 * Header cells → roles. Columns are always matched by name, never by position: 2022.4 inserts
 * GridXYZ/BlockXYZ before Name, 2021 has `Average (ns)` and no median, 2019/2020 have
 * `Average`/`Minimum`/`Maximum` and no unit (docs/nsys-notes.md "Headers by era").
 */
export type Role =
  | 'share'
  | 'total'
  | 'instances'
  | 'avg'
  | 'med'
  | 'min'
  | 'max'
  | 'stdDev'
  | 'name'
  /** nvtx_kern_sum: the range (its kernel is the `name`). */
  | 'range'
  /** nvtx_kern_sum: the range instances that launched the kernel (`NVTX Inst`). */
  | 'occurrences'
  | 'style'
  | 'xyz'
  | 'category'
  // GPU trace
  | 'start'
  | 'duration'
  | 'grid'
  | 'gridY'
  | 'gridZ'
  | 'blockX'
  | 'blockY'
  | 'blockZ'
  | 'stream'
  | 'bytes'
  | 'device'
  | 'other'

export interface Column {
  /** The header cell as printed, e.g. `Total Time (ns)`. */
  label: string
  /** Without the unit: `Total Time`. */
  base: string
  /** The unit in parentheses, if any: `ns`, `MB`, `%`. */
  unit?: string
  role: Role
}

const ROLE_BY_BASE: Readonly<Record<string, Role>> = {
  Time: 'share',
  'Total Time': 'total',
  Total: 'total',
  Instances: 'instances',
  'Num Calls': 'instances',
  Calls: 'instances',
  Count: 'instances',
  Operations: 'instances',
  Avg: 'avg',
  Average: 'avg',
  Med: 'med',
  Median: 'med',
  Min: 'min',
  Minimum: 'min',
  Max: 'max',
  Maximum: 'max',
  StdDev: 'stdDev',
  Name: 'name',
  Operation: 'name',
  Range: 'name',
  Style: 'style',
  Category: 'category',
  GridXYZ: 'xyz',
  BlockXYZ: 'xyz',
  Start: 'start',
  Duration: 'duration',
  GrdX: 'grid',
  Bytes: 'bytes',
  Device: 'device',
  CorrId: 'other',
  GrdY: 'gridY',
  GrdZ: 'gridZ',
  BlkX: 'blockX',
  BlkY: 'blockY',
  BlkZ: 'blockZ',
  'Reg/Trd': 'other',
  StcSMem: 'other',
  DymSMem: 'other',
  Throughput: 'other',
  SrcMemKd: 'other',
  DstMemKd: 'other',
  Ctx: 'other',
  GreenCtx: 'other',
  Strm: 'stream',
  // NVTX projection (nvtx_gpu_proj_sum, nvtx_gpu_proj_trace / nvtxgpuproj) and nvtx_kern_sum.
  'Total Proj Time': 'total',
  'Total Range Time': 'other',
  'Range Instances': 'instances',
  'Proj Avg': 'avg',
  'Proj Med': 'med',
  'Proj Min': 'min',
  'Proj Max': 'max',
  'Proj StdDev': 'stdDev',
  'Total GPU Ops': 'other',
  'Avg GPU Ops': 'other',
  'Avg Range Lvl': 'other',
  'Avg Num Child': 'other',
  'Projected Start': 'other',
  'Projected Duration': 'duration',
  'Orig Start': 'other',
  'Orig Duration': 'other',
  PID: 'other',
  TID: 'other',
  NumGPUOps: 'other',
  Lvl: 'other',
  NumChild: 'other',
  RangeId: 'other',
  ParentId: 'other',
  RangeStack: 'other',
  'NVTX Range': 'range',
  'NVTX Inst': 'occurrences',
  'Kern Inst': 'instances',
  'Kernel Name': 'name'
}

const MAX_LABEL = 200

/** Parses one header cell; undefined when it is not a column nsys prints in the reports we read. */
export function parseColumn(cell: string): Column | undefined {
  const label = cell.trim()
  // Every header nsys prints is short; by hand, as a pattern would backtrack on runs of spaces.
  if (label.length > MAX_LABEL) return undefined
  let base = label
  let unit: string | undefined
  const open = label.lastIndexOf('(')
  if (open >= 0 && label.endsWith(')') && label.indexOf(')', open) === label.length - 1) {
    base = label.slice(0, open).trim()
    unit = label.slice(open + 1, -1).trim()
  }
  const role = Object.hasOwn(ROLE_BY_BASE, base) ? ROLE_BY_BASE[base] : undefined
  if (!role) return undefined
  return unit === undefined ? { label, base, role } : { label, base, unit, role }
}

/** Splits a header line of the given format into columns, or undefined if it is not a header. */
export function parseHeader(cells: string[]): Column[] | undefined {
  if (cells.length < 3) return undefined
  const columns: Column[] = []
  for (const cell of cells) {
    const column = parseColumn(cell)
    if (!column) return undefined
    columns.push(column)
  }
  return columns
}

/**
 * Which report family a header describes, from its columns alone. `calls` tables (`Num Calls` +
 * `Name`) are either CUDA API or OS runtime: the report marker or the names decide.
 */
export type HeaderShape = Exclude<Family, 'cudaApi' | 'osrt' | 'kernelsByGrid'> | 'calls'

export function classifyHeader(columns: Column[]): HeaderShape | undefined {
  const has = (role: Role): boolean => columns.some((c) => c.role === role)
  const byBase = (base: string): Column | undefined => columns.find((c) => c.base === base)
  const nameColumn = columns.find((c) => c.role === 'name')
  if (!nameColumn) return undefined
  // The NVTX projection reports print their free text first: told apart by columns of their own.
  const nvtx = nvtxShape(columns, nameColumn, byBase)
  if (nvtx !== null) return nvtx
  if (has('range') || has('occurrences')) return undefined
  if (has('start') && has('duration')) return has('grid') || has('bytes') ? 'gpuTrace' : undefined
  if (!has('total') || !has('instances')) return undefined
  // Only the name (and GridXYZ/BlockXYZ/Style) may be text, and the name must come last: the
  // row grammar relies on it.
  if (columns[columns.length - 1] !== nameColumn) return undefined
  const timeTotal = byBase('Total Time') !== undefined
  const instancesLabel = columns.find((c) => c.role === 'instances')?.base
  // cuda_gpu_sum / gpusum: kernels and memory operations in one table, told apart by Category.
  if (has('category')) return timeTotal && nameColumn.base === 'Operation' ? 'gpuSum' : undefined
  switch (nameColumn.base) {
    case 'Range':
      return timeTotal ? 'nvtx' : undefined
    case 'Operation':
      return timeTotal ? 'memTime' : 'memSize'
    default:
      // Name: kernels (Instances), API/OS runtime (Num Calls / Calls), 2019 memory (Operations).
      if (instancesLabel === 'Operations') return timeTotal ? 'memTime' : 'memSize'
      if (!timeTotal) return 'memSize'
      if (instancesLabel === 'Instances') return 'kernels'
      if (instancesLabel === 'Num Calls' || instancesLabel === 'Calls') return 'calls'
      return undefined
  }
}

/**
 * nvtx_gpu_proj_sum (`Range` first, `Total Proj Time`), nvtx_gpu_proj_trace / nvtxgpuproj
 * (`Name` first, `Projected Duration`), nvtx_kern_sum (`NVTX Range` first, `Kernel Name` last,
 * `NVTX Inst`, `Kern Inst`); null when the header is none of them. The free text must be where
 * these reports print it (first; last too for nvtx_kern_sum): the row grammar relies on it.
 */
function nvtxShape(
  columns: Column[],
  nameColumn: Column,
  byBase: (base: string) => Column | undefined
): HeaderShape | undefined | null {
  const first = columns[0]
  if (byBase('Total Proj Time')) {
    const ok = first === nameColumn && first.base === 'Range' && byBase('Range Instances')
    return ok ? 'nvtxGpuSum' : undefined
  }
  if (byBase('Projected Duration'))
    return first === nameColumn && first.base === 'Name' ? 'nvtxGpuTrace' : undefined
  if (byBase('Kern Inst') || byBase('NVTX Range')) {
    const ok =
      first?.role === 'range' &&
      columns[columns.length - 1] === nameColumn &&
      byBase('NVTX Inst') &&
      byBase('Kern Inst') &&
      byBase('Total Time')
    return ok ? 'nvtxKern' : undefined
  }
  return null
}

/** Does a header shape fit a report family? */
export function shapeFits(shape: HeaderShape, family: Family): boolean {
  if (shape === 'calls') return family === 'cudaApi' || family === 'osrt'
  if (shape === 'kernels') return family === 'kernels' || family === 'kernelsByGrid'
  return shape === family
}

const TIME_FACTORS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  sec: 1e9,
  nanoseconds: 1
}

const SIZE_FACTORS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  GB: 1e9,
  GiB: 1024 ** 3
}

/**
 * The step of the numbers printed in a unit, in ns or bytes: nsys prints times in ns as integers
 * (averages with one decimal), in us with 3 decimals and in ms/sec with 4; sizes in MB, KB, GB with
 * 3 decimals. Differences below the step are rounding, never an inconsistency.
 */
const TIME_STEP: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1,
  µs: 1,
  ms: 100,
  s: 1e5,
  sec: 1e5,
  nanoseconds: 1
}

export function timeStep(unit: string | undefined): number {
  return unit === undefined ? 1 : (TIME_STEP[unit] ?? 1)
}

export function sizeStep(unit: string | undefined): number {
  const factor = sizeFactor(unit) ?? 1
  return unit === 'KiB' ? factor : Math.max(1, factor / 1000)
}

/** Factor that turns a printed time into nanoseconds; undefined for an unknown unit. */
export function timeFactor(unit: string | undefined): number | undefined {
  return unit === undefined ? 1 : TIME_FACTORS[unit]
}

/** Factor that turns a printed size into bytes; undefined for an unknown or missing unit. */
export function sizeFactor(unit: string | undefined): number | undefined {
  return unit === undefined ? undefined : SIZE_FACTORS[unit]
}
