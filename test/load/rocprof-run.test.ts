import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import { loadRocprofv3Run } from '../../src/load/rocprof.js'
import { canonicalKey } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'

/**
 * One `rocprofv3 --kernel-trace --stats` run as the action reads it (profiler: rocprofv3): the
 * files under its output directory, one set per process. The kernel trace is the corpus's
 * (test/fixtures/rocprof/README.md): fillBufferAligned 5920 ns and NormKernel1 401121 ns, agent 8.
 */
const TRACE = readFileSync(join(FIXTURES, 'rocprof', 'rocprofv3_kernel_trace_rocm-6.2.csv'), 'utf8')
const NORM = 'NormKernel1(int, double, double, double const*, double*)'
const KEY = canonicalKey('kernels', NORM)

/** rocprofv3's `--stats` header (rocprofiler-sdk's CSV output; test/parse/rocprof.test.ts). */
const STATS_HEADER =
  '"Name","Calls","TotalDurationNs","AverageNs","Percentage","MinNs","MaxNs","StdDev"'
/** A process's HIP API stats: hipLaunchKernel 2 calls, 6000 ns; hipMemcpy 1 call, 4000 ns. */
const HIP_API = [
  STATS_HEADER,
  '"hipLaunchKernel",2,6000,3000.000000,60.00,2000,4000,1000.0',
  '"hipMemcpy",1,4000,4000.000000,40.00,4000,4000,0.0',
  ''
].join('\n')
/** A process's memory-copy stats: host to device 3 copies, 9000 ns; device to host 1, 3000 ns. */
const COPIES = [
  STATS_HEADER,
  '"MEMORY_COPY_HOST_TO_DEVICE",3,9000,3000.000000,75.00,1000,5000,1632.99',
  '"MEMORY_COPY_DEVICE_TO_HOST",1,3000,3000.000000,25.00,3000,3000,0.0',
  ''
].join('\n')
/** The trace's dispatches on agent 9 instead of 8 (another process's GPU). */
const ON_AGENT_9 = TRACE.replaceAll('"KERNEL_DISPATCH",8,', '"KERNEL_DISPATCH",9,')

function codes(notes: readonly { code: string }[]): string[] {
  return notes.map((n) => n.code)
}

function files(contents: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-rocprof-run-'))
  return Object.entries(contents).map(([name, text]) => {
    writeFileSync(join(dir, name), text)
    return join(dir, name)
  })
}

describe('a rocprofv3 run directory', () => {
  it('sums the processes of a run; their GPUs side by side when they differ', async () => {
    // Process 2 ran the same dispatches on agent 9.
    const other = TRACE.replaceAll('"KERNEL_DISPATCH",8,', '"KERNEL_DISPATCH",9,')
    const run = await loadRocprofv3Run(
      files({
        '11_kernel_trace.csv': TRACE,
        '12_kernel_trace.csv': other,
        '11_agent_info.csv': 'x'
      })
    )
    expect(run.tables.kernels?.get(KEY)).toMatchObject({ total: 802_242, instances: 2 })
    expect(run.timeline?.devices.map((d) => [d.device, d.busy])).toEqual([
      [8, 407_041],
      [9, 407_041]
    ])
    expect(run.launches?.get(KEY)?.sketch.count).toBe(2)
    expect(run.meta.notes.map((n) => n.code)).toContain('rocprof-processes')
    expect(run.meta.profiler.name).toBe('rocprofv3')
  })

  it('leaves the timeline out, saying why, when two processes shared a GPU', async () => {
    const run = await loadRocprofv3Run(
      files({ '11_kernel_trace.csv': TRACE, '12_kernel_trace.csv': TRACE })
    )
    expect(run.tables.kernels?.get(KEY)?.total).toBe(802_242)
    expect(run.timeline).toBeUndefined()
    expect(run.tables.gpuIdle).toBeUndefined()
    const note = run.meta.notes.find((n) => n.code === 'rocprof-timeline-shared')
    expect(note?.severity).toBe('warning')
    expect(note?.message).toContain('same GPU (agent 8)')
  })

  it('refuses a directory without kernel files, naming what is there', async () => {
    await expect(loadRocprofv3Run(files({ '11_agent_info.csv': 'x' }))).rejects.toThrow(
      /rocprofv3 wrote no kernel trace or kernel stats .*11_agent_info\.csv/
    )
    // A counter-collection run (--pmc): said what it is and how to profile instead.
    await expect(
      loadRocprofv3Run(files({ '11_agent_info.csv': 'x', '11_counter_collection.csv': 'x' }).sort())
    ).rejects.toThrow(
      /rocprofv3 wrote only counter collection \(".*11_counter_collection\.csv": one row per dispatch and counter, not kernel times\), no kernel trace or kernel stats: profile with `rocprofv3 --kernel-trace --stats --output-format csv`/
    )
  })
})

describe('rocprofv3 output directories in the CLI', () => {
  it('reads <dir>/<host>/<pid>_kernel_trace.csv as one run, detected or named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-rocprof-dir-'))
    mkdirSync(join(dir, 'node-1'))
    writeFileSync(join(dir, 'node-1', '11_kernel_trace.csv'), TRACE)
    writeFileSync(join(dir, 'node-1', '11_agent_info.csv'), 'x')
    for (const options of [{}, { format: 'rocprofv3' as const }]) {
      const runs = await loadInput(dir, options)
      expect(runs).toHaveLength(1)
      expect(runs[0]?.tables.kernels?.get(KEY)).toMatchObject({ total: 401_121, instances: 1 })
      expect(runs[0]?.meta.profiler.name).toBe('rocprofv3')
    }
    const empty = mkdtempSync(join(tmpdir(), 'nsys-bench-rocprof-dir-'))
    await expect(loadInput(empty, { format: 'rocprofv3' })).rejects.toThrow(
      /has no rocprofv3 kernel trace or kernel stats/
    )
    // Without a format, an empty directory is still reported as nsys stats it lacks.
    await expect(loadInput(empty)).rejects.toThrow(/has no nsys stats output files/)
  })
})

describe("a rocprofv3 run's API and memory-copy stats", () => {
  it("reads each process's <pid>_hip_api_stats.csv and <pid>_memory_copy_stats.csv; every other file is said once", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-rocprof-dir-'))
    const host = join(dir, 'node-1')
    mkdirSync(join(host, 'sub', 'deeper'), { recursive: true })
    const written: Record<string, string> = {
      '11_kernel_trace.csv': TRACE,
      '11_hip_api_stats.csv': HIP_API,
      '11_memory_copy_stats.csv': COPIES,
      '11_kernel_stats.csv': 'x',
      '11_domain_stats.csv': 'x',
      '11_agent_info.csv': 'x',
      '11_hip_api_trace.csv': 'x',
      '11_memory_copy_trace.csv': 'x',
      '11_hsa_api_stats.csv': 'x',
      '11_results.pftrace': 'x',
      'sub/notes.txt': 'x'
    }
    for (const [name, text] of Object.entries(written)) writeFileSync(join(host, name), text)
    const [run] = await loadInput(dir)
    expect(run?.tables.cudaApi?.get('hipLaunchKernel')).toMatchObject({
      total: 6000,
      instances: 2,
      min: 2000,
      max: 4000
    })
    expect(run?.tables.cudaApi?.get('hipMemcpy')).toMatchObject({ total: 4000, instances: 1 })
    expect(run?.tables.memTime?.get('MEMORY_COPY_HOST_TO_DEVICE')).toMatchObject({
      total: 9000,
      instances: 3,
      min: 1000,
      max: 5000
    })
    expect(run?.tables.memTime?.get('MEMORY_COPY_DEVICE_TO_HOST')).toMatchObject({
      total: 3000,
      instances: 1
    })
    expect(run?.tables.kernels?.get(KEY)).toMatchObject({ total: 401_121, instances: 1 })
    expect(run?.meta.sources).toEqual([
      join(host, '11_kernel_trace.csv'),
      join(host, '11_hip_api_stats.csv'),
      join(host, '11_memory_copy_stats.csv')
    ])
    const notes = run?.meta.notes ?? []
    const ignored = notes.filter((n) => n.code === 'file-ignored').map((n) => n.message)
    // What rocprofv3 writes in every run is counted by kind (a run of eight processes says each
    // kind once, in the same words in every run); what it does not write is named.
    expect(ignored.sort()).toEqual(
      [
        "*_agent_info.csv (one file): rocprofv3's agent information (the node's CPUs and GPUs), not read; ignored",
        "*_domain_stats.csv (one file): rocprofv3's domain statistics (time per tracing domain), not read; ignored",
        "*_hip_api_trace.csv (one file): rocprofv3's HIP API trace (one row per call; its process's HIP API statistics are read), not read; ignored",
        "*_hsa_api_stats.csv (one file): rocprofv3's HSA API statistics (API calls are read from the HIP API statistics), not read; ignored",
        "*_memory_copy_trace.csv (one file): rocprofv3's memory-copy trace (one row per copy; its process's memory-copy statistics are read), not read; ignored",
        `"${join(host, '11_results.pftrace')}", "${join(host, 'sub', 'notes.txt')}": not a file nsys-bench reads in a rocprofv3 output directory (it reads <pid>_kernel_trace.csv, else <pid>_kernel_stats.csv, each with its process's <pid>_hip_api_stats.csv and <pid>_memory_copy_stats.csv); ignored`,
        `${join(host, 'sub', 'deeper')}: a directory deeper inside a rocprofv3 output directory than rocprofv3 writes (<dir>/<host>/<pid>_…), not looked into; ignored`
      ].sort()
    )
    expect(notes.filter((n) => n.code === 'file-ignored').every((n) => n.severity === 'info')).toBe(
      true
    )
    // Counted, not named: every run of a benchmark says it in the same words.
    expect(notes.filter((n) => n.code === 'rocprof-stats-not-read').map((n) => n.message)).toEqual([
      'the kernel trace is read (every dispatch); the kernel stats beside it (*_kernel_stats.csv) sum the same dispatches and are archived, not read'
    ])
    expect(
      notes.some((n) => n.message.includes('11_kernel_stats.csv') && n.code === 'file-ignored')
    ).toBe(false)
  })

  it("sums two processes' API and memory-copy stats", async () => {
    const run = await loadRocprofv3Run(
      files({
        '11_kernel_trace.csv': TRACE,
        '11_hip_api_stats.csv': HIP_API,
        '11_memory_copy_stats.csv': COPIES,
        '12_kernel_trace.csv': ON_AGENT_9,
        '12_hip_api_stats.csv': [
          STATS_HEADER,
          '"hipLaunchKernel",1,1000,1000.000000,100.00,1000,1000,0.0',
          ''
        ].join('\n'),
        '12_memory_copy_stats.csv': [
          STATS_HEADER,
          '"MEMORY_COPY_HOST_TO_DEVICE",2,500,250.000000,100.00,200,300,50.0',
          ''
        ].join('\n'),
        '11_agent_info.csv': 'x',
        '12_agent_info.csv': 'x'
      })
    )
    // 6000 + 1000 ns over 2 + 1 calls; the bounds are both processes'.
    expect(run.tables.cudaApi?.get('hipLaunchKernel')).toMatchObject({
      total: 7000,
      instances: 3,
      min: 1000,
      max: 4000
    })
    expect(run.tables.cudaApi?.get('hipMemcpy')).toMatchObject({ total: 4000, instances: 1 })
    expect(run.tables.memTime?.get('MEMORY_COPY_HOST_TO_DEVICE')).toMatchObject({
      total: 9500,
      instances: 5,
      min: 200,
      max: 5000
    })
    expect(run.tables.memTime?.get('MEMORY_COPY_DEVICE_TO_HOST')).toMatchObject({ total: 3000 })
    expect(run.tables.kernels?.get(KEY)).toMatchObject({ total: 802_242, instances: 2 })
    expect(run.meta.sources.map((s) => s.replace(/.*[\\/]/, ''))).toEqual([
      '11_kernel_trace.csv',
      '11_hip_api_stats.csv',
      '11_memory_copy_stats.csv',
      '12_kernel_trace.csv',
      '12_hip_api_stats.csv',
      '12_memory_copy_stats.csv'
    ])
    expect(codes(run.meta.notes)).not.toContain('rocprof-table-partial')
    // Both processes' agent information: one note, counted.
    expect(run.meta.notes.filter((n) => n.code === 'file-ignored').map((n) => n.message)).toEqual([
      "*_agent_info.csv (2 files): rocprofv3's agent information (the node's CPUs and GPUs), not read; ignored"
    ])
  })

  it('says which processes lack a table that the run then leaves out', async () => {
    const run = await loadRocprofv3Run(
      files({
        '11_kernel_trace.csv': TRACE,
        '11_hip_api_stats.csv': HIP_API,
        '11_memory_copy_stats.csv': COPIES,
        '12_kernel_trace.csv': ON_AGENT_9,
        '12_hip_api_stats.csv': HIP_API
      })
    )
    expect(run.tables.memTime).toBeUndefined()
    expect(run.tables.cudaApi?.get('hipLaunchKernel')).toMatchObject({ total: 12_000 })
    const partial = run.meta.notes.filter((n) => n.code === 'rocprof-table-partial')
    expect(partial).toHaveLength(1)
    expect(partial[0]).toMatchObject({ severity: 'warning', table: 'memTime' })
    expect(partial[0]?.message).toMatch(
      /the GPU memory operations \(time\) table \(memTime\) is read for 1 of the 2 processes, not for the process of ".*12_kernel_trace\.csv": it is left out of the run/
    )
    expect(partial[0]?.message).not.toContain('11_kernel_trace')
  })

  it("keeps the kernel file's table when the stats hold it again, and says so", async () => {
    // Kernel stats with a memory-copy row: memory time 100 ns from the kernel file.
    const kernels = [
      STATS_HEADER,
      '"k1",1,900,900.000000,90.00,900,900,0.0',
      '"MEMORY_COPY_HOST_TO_DEVICE",1,100,100.000000,10.00,100,100,0.0',
      ''
    ].join('\n')
    const run = await loadRocprofv3Run(
      files({ '11_kernel_stats.csv': kernels, '11_memory_copy_stats.csv': COPIES })
    )
    expect(run.tables.memTime?.get('MEMORY_COPY_HOST_TO_DEVICE')).toMatchObject({ total: 100 })
    expect(run.tables.memTime?.get('MEMORY_COPY_DEVICE_TO_HOST')).toBeUndefined()
    const twice = run.meta.notes.find((n) => n.code === 'rocprof-table-twice')
    expect(twice).toMatchObject({ severity: 'info', table: 'memTime' })
    expect(twice?.message).toMatch(/11_memory_copy_stats\.csv: .*the kernel file's is kept/)
  })

  it('says the stats of a process whose kernels are not read, and a stats file that cannot be read', async () => {
    const run = await loadRocprofv3Run(
      files({
        '11_kernel_trace.csv': TRACE,
        '11_memory_copy_stats.csv': '',
        '13_hip_api_stats.csv': HIP_API
      })
    )
    expect(run.tables.kernels?.get(KEY)).toMatchObject({ total: 401_121 })
    expect(run.tables.cudaApi).toBeUndefined()
    expect(run.tables.memTime).toBeUndefined()
    const ignored = run.meta.notes.filter((n) => n.code === 'file-ignored')
    expect(ignored).toHaveLength(2)
    expect(ignored.find((n) => n.message.includes('13_hip_api_stats.csv'))).toMatchObject({
      severity: 'info'
    })
    expect(ignored.find((n) => n.message.includes('13_hip_api_stats.csv'))?.message).toMatch(
      /HIP API statistics of a process whose kernels are not read/
    )
    const empty = ignored.find((n) => n.message.includes('11_memory_copy_stats.csv'))
    expect(empty?.severity).toBe('warning')
    expect(empty?.message).toMatch(
      /memory-copy statistics of the process, not read: found no rocprof table/
    )
  })
})
