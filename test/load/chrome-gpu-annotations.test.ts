import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { EventSummary } from '../../src/analyze/summary.js'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadInput } from '../../src/load/index.js'
import type { Profile } from '../../src/profile/model.js'
import { renderMarkdown } from '../../src/render/markdown.js'
import { FIXTURES } from '../support/paths.js'

/**
 * Kineto's `gpu_user_annotation` events (the GPU-side projection of a `record_function` range,
 * one per stream its kernels ran on) fill the NVTX-in-GPU-time table, `nvtxGpu`, compared per
 * occurrence as nsys's `nvtx_gpu_proj_sum` is. Expected values are read off the files by hand.
 */
const TRACES = join(FIXTURES, 'corpus', 'traces')

async function load(path: string): Promise<Profile> {
  const [p] = await loadInput(path)
  if (!p) throw new Error('no profile')
  return p
}

function rows(p: Profile): Record<string, [number, number]> {
  return Object.fromEntries(
    [...(p.tables.nvtxGpu?.values() ?? [])].map((s) => [s.name, [s.total, s.instances]])
  )
}

/** A Kineto-like trace: one kernel (so there is GPU work) and the events given. */
function trace(events: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-gpu-ann-'))
  const path = join(dir, 'trace.json')
  const kernel =
    '{"ph": "X", "cat": "kernel", "name": "gemm", "pid": 0, "tid": 7, "ts": 100.000, "dur": 5.000, "args": {"device": 0, "stream": 7, "correlation": 1}}'
  writeFileSync(
    path,
    `{"schemaVersion": 1, "traceEvents": [\n${[kernel, ...events].join(',\n')}\n]}`
  )
  return path
}

const range = (name: string, ts: string, dur: string, stream: number, id?: number): string =>
  `{"ph": "X", "cat": "gpu_user_annotation", "name": "${name}", "pid": 0, "tid": ${stream}, "ts": ${ts}, "dur": ${dur}, "args": {${id === undefined ? '' : `"External id": ${id}`}}}`

describe('gpu_user_annotation: NVTX ranges in GPU time', () => {
  it('fills nvtxGpu from the corpus traces (values by hand)', async () => {
    // MI250 (ROCm 6.2): "ProfilerStep#1" 1031.368 µs (External id 1) and
    // "Optimizer.step#SGD.step" 8.483 µs (External id 35), both on device 2 stream 0.
    const amd = await load(
      join(TRACES, 'HTA_tests-data_amd_mi250_minitoy_train_ROCm6_2_kineto.json.gz')
    )
    expect(rows(amd)).toEqual({
      'ProfilerStep#1': [1_031_368, 1],
      'Optimizer.step#SGD.step': [8_483, 1]
    })
    expect(amd.meta.reports.nvtxGpu).toBe('chrome-trace')
    // The host-side ranges stay in the NVTX table: ProfilerStep#1 9288.291 µs on the host.
    expect(amd.tables.nvtx?.get('ProfilerStep#1')?.total).toBe(9_288_291)
    // V100 excerpt: "Optimizer.step#SGD.step" 1111.035 µs, "## backward ##" 28.226 µs.
    const v100 = await load(
      join(TRACES, 'HTA_tests-data_ns_resolution_trace_rank-0_2024_EXCERPT.pt.trace.json')
    )
    expect(rows(v100)).toEqual({
      'Optimizer.step#SGD.step': [1_111_035, 1],
      '## backward ##': [28_226, 1]
    })
    // A trace without GPU-side annotations has no such table (as an nsys capture without the
    // projection report): not an empty one, which would say every range vanished.
    const triton = await load(join(TRACES, 'HTA_tests-data_triton_example.json.gz'))
    expect(triton.tables.nvtxGpu).toBeUndefined()
    expect(triton.tables.nvtx?.size).toBe(1)
  })

  it('one instance spans its events on every stream; events without an id are one each', async () => {
    const p = await load(
      trace([
        // decode #1 (External id 7): stream 7 [200, 250) µs and stream 8 [220, 300) µs → 100 µs.
        range('decode', '200.000', '50.000', 7, 7),
        range('prefill', '400.000', '10.000', 7, 9),
        range('decode', '220.000', '80.000', 8, 7),
        // decode #2 (External id 8), one stream: 90 µs.
        range('decode', '500.000', '90.000', 7, 8),
        // No External id: each event one instance (3 µs and 4 µs).
        range('step', '600.000', '3.000', 7),
        range('step', '610.000', '4.000', 8)
      ])
    )
    expect(rows(p)).toEqual({
      decode: [190_000, 2],
      prefill: [10_000, 1],
      step: [7_000, 2]
    })
    const decode = p.tables.nvtxGpu?.get('decode')
    expect(decode).toMatchObject({ min: 90_000, max: 100_000, avg: 95_000 })
  })

  it('"decode +18 %": a phase compared per occurrence, whatever the number of steps', async () => {
    // Base: 4 decode steps of 100 µs. Head: 8 steps of 118 µs: per step +18 %, though the head
    // ran twice the steps (its total is 2.36× the base's).
    const steps = (n: number, dur: string): string[] =>
      Array.from({ length: n }, (_, i) => range('decode', `${1000 + i * 200}.000`, dur, 7, 100 + i))
    const base = await load(trace(steps(4, '100.000')))
    const head = await load(trace(steps(8, '118.000')))
    expect(rows(base)).toEqual({ decode: [400_000, 4] })
    expect(rows(head)).toEqual({ decode: [944_000, 8] })
    const diff = compareProfiles([base], [head], buildRules(undefined))
    const gpu = diff.tables.find((t) => t.table === 'nvtxGpu')
    expect(gpu?.measure).toBe('perOccurrence')
    const item = gpu?.items.find((i) => i.name === 'decode')
    expect(item?.base?.value).toBe(100_000)
    expect(item?.head?.value).toBe(118_000)
    expect(item?.deltaPct).toBeCloseTo(18, 10)
    expect(renderMarkdown(diff)).toContain('NVTX ranges in GPU time')
  })
})

describe('ranges whose kernels were all launched in nested ranges (real H200 traces)', () => {
  const dir = join(FIXTURES, 'torch-h200', 'eager', 'base', 'run-0')
  const file = join(dir, readdirSync(dir)[0]!)
  /** The trace's annotation names by category, read here with JSON.parse. */
  function names(category: string): Set<string> {
    const events = (
      JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
        traceEvents: { ph?: string; cat?: string; name: string }[]
      }
    ).traceEvents
    return new Set(events.filter((e) => e.ph === 'X' && e.cat === category).map((e) => e.name))
  }

  it('have no GPU-time row, as Kineto writes no GPU-side range for them, and a note says so', async () => {
    // In the file: `decode` is a host range (user_annotation) with no GPU-side range
    // (gpu_user_annotation): each decode step's kernels were launched inside `attention` and `mlp`.
    const host = names('user_annotation')
    const gpu = names('gpu_user_annotation')
    expect(host.has('decode') && !gpu.has('decode')).toBe(true)
    expect(gpu.has('attention') && gpu.has('mlp') && gpu.has('prefill')).toBe(true)
    const p = await load(file)
    const gpuRows = [...(p.tables.nvtxGpu?.values() ?? [])].map((s) => s.name)
    expect(gpuRows.sort()).toEqual([...gpu].sort())
    // Its kernels are in the kernels-per-range table.
    const decodeKernels = [...(p.tables.nvtxKernels?.values() ?? [])].filter((s) =>
      s.name.startsWith('decode › ')
    )
    expect(decodeKernels.length).toBeGreaterThan(0)
    const notes = p.meta.notes.filter((n) => n.code === 'trace-gpu-ranges-nested')
    expect(notes).toHaveLength(1)
    expect(notes[0]!.severity).toBe('info')
    expect(notes[0]!.message).toContain('"decode" launched kernels only inside nested ranges')
    // Only decode: every other range with kernels launched some of them directly.
    expect(notes[0]!.message).not.toMatch(/"(?:attention|mlp|prefill|sample)"/)
  })
})

describe('open GPU-side range instances are bounded', () => {
  it('folds the oldest past 65,536 open instances, and counts what it folded early', () => {
    const summary = new EventSummary()
    const add = (instance: number, start: number): void =>
      summary.add({ kind: 'gpuAnnotation', name: 'step', start, duration: 10, instance })
    for (let i = 0; i < 65_536; i++) add(i, i * 100)
    expect(summary.rangesFoldedEarly).toBe(0)
    // One more opens past the bound: instance 0 is folded as it stands. Its second event, on
    // another stream, then counts as an instance of its own.
    add(65_536, 65_536 * 100)
    expect(summary.rangesFoldedEarly).toBe(1)
    add(0, 5)
    const step = summary.tables().nvtxGpu?.get('step')
    expect(step).toMatchObject({ instances: 65_538, total: 655_380 })
  })
})
