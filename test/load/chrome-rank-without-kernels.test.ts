import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { loadInput } from '../../src/load/index.js'
import { FIXTURES } from '../support/paths.js'

/**
 * A run of two ranks whose rank 1 recorded no GPU activity (the profiler's activities without
 * CUDA on that rank, CUPTI unavailable in that process): its kernels were summed over rank 0
 * alone, half the run's kernel time, and a comparison with a whole run passed (an "improvement").
 * The traces are the real corpus trace (HTA critical_path_simple_add: A100, rank 0) as each rank
 * would write it; the GPU events are told by their category as the test reads the JSON.
 */
interface JsonTrace {
  distributedInfo?: Record<string, unknown>
  traceEvents: {
    ph?: string
    cat?: string
    pid?: unknown
    dur?: number
    args?: Record<string, unknown>
  }[]
}
const GPU = ['kernel', 'gpu_memcpy', 'gpu_memset', 'gpu_user_annotation']

function rankTrace(rank: number, gpu: boolean): JsonTrace {
  const trace = JSON.parse(
    gunzipSync(
      readFileSync(
        join(FIXTURES, 'corpus', 'traces', 'HTA_tests-data_critical_path_simple_add_trace.json.gz')
      )
    ).toString('utf8')
  ) as JsonTrace
  trace.distributedInfo = { ...trace.distributedInfo, rank, world_size: 2 }
  trace.traceEvents = trace.traceEvents.filter(
    (e) => gpu || !(e.ph === 'X' && GPU.includes(e.cat ?? ''))
  )
  for (const e of trace.traceEvents)
    if (e.ph === 'X' && GPU.includes(e.cat ?? '')) {
      e.pid = rank
      e.args = { ...e.args, device: rank }
    }
  return trace
}

function run(r1HasGpu: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-chrome-'))
  writeFileSync(join(dir, 'r0.json'), JSON.stringify(rankTrace(0, true)))
  writeFileSync(join(dir, 'r1.json'), JSON.stringify(rankTrace(1, r1HasGpu)))
  return dir
}

describe('a rank whose trace has no GPU kernels among ranks whose traces have them', () => {
  it('is refused, naming the trace and its rank: the run would hold the other ranks only', async () => {
    const r0 = rankTrace(0, true)
    const kernels = r0.traceEvents.filter((e) => e.ph === 'X' && e.cat === 'kernel').length
    expect(kernels).toBeGreaterThan(0)
    expect(rankTrace(1, false).traceEvents.some((e) => e.cat === 'kernel')).toBe(false)
    await expect(loadInput(run(false))).rejects.toThrow(
      new RegExp(
        `"[^"]*r1\\.json" \\(rank 1\\) has no GPU kernels while the run's other ranks have ${kernels}`
      )
    )
  })

  it('a run whose ranks all have kernels reads as before: both ranks summed', async () => {
    const [whole] = await loadInput(run(true))
    const one = rankTrace(0, true)
      .traceEvents.filter((e) => e.ph === 'X' && e.cat === 'kernel')
      .reduce((sum, e) => sum + (e.dur ?? 0) * 1000, 0)
    const got = [...(whole?.tables.kernels?.values() ?? [])].reduce((sum, s) => sum + s.total, 0)
    expect(got).toBeCloseTo(2 * one, 0)
  })
})
