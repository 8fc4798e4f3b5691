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
