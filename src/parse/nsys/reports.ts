import type { TableName } from '../../profile/model.js'

/**
 * What nsys calls its reports, across versions (docs/nsys-notes.md "Report names").
 */

/** The report families this tool reads: reports of one family print the same columns. */
export type Family =
  | 'kernels'
  | 'kernelsByGrid'
  | 'gpuSum'
  | 'gpuTrace'
  | 'cudaApi'
  | 'memTime'
  | 'memSize'
  | 'nvtx'
  | 'osrt'
  | 'nvtxGpuSum'
  | 'nvtxGpuTrace'
  | 'nvtxKern'

/** The profile tables each family fills. */
export const FAMILY_TABLES: Readonly<Record<Family, readonly TableName[]>> = {
  kernels: ['kernels'],
  kernelsByGrid: ['kernels'],
  gpuSum: ['kernels', 'memTime'],
  gpuTrace: ['kernels', 'memTime', 'memSize', 'gpuIdle', 'kernelShapes'],
  cudaApi: ['cudaApi'],
  memTime: ['memTime'],
  memSize: ['memSize'],
  nvtx: ['nvtx'],
  osrt: ['osrt'],
  nvtxGpuSum: ['nvtxGpu'],
  nvtxGpuTrace: ['nvtxGpu'],
  nvtxKern: ['nvtxKernels']
}

export interface ReportInfo {
  /** The 2023+ name. */
  id: string
  family: Family
  /**
   * Higher wins when two reports fill the same table: the per-kind summaries over the combined
   * cuda_gpu_sum (kernels and memory operations in one table) over the GPU trace.
   */
  priority: number
}

const USED: ReportInfo[] = [
  { id: 'cuda_gpu_kern_sum', family: 'kernels', priority: 4 },
  { id: 'cuda_gpu_kern_gb_sum', family: 'kernelsByGrid', priority: 3 },
  { id: 'cuda_gpu_sum', family: 'gpuSum', priority: 2 },
  { id: 'cuda_gpu_trace', family: 'gpuTrace', priority: 1 },
  { id: 'cuda_api_sum', family: 'cudaApi', priority: 3 },
  { id: 'cuda_gpu_mem_time_sum', family: 'memTime', priority: 3 },
  { id: 'cuda_gpu_mem_size_sum', family: 'memSize', priority: 3 },
  { id: 'nvtx_sum', family: 'nvtx', priority: 3 },
  { id: 'nvtx_pushpop_sum', family: 'nvtx', priority: 2 },
  { id: 'nvtx_startend_sum', family: 'nvtx', priority: 1 },
  { id: 'osrt_sum', family: 'osrt', priority: 3 },
  // The summary (2023+) over the trace (2022.4's nvtxgpuproj), whose rows are folded per range.
  { id: 'nvtx_gpu_proj_sum', family: 'nvtxGpuSum', priority: 3 },
  { id: 'nvtx_gpu_proj_trace', family: 'nvtxGpuTrace', priority: 2 },
  { id: 'nvtx_kern_sum', family: 'nvtxKern', priority: 3 }
]

/** Old (≤2022.4) names and hidden 2023 aliases → the 2023+ name. */
const ALIASES: Readonly<Record<string, string>> = {
  gpukernsum: 'cuda_gpu_kern_sum',
  gpukerngbsum: 'cuda_gpu_kern_gb_sum',
  gputrace: 'cuda_gpu_trace',
  cudaapisum: 'cuda_api_sum',
  gpumemtimesum: 'cuda_gpu_mem_time_sum',
  gpumemsizesum: 'cuda_gpu_mem_size_sum',
  nvtxsum: 'nvtx_sum',
  nvtxppsum: 'nvtx_pushpop_sum',
  nvtxsesum: 'nvtx_startend_sum',
  nvtxsssum: 'nvtx_startend_sum',
  osrtsum: 'osrt_sum',
  cudaapitrace: 'cuda_api_trace',
  gpusum: 'cuda_gpu_sum',
  apigpusum: 'cuda_api_gpu_sum',
  kernexecsum: 'cuda_kern_exec_sum',
  kernexectrace: 'cuda_kern_exec_trace',
  nvtxpptrace: 'nvtx_pushpop_trace',
  nvtxkernsum: 'nvtx_kern_sum',
  nvtxgpuproj: 'nvtx_gpu_proj_trace',
  openmpevtsum: 'openmp_sum',
  openaccsum: 'openacc_sum',
  khrdebugsum: 'opengl_khr_range_sum',
  khrdebuggpusum: 'opengl_khr_gpu_range_sum',
  vulkanmarkerssum: 'vulkan_marker_sum',
  vulkangpumarkersum: 'vulkan_gpu_marker_sum',
  vulkanapisum: 'vulkan_api_sum',
  vulkanapitrace: 'vulkan_api_trace',
  dx11pixsum: 'dx11_pix_sum',
  dx12gpumarkersum: 'dx12_gpu_marker_sum',
  dx12pixsum: 'dx12_pix_sum',
  wddmqueuesdetails: 'wddm_queue_sum',
  unifiedmemory: 'um_sum',
  unifiedmemorytotals: 'um_total_sum',
  umcpupagefaults: 'um_cpu_page_faults_sum'
}

/** Reports nsys has that this tool recognises (to skip their output cleanly) but does not read. */
const UNUSED = new Set([
  'cuda_api_trace',
  'cuda_api_gpu_sum',
  'cuda_kern_exec_sum',
  'cuda_kern_exec_trace',
  'nvtx_pushpop_trace',
  'openmp_sum',
  'openacc_sum',
  'opengl_khr_range_sum',
  'opengl_khr_gpu_range_sum',
  'vulkan_marker_sum',
  'vulkan_gpu_marker_sum',
  'vulkan_api_sum',
  'vulkan_api_trace',
  'dx11_pix_sum',
  'dx12_gpu_marker_sum',
  'dx12_pix_sum',
  'wddm_queue_sum',
  'um_sum',
  'um_total_sum',
  'um_cpu_page_faults_sum',
  'syscall_sum',
  'mpi_event_sum',
  'mpi_event_trace',
  'network_sum',
  'ucx_gpu_time_util_map'
])

const BY_ID = new Map(USED.map((info) => [info.id, info]))

/** All names, longest first, for finding a report name inside a line of text. */
const ALL_NAMES = [...BY_ID.keys(), ...Object.keys(ALIASES), ...UNUSED].sort(
  (a, b) => b.length - a.length
)
const NAME_IN_TEXT = new RegExp(
  `(?<![A-Za-z0-9])(${ALL_NAMES.join('|')})(?:(?:_|:|\\]\\()(base|mangled|nvtx-name))?(?![A-Za-z0-9_-])`
)

export type ReportLookup =
  | { kind: 'used'; info: ReportInfo; name: string }
  | { kind: 'unused'; id: string; name: string }
  | { kind: 'unknown'; name: string }

/** Resolves a report name as nsys prints it (`gpukernsum`, `cuda_gpu_kern_sum.py`, …). */
export function lookupReport(rawName: string): ReportLookup {
  const name = rawName
    .trim()
    .replace(/^.*[\\/]/, '')
    .replace(/\.py$/, '')
  const id = ALIASES[name] ?? name
  const info = BY_ID.get(id)
  if (info) return { kind: 'used', info, name }
  if (UNUSED.has(id)) return { kind: 'unused', id, name }
  return { kind: 'unknown', name }
}

/**
 * The first report name mentioned in a line of prose, with a variant when one is attached
 * (`cuda_gpu_kern_sum:base`, `ci_cuda_gpu_kern_sum_base.csv`).
 */
export function findReportName(text: string): { name: string; variant?: string } | undefined {
  const match = NAME_IN_TEXT.exec(text)
  if (!match?.[1]) return undefined
  return match[2] ? { name: match[1], variant: match[2] } : { name: match[1] }
}

export function reportInfo(id: string): ReportInfo | undefined {
  return BY_ID.get(id)
}

const STATISTICS_TITLES = [
  'CUDA API',
  'CUDA Kernel',
  'CUDA Memory Operation',
  'Operating System Runtime API',
  'NVTX Push-Pop Range',
  'NVTX Start-End Range'
] as const

/**
 * Titles that 2019–2022 `--stats` output prints instead of report names. The parenthesis, when
 * present, is a unit (2019: `(nanoseconds)`, `(KiB)`) or a qualifier (`(by time)`, `(by size)`).
 */
export function reportFromTitle(line: string): { id: string; unitHint?: string } | undefined {
  // By hand: every prose line comes here, and patterns with `\s*` around optional groups
  // backtrack on long runs of spaces.
  let text = line.trim()
  const generating = /^Generating\s+/.exec(text)
  if (generating) text = text.slice(generating[0].length)
  const what = STATISTICS_TITLES.find((title) => text.startsWith(`${title} Statistics`))
  if (what === undefined) return undefined
  let rest = text.slice(what.length + ' Statistics'.length)
  if (rest.endsWith(':')) rest = rest.slice(0, -1)
  else if (rest.endsWith('...')) rest = rest.slice(0, -3)
  rest = rest.trim()
  let qualifier: string | undefined
  if (rest !== '') {
    if (!rest.startsWith('(') || !rest.endsWith(')') || rest.indexOf(')') !== rest.length - 1)
      return undefined
    qualifier = rest.slice(1, -1).trim()
  }
  switch (what) {
    case 'CUDA API':
      return withUnit('cuda_api_sum', qualifier)
    case 'CUDA Kernel':
      return withUnit('cuda_gpu_kern_sum', qualifier)
    case 'Operating System Runtime API':
      return withUnit('osrt_sum', qualifier)
    case 'NVTX Push-Pop Range':
      return withUnit('nvtx_pushpop_sum', qualifier)
    case 'NVTX Start-End Range':
      return withUnit('nvtx_startend_sum', qualifier)
    default: {
      // Memory operations: by time (ns) or by size: `(KiB)` in 2019, `(by size in KiB)` in 2021.
      const q = qualifier?.toLowerCase() ?? ''
      if (q.startsWith('by size') || q === 'kib' || q === 'mb' || q === 'kb')
        return withUnit('cuda_gpu_mem_size_sum', qualifier)
      return withUnit('cuda_gpu_mem_time_sum', qualifier)
    }
  }
}

/** `(nanoseconds)`, `(KiB)`, `(by size in KiB)`, `(by time)`: the unit when there is one. */
function withUnit(id: string, qualifier: string | undefined): { id: string; unitHint?: string } {
  if (!qualifier) return { id }
  const unit = /^by \w+(?: in (\S+))?$/.exec(qualifier)
  if (unit) return unit[1] ? { id, unitHint: unit[1] } : { id }
  return { id, unitHint: qualifier === 'nanoseconds' ? 'ns' : qualifier }
}

/** Every report name nsys has used (new, old and unused ones), longest first. */
export function allReportNames(): readonly string[] {
  return ALL_NAMES
}
