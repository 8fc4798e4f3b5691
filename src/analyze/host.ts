import { apiKey } from '../profile/keys.js'
import type { Table } from '../profile/model.js'
import { RenamedSums } from '../profile/stat.js'

/**
 * The host side of a profile, derived from its API table (`cuda_api_sum`, or the runtime events
 * of a PyTorch profiler or ROCm trace): what the host spent on kernel and graph launches,
 * synchronisations, allocations and memory copies (`hostApi`, time), and how often it made
 * itself wait for the GPU (`hostSyncs`, calls).
 *
 * API names are read as every profiler prints them: nsys's version tags (`cudaLaunchKernel_v7000`,
 * `cuMemAlloc_v2`) are removed by the table's key (profile/keys.ts `apiKey`), and the per-thread
 * default-stream variants (`cudaLaunchKernel_ptsz`, `cudaMemcpyAsync_ptds`) are the same call.
 * CUDA runtime (`cuda…`), driver (`cu…`) and HIP (`hip…`) spellings all count. The kinds and
 * the calls they hold are documented in docs/categories-and-host.md ("Host side").
 */

/** The kinds of the `hostApi` table (row names). */
export const HOST_KINDS = {
  launches: 'kernel launches',
  graphs: 'graph launches',
  syncs: 'synchronisations',
  allocations: 'allocations',
  copies: 'memory copies and sets'
} as const

export type HostKind = (typeof HOST_KINDS)[keyof typeof HOST_KINDS]

/** The kinds of the `hostSyncs` table (row names), each always present: see hostSyncTable. */
export const SYNC_KINDS = {
  device: 'device synchronisations',
  stream: 'stream synchronisations',
  event: 'event synchronisations',
  copies: 'synchronous memory copies',
  frees: 'device memory frees'
} as const

export type SyncKind = (typeof SYNC_KINDS)[keyof typeof SYNC_KINDS]

const SYNC_CALLS: Readonly<Record<string, SyncKind>> = {
  cudaDeviceSynchronize: SYNC_KINDS.device,
  cudaThreadSynchronize: SYNC_KINDS.device,
  cuCtxSynchronize: SYNC_KINDS.device,
  hipDeviceSynchronize: SYNC_KINDS.device,
  hipCtxSynchronize: SYNC_KINDS.device,
  cudaStreamSynchronize: SYNC_KINDS.stream,
  cuStreamSynchronize: SYNC_KINDS.stream,
  hipStreamSynchronize: SYNC_KINDS.stream,
  cudaEventSynchronize: SYNC_KINDS.event,
  cuEventSynchronize: SYNC_KINDS.event,
  hipEventSynchronize: SYNC_KINDS.event
}

/**
 * Frees of device memory wait for the device (an implicit synchronisation: on real H200 traces
 * with PyTorch's caching allocator off, each of the 115 `cudaFree` calls made while the GPU still
 * had work returned only after that work ended; test/fixtures/torch-h200/eager/nocache). A
 * program on a caching allocator frees nothing in steady state: frees in the loop
 * (`torch.cuda.empty_cache()` each step, an allocator thrashing near its limit) are the
 * regression. Their time stays in the `allocations` kind of the host API table;
 * `cudaFreeAsync` is stream-ordered and waits for nothing.
 */
const SYNCHRONISING_FREES = new Set(['cudaFree', 'cuMemFree', 'hipFree'])

const GRAPH_LAUNCHES = new Set(['cudaGraphLaunch', 'cuGraphLaunch', 'hipGraphLaunch'])

/** `cudaLaunchKernel`, `cudaLaunchKernelExC`, `cuLaunchCooperativeKernel`, `hipExtModuleLaunchKernel`, … */
const KERNEL_LAUNCH = /^(?:cuda|cu|hip)(?:Ext|Hcc)?(?:Module)?Launch(?:Cooperative)?Kernel/
/** The launches without `Kernel` in their name: CUDA ≤ 6.5 `cudaLaunch`, the driver's `cuLaunchGrid`. */
const OLD_LAUNCHES = new Set(['cudaLaunch', 'cuLaunch', 'cuLaunchGrid', 'cuLaunchGridAsync'])

/** `cudaMalloc…`, `cudaFree…`, `cudaHostAlloc`, `cuMemAlloc…`, `cuMemCreate` (virtual memory), `hipHostMalloc`, … */
const ALLOCATION =
  /^(?:(?:cuda|hip)(?:Malloc|Free|HostAlloc|HostMalloc|HostFree|ExtMalloc)|cuMem(?:Alloc|Free|HostAlloc|Create|Release|Map|Unmap|AddressReserve|AddressFree))/
/** `cudaMemcpy…`, `cudaMemset…`, `cuMemcpy…`, `cuMemsetD8…`, `hipMemcpy…`, … */
const COPY = /^(?:cuda|cu|hip)Mem(?:cpy|set)/
/** Copies by a call that returns when the copy is done (or staged): not the `…Async` ones. */
const MEMCPY = /^(?:cuda|cu|hip)Memcpy/

/** The call's name without version tags and per-thread-stream suffixes: `cudaMemcpyAsync`. */
export function hostCallName(name: string): string {
  let text = apiKey(name)
  // `_ptsz`/`_ptds` may come before or after a version tag: `cudaLaunchKernel_ptsz_v7000`.
  while (text.endsWith('_ptsz') || text.endsWith('_ptds')) text = apiKey(text.slice(0, -5))
  return text
}

/** The kind of an API call in the `hostApi` table, or undefined for the other calls. */
export function hostKind(name: string): HostKind | undefined {
  const call = hostCallName(name)
  if (KERNEL_LAUNCH.test(call) || OLD_LAUNCHES.has(call)) return HOST_KINDS.launches
  if (GRAPH_LAUNCHES.has(call)) return HOST_KINDS.graphs
  if (SYNC_CALLS[call] !== undefined) return HOST_KINDS.syncs
  if (ALLOCATION.test(call)) return HOST_KINDS.allocations
  if (COPY.test(call)) return HOST_KINDS.copies
  return undefined
}

/** The kind of a call in the `hostSyncs` table, or undefined when it does not wait for the GPU. */
export function syncKind(name: string): SyncKind | undefined {
  const call = hostCallName(name)
  const kind = SYNC_CALLS[call]
  if (kind !== undefined) return kind
  if (SYNCHRONISING_FREES.has(call)) return SYNC_KINDS.frees
  return MEMCPY.test(call) && !call.includes('Async') ? SYNC_KINDS.copies : undefined
}

/**
 * API time and calls by kind. Only the kinds the profile has get a row: a kind on one side only
 * shows as new or removed ("graph launches" removed: the pull request turned CUDA graphs off).
 */
export function hostApiTable(api: Table): Table {
  const sums = new RenamedSums()
  for (const stat of api.values()) {
    const kind = hostKind(stat.name)
    if (kind !== undefined) sums.add(kind, stat)
  }
  return sums.table()
}

/**
 * Calls that wait for the GPU, counted by kind. Every kind gets a row, with 0 calls when the
 * profile made none, as long as the API table has data: a kind that appears on the head then
 * reads as a regression from 0 (a new row would read as "new", which does not gate). An empty
 * API table gives an empty table (the report ran and recorded no calls).
 */
export function hostSyncTable(api: Table): Table {
  const out: Table = new Map()
  if (api.size === 0) return out
  const counts = new Map<SyncKind, number>()
  for (const stat of api.values()) {
    const kind = syncKind(stat.name)
    if (kind !== undefined) counts.set(kind, (counts.get(kind) ?? 0) + stat.instances)
  }
  for (const kind of Object.values(SYNC_KINDS)) {
    const calls = counts.get(kind) ?? 0
    // Each call counts 1: total = instances = calls, and each instance is one call.
    const one = calls > 0 ? 1 : 0
    out.set(kind, { name: kind, total: calls, instances: calls, avg: one, min: one, max: one })
  }
  return out
}
