import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import {
  hostApiTable,
  hostCallName,
  hostKind,
  hostSyncTable,
  syncKind
} from '../../src/analyze/host.js'
import { loadInput } from '../../src/load/index.js'
import type { Profile, Table } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'

/**
 * The host side: API calls by kind (time) and the calls that wait for the GPU (counts), read
 * from real `cuda_api_sum` output (nsys 2023.4 and 2022.4, test/fixtures/nsys-real) and a real
 * PyTorch profiler trace. Expected values are worked out by hand from the files, or counted by
 * an independent reader of the trace in the test.
 */

async function load(path: string): Promise<Profile> {
  const [profile] = await loadInput(path)
  if (!profile) throw new Error(`no profile in ${path}`)
  return profile
}

const rows = (table: Table) =>
  Object.fromEntries(
    [...table].map(([key, s]) => [key, { total: s.total, instances: s.instances }])
  )

describe('API calls by kind', () => {
  // Spellings as nsys prints them (cuda_api_sum, 2019–2025, from the corpus), the PyTorch
  // profiler's cuda_runtime/cuda_driver events, and HIP calls of ROCm traces.
  const cases: [string, string | undefined][] = [
    ['cudaLaunchKernel', 'kernel launches'],
    ['cudaLaunchKernel_v7000', 'kernel launches'],
    ['cuLaunchKernel', 'kernel launches'],
    ['cuLaunchKernelEx', 'kernel launches'],
    ['cudaLaunchKernelExC_v11060', 'kernel launches'],
    ['cudaLaunchCooperativeKernel', 'kernel launches'],
    ['hipLaunchKernel', 'kernel launches'],
    ['hipExtModuleLaunchKernel', 'kernel launches'],
    ['hipModuleLaunchKernel', 'kernel launches'],
    // The per-thread default stream variant, before or after a version tag.
    ['cudaLaunchKernel_ptsz', 'kernel launches'],
    ['cudaLaunchKernel_ptsz_v7000', 'kernel launches'],
    ['cudaGraphLaunch_v10000', 'graph launches'],
    ['cuGraphLaunch', 'graph launches'],
    ['hipGraphLaunch', 'graph launches'],
    ['cudaStreamSynchronize_v3020', 'synchronisations'],
    ['cudaDeviceSynchronize', 'synchronisations'],
    ['cudaEventSynchronize', 'synchronisations'],
    ['cuCtxSynchronize', 'synchronisations'],
    ['cuStreamSynchronize', 'synchronisations'],
    ['hipDeviceSynchronize', 'synchronisations'],
    ['cudaMalloc', 'allocations'],
    ['cudaMallocHost', 'allocations'],
    ['cudaMallocManaged', 'allocations'],
    ['cudaHostAlloc', 'allocations'],
    ['cudaFree', 'allocations'],
    ['cudaFreeHost', 'allocations'],
    ['cuMemAlloc_v2', 'allocations'],
    ['cuMemFree_v2', 'allocations'],
    ['cuMemCreate', 'allocations'],
    ['cuMemAddressReserve', 'allocations'],
    ['cudaMemPoolCreate_v11020', undefined],
    ['cudaMemcpy', 'memory copies and sets'],
    ['cudaMemcpy_v3020', 'memory copies and sets'],
    ['cudaMemcpyAsync_v3020', 'memory copies and sets'],
    ['cuMemcpyHtoD_v2', 'memory copies and sets'],
    ['cuMemcpyDtoHAsync_v2', 'memory copies and sets'],
    ['cudaMemsetAsync', 'memory copies and sets'],
    ['hipMemcpyWithStream', 'memory copies and sets'],
    // Neither launches nor waits nor allocations: the API table has them, this one does not.
    ['cudaFuncSetAttribute', undefined],
    ['cudaEventQuery', undefined],
    ['cudaEventRecord', undefined],
    ['cudaStreamWaitEvent', undefined],
    ['cudaStreamIsCapturing_v10000', undefined],
    ['cudaLaunchHostFunc', undefined],
    ['cudaMemPrefetchAsync', undefined],
    ['cudaGetDeviceProperties_v2_v12000', undefined],
    ['hsa_signal_wait_scacquire', undefined]
  ]
  it.each(cases)('%s → %s', (name, kind) => expect(hostKind(name)).toBe(kind))

  it('reads a call without its tags', () => {
    expect(hostCallName('cudaMemcpyAsync_ptds_v7000')).toBe('cudaMemcpyAsync')
    expect(hostCallName('cudaGetDeviceProperties_v2_v12000')).toBe('cudaGetDeviceProperties')
  })
})

describe('calls that wait for the GPU', () => {
  const cases: [string, string | undefined][] = [
    ['cudaDeviceSynchronize', 'device synchronisations'],
    ['cuCtxSynchronize', 'device synchronisations'],
    ['hipDeviceSynchronize', 'device synchronisations'],
    ['cudaStreamSynchronize_v3020', 'stream synchronisations'],
    ['cuStreamSynchronize', 'stream synchronisations'],
    ['cudaEventSynchronize', 'event synchronisations'],
    ['cudaMemcpy_v3020', 'synchronous memory copies'],
    ['cuMemcpyDtoH_v2', 'synchronous memory copies'],
    // PyTorch on ROCm copies a tensor to the host and waits with this one call.
    ['hipMemcpyWithStream', 'synchronous memory copies'],
    // A free waits for the device (measured: test/fixtures/torch-h200/eager/nocache); the
    // stream-ordered free and a free of pinned host memory are not counted.
    ['cudaFree', 'device memory frees'],
    ['cuMemFree_v2', 'device memory frees'],
    ['hipFree', 'device memory frees'],
    ['cudaFreeAsync', undefined],
    ['cudaFreeHost', undefined],
    ['cudaMalloc', undefined],
    ['cudaMemcpyAsync', undefined],
    ['cuMemcpyHtoDAsync_v2', undefined],
    ['cudaMemsetAsync', undefined],
    ['cudaStreamWaitEvent', undefined],
    ['cudaEventQuery', undefined],
    ['cudaLaunchKernel', undefined]
  ]
  it.each(cases)('%s → %s', (name, kind) => expect(syncKind(name)).toBe(kind))
})

describe('the host tables of real profiles', () => {
  it('nsys 2023.4 cuda_api_sum (real output)', async () => {
    // hostile_cuda_api_sum.csv, by hand: cudaStreamSynchronize 5400 ns ×1, cudaMemcpy 1300 ×2
    // (300 … 1000), cudaGraphLaunch_v10000 300 ×1, cudaLaunchKernel 170 ×3 (30 … 90),
    // cuLaunchKernel 40 ×1.
    const profile = await load(join(FIXTURES, 'nsys-real', '2023.4', 'hostile'))
    const api = profile.tables.cudaApi
    if (!api) throw new Error('no API table')
    const host = hostApiTable(api)
    expect(rows(host)).toEqual({
      'kernel launches': { total: 210, instances: 4 },
      'graph launches': { total: 300, instances: 1 },
      synchronisations: { total: 5400, instances: 1 },
      'memory copies and sets': { total: 1300, instances: 2 }
    })
    const launches = host.get('kernel launches')
    expect([launches?.min, launches?.max, launches?.avg]).toEqual([30, 90, 52.5])
    // Two calls merged: no median (medians do not merge); one call's kind keeps its own.
    expect(launches?.med).toBeUndefined()
    expect(host.get('synchronisations')?.med).toBe(5400)

    expect(rows(hostSyncTable(api))).toEqual({
      'device synchronisations': { total: 0, instances: 0 },
      'stream synchronisations': { total: 1, instances: 1 },
      'event synchronisations': { total: 0, instances: 0 },
      'synchronous memory copies': { total: 2, instances: 2 },
      'device memory frees': { total: 0, instances: 0 }
    })
  })

  it('nsys 2022.4 cudaapisum (real output): the same calls under the old report name', async () => {
    // cut_cudaapisum.csv: cudaStreamSynchronize 120000 ×1, cudaLaunchKernel 13700 ×3,
    // cudaMemcpyAsync 13100 ×2 (asynchronous: no wait).
    const profile = await load(join(FIXTURES, 'nsys-real', '2022.4', 'cut-names'))
    const api = profile.tables.cudaApi
    if (!api) throw new Error('no API table')
    expect(rows(hostApiTable(api))).toEqual({
      'kernel launches': { total: 13700, instances: 3 },
      synchronisations: { total: 120000, instances: 1 },
      'memory copies and sets': { total: 13100, instances: 2 }
    })
    expect(rows(hostSyncTable(api))).toEqual({
      'device synchronisations': { total: 0, instances: 0 },
      'stream synchronisations': { total: 1, instances: 1 },
      'event synchronisations': { total: 0, instances: 0 },
      'synchronous memory copies': { total: 0, instances: 0 },
      'device memory frees': { total: 0, instances: 0 }
    })
  })

  it('a PyTorch profiler trace: counted independently from its cuda_runtime events', async () => {
    const path = join(
      FIXTURES,
      'corpus',
      'traces',
      'HTA_tests-data_critical_path_simple_add_trace.json.gz'
    )
    const trace = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as {
      traceEvents: { ph?: string; cat?: string; name?: string }[]
    }
    const calls = (name: string): number =>
      trace.traceEvents.filter(
        (e) =>
          e.ph === 'X' && (e.cat === 'cuda_runtime' || e.cat === 'cuda_driver') && e.name === name
      ).length
    const profile = await load(path)
    const api = profile.tables.cudaApi
    if (!api) throw new Error('no API table')
    const syncs = hostSyncTable(api)
    expect(syncs.get('stream synchronisations')?.total).toBe(calls('cudaStreamSynchronize'))
    expect(syncs.get('device synchronisations')?.total).toBe(calls('cudaDeviceSynchronize'))
    expect(syncs.get('synchronous memory copies')?.total).toBe(calls('cudaMemcpy'))
    // The trace does wait: 16 stream and 5 device synchronisations (read by hand, and above).
    expect(calls('cudaStreamSynchronize')).toBe(16)
    expect(calls('cudaDeviceSynchronize')).toBe(5)
    expect(hostApiTable(api).get('kernel launches')?.instances).toBe(
      calls('cudaLaunchKernel') + calls('cuLaunchKernel')
    )
  })

  it('a ROCm PyTorch trace: HIP calls, counted independently', async () => {
    const path = join(
      FIXTURES,
      'corpus',
      'traces',
      'HTA_tests-data_amd_mi250_minitoy_train_ROCm6_2_kineto.json.gz'
    )
    const trace = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as {
      traceEvents: { ph?: string; cat?: string; name?: string }[]
    }
    const calls = (name: string): number =>
      trace.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'cuda_runtime' && e.name === name)
        .length
    const api = (await load(path)).tables.cudaApi
    if (!api) throw new Error('no API table')
    // By hand: hipLaunchKernel ×12, hipExtModuleLaunchKernel ×2, hipDeviceSynchronize ×1,
    // hipMemcpyWithStream ×2 (a blocking copy), hipGetDevicePropertiesR0600 ×4 (none of these).
    expect([calls('hipLaunchKernel'), calls('hipExtModuleLaunchKernel')]).toEqual([12, 2])
    expect(rows(hostSyncTable(api))).toEqual({
      'device synchronisations': { total: calls('hipDeviceSynchronize'), instances: 1 },
      'stream synchronisations': { total: 0, instances: 0 },
      'event synchronisations': { total: 0, instances: 0 },
      'synchronous memory copies': { total: calls('hipMemcpyWithStream'), instances: 2 },
      'device memory frees': { total: 0, instances: 0 }
    })
    expect(calls('hipFree')).toBe(0)
    const host = hostApiTable(api)
    expect(host.get('kernel launches')?.instances).toBe(14)
    expect(host.get('memory copies and sets')?.instances).toBe(2)
    expect(host.get('synchronisations')?.instances).toBe(1)
  })

  it('an empty API table (the report ran, recorded no calls) gives empty tables', () => {
    expect(hostApiTable(new Map()).size).toBe(0)
    expect(hostSyncTable(new Map()).size).toBe(0)
  })
})
