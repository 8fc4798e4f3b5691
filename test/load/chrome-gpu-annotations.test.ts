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

interface RawEvent {
  ph?: string
  cat?: string
  name: string
  pid?: number | string
  tid?: number | string
  ts?: number
  dur?: number
  args?: { correlation?: number }
}

function events(file: string): RawEvent[] {
  let bytes = readFileSync(file)
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes)
  return (JSON.parse(bytes.toString('utf8')) as { traceEvents: RawEvent[] }).traceEvents
}

/**
 * The ranges' GPU projection as nsys defines it, computed here independently of the reader: for
 * each `user_annotation` range (not `ProfilerStep#N`), the runtime and driver calls on its thread
 * that lie inside it, the kernels, copies and sets with those calls' correlations, and the span
 * from their first start to their last end. Name → [total ns, instances with GPU work].
 */
function projections(file: string): Record<string, [number, number]> {
  const all = events(file).filter((e) => e.ph === 'X' && e.ts !== undefined)
  const cat = (e: RawEvent): string => (e.cat ?? '').toLowerCase()
  const ns = (us: number): number => Math.round(us * 1000)
  const gpu = new Map<number, RawEvent[]>()
  for (const e of all)
    if (
      ['kernel', 'gpu_memcpy', 'gpu_memset'].includes(cat(e)) &&
      e.args?.correlation !== undefined
    )
      gpu.set(e.args.correlation, [...(gpu.get(e.args.correlation) ?? []), e])
  const calls = all.filter((e) => ['cuda_runtime', 'cuda_driver'].includes(cat(e)))
  const out: Record<string, [number, number]> = {}
  for (const r of all) {
    if (cat(r) !== 'user_annotation' || /^ProfilerStep#\d+$/.test(r.name)) continue
    let from = Infinity
    let to = -Infinity
    for (const c of calls) {
      if (c.pid !== r.pid || c.tid !== r.tid) continue
      if (ns(c.ts!) < ns(r.ts!) || ns(c.ts!) + ns(c.dur!) > ns(r.ts!) + ns(r.dur!)) continue
      for (const op of gpu.get(c.args?.correlation ?? -1) ?? []) {
        from = Math.min(from, ns(op.ts!))
        to = Math.max(to, ns(op.ts!) + ns(op.dur!))
      }
    }
    if (to < from) continue
    const [total, n] = out[r.name] ?? [0, 0]
    out[r.name] = [total + (to - from), n + 1]
  }
  return out
}

/** `actual` as `expected`, each total within 1 ns an instance (µs with 3 decimals, rounded). */
function expectRows(
  actual: Record<string, [number, number]>,
  expected: Record<string, [number, number]>
): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort())
  for (const [name, [total, n]] of Object.entries(expected)) {
    expect(actual[name]![1]).toBe(n)
    expect(Math.abs(actual[name]![0] - total)).toBeLessThanOrEqual(n)
  }
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
  it("in the corpus traces: each range projected from the host side, as computed here; Kineto's where the host side cannot", async () => {
    // MI250 (ROCm 6.2): Kineto's own GPU-side ranges are "ProfilerStep#1" 1031.368 µs and
    // "Optimizer.step#SGD.step" 8.483 µs. ProfilerStep#N is not a range here; the optimizer
    // step's kernels, launched inside it, span 8.481 µs (their first start to their last end).
    const amdFile = join(TRACES, 'HTA_tests-data_amd_mi250_minitoy_train_ROCm6_2_kineto.json.gz')
    const amd = await load(amdFile)
    expect(projections(amdFile)).toEqual({ 'Optimizer.step#SGD.step': [8_481, 1] })
    expectRows(rows(amd), projections(amdFile))
    expect(amd.meta.reports.nvtxGpu).toBe('chrome-trace')
    // The host-side ranges stay in the NVTX table: ProfilerStep#1 9288.291 µs on the host.
    expect(amd.tables.nvtx?.get('ProfilerStep#1')?.total).toBe(9_288_291)
    const v100File = join(
      TRACES,
      'HTA_tests-data_ns_resolution_trace_rank-0_2024_EXCERPT.pt.trace.json'
    )
    // V100 excerpt: its host ranges are not in the file (only two nccl:all_reduce ranges, which
    // launched nothing), so the host side projects nothing, and Kineto's GPU-side ranges fill the
    // rows: "Optimizer.step#SGD.step" 1111.035 µs, "## backward ##" 28.226 µs.
    const v100 = await load(v100File)
    expect(projections(v100File)).toEqual({})
    expect(rows(v100)).toEqual({
      'Optimizer.step#SGD.step': [1_111_035, 1],
      '## backward ##': [28_226, 1]
    })
    // A trace whose only range is ProfilerStep#N has no such table (as an nsys capture without
    // the projection report): not an empty one, which would say every range vanished.
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

describe('nested ranges (real H200 traces)', () => {
  const dir = join(FIXTURES, 'torch-h200', 'eager', 'base', 'run-0')
  const file = join(dir, readdirSync(dir)[0]!)

  it('an outer range is projected over the work of its nested ranges, which Kineto does not do', async () => {
    // In the file: `decode` is a host range (user_annotation) with no GPU-side range
    // (gpu_user_annotation): each decode step's kernels were launched inside `attention` and
    // `mlp`, and Kineto projects only the innermost range around a launch.
    const names = (category: string): Set<string> =>
      new Set(
        events(file)
          .filter((e) => e.ph === 'X' && e.cat === category)
          .map((e) => e.name)
      )
    expect(names('user_annotation').has('decode')).toBe(true)
    expect(names('gpu_user_annotation').has('decode')).toBe(false)
    const p = await load(file)
    const expected = projections(file)
    expect(expected.decode?.[1]).toBe(8)
    expectRows(rows(p), expected)
    // For the innermost ranges both projections are one: Kineto's events say the same, within a
    // few ns an instance (its spans come out 2 ns longer than the kernels' own times say).
    const kineto: Record<string, number> = {}
    for (const e of events(file))
      if (
        e.ph === 'X' &&
        e.cat === 'gpu_user_annotation' &&
        (e.name === 'attention' || e.name === 'mlp')
      )
        kineto[e.name] = (kineto[e.name] ?? 0) + Math.round(e.dur! * 1000)
    for (const name of ['attention', 'mlp'])
      expect(Math.abs(rows(p)[name]![0] - kineto[name]!)).toBeLessThanOrEqual(3 * rows(p)[name]![1])
    // The note says where the table comes from.
    const note = p.meta.notes.find((n) => n.code === 'trace-nvtx-kernels')
    expect(note?.message).toContain('nested ranges included, as nsys projects NVTX ranges')
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
