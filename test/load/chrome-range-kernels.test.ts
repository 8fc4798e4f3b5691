import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { compareProfiles } from '../../src/compare/compare.js'
import { buildRules } from '../../src/compare/rules.js'
import { loadChromeTrace, type ChromeTraceOptions } from '../../src/load/chrome-trace.js'
import { loadInput } from '../../src/load/index.js'
import { profileFromJson, profileToJson } from '../../src/profile/json.js'
import { nvtxKernelName } from '../../src/profile/keys.js'
import type { Note, Profile } from '../../src/profile/model.js'
import { FIXTURES } from '../support/paths.js'

/**
 * Kernels per annotation range (`nvtxKernels`) from Chrome traces: a kernel counts for every
 * `user_annotation` range (not ProfilerStep#N) that holds its launch call (the runtime or driver
 * event of the same correlation) on the thread that made the call, as nsys's `nvtx_kern_sum`
 * counts a kernel for every NVTX range around its launch (test/fixtures/nsys-real/2023.4/nvtx-proj
 * shows it: `iteration` holds the kernels of `prefill` and `decode`). See docs/chrome-trace.md.
 */
const TRACES = join(FIXTURES, 'corpus', 'traces')
const TRACE_FILES = readdirSync(TRACES).sort()

type Args = Record<string, unknown>

/** One complete event; times in µs from 1000 (written as Kineto writes them: µs, 3 decimals). */
function x(
  cat: string,
  name: string,
  tid: number,
  ts: number,
  dur: number,
  args: Args = {}
): string {
  const pid = cat === 'kernel' ? 0 : 100
  return JSON.stringify({
    ph: 'X',
    cat,
    name,
    pid,
    tid: cat === 'kernel' ? 7 : tid,
    ts: (1000 + ts).toFixed(3),
    dur: dur.toFixed(3),
    args
  }).replace(/"(ts|dur)":"([\d.]+)"/g, '"$1":$2')
}

const range = (name: string, tid: number, ts: number, dur: number): string =>
  x('user_annotation', name, tid, ts, dur)
const call = (name: string, tid: number, ts: number, correlation: number, dur = 5): string =>
  x(
    name.startsWith('cu') && !name.startsWith('cuda') ? 'cuda_driver' : 'cuda_runtime',
    name,
    tid,
    ts,
    dur,
    {
      correlation
    }
  )
const kernel = (
  name: string,
  ts: number,
  dur: number,
  correlation?: number,
  graph?: number
): string =>
  x('kernel', name, 7, ts, dur, {
    device: 0,
    stream: 7,
    ...(correlation === undefined ? {} : { correlation }),
    ...(graph === undefined ? {} : { 'graph id': graph })
  })

function write(events: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nsys-bench-range-kernels-'))
  const path = join(dir, 'trace.pt.trace.json')
  writeFileSync(
    path,
    `{"schemaVersion": 1, "traceEvents": [\n${events.join(',\n')}\n], "traceName": "t"}`
  )
  return path
}

async function load(path: string, options?: ChromeTraceOptions): Promise<Profile> {
  if (options) return loadChromeTrace(path, options)
  const [p] = await loadInput(path)
  if (!p) throw new Error('no profile')
  return p
}

/** name → [total ns, launches, range instances]. */
function rows(p: Profile): Record<string, [number, number, number | undefined]> {
  return Object.fromEntries(
    [...(p.tables.nvtxKernels?.values() ?? [])].map((s) => [
      s.name,
      [s.total, s.instances, s.occurrences]
    ])
  )
}

const note = (p: Profile, code: string): Note | undefined =>
  p.meta.notes.find((n) => n.code === code)

const MAIN = 100
const OTHER = 200

/**
 * Main thread: ProfilerStep#3 [0, 1000) around everything; forward #1 [10, 500) holds attention
 * [20, 100), mlp [100, 200) and attention [300, 400); forward #2 [600, 900) holds attention
 * [610, 700), which holds another attention [615, 640) (a range nested in one of its name).
 * Thread 200: attention [50, 150) and loader [160, 300): the same times as main-thread ranges, on
 * another thread. Ranges are written inner before outer (the corpus traces have them in start
 * order), so the reader must order them.
 */
const HAND = [
  range('attention', MAIN, 20, 80),
  range('mlp', MAIN, 100, 100),
  range('attention', MAIN, 300, 100),
  range('forward', MAIN, 10, 490),
  range('attention', MAIN, 615, 25),
  range('attention', MAIN, 610, 90),
  range('forward', MAIN, 600, 300),
  range('attention', OTHER, 50, 100),
  range('loader', OTHER, 160, 140),
  range('ProfilerStep#3', MAIN, 0, 1000),
  x('cpu_op', 'aten::mm', MAIN, 30, 8),
  // GPU side: calls and kernels, a kernel before or after its call.
  call('cudaLaunchKernel', MAIN, 30, 1), // forward #1, attention [20, 100)
  kernel('gemm', 36, 10, 1),
  call('cudaLaunchKernel', MAIN, 40, 2), // forward #1, attention [20, 100)
  kernel('softmax', 47, 4, 2),
  call('cudaLaunchKernel', OTHER, 60, 8), // thread 200: attention [50, 150) only
  kernel('gemm', 70, 30, 8),
  call('cudaLaunchKernel', MAIN, 110, 3), // forward #1, mlp
  kernel('gemm', 120, 20, 3),
  call('cuLaunchKernel', OTHER, 170, 9), // thread 200: loader (a driver call)
  kernel('copy_kernel', 175, 2, 9),
  kernel('gemm', 320, 12, 4), // before its call
  call('cudaLaunchKernel', MAIN, 310, 4), // forward #1, attention [300, 400)
  call('cudaLaunchKernel', MAIN, 550, 5), // only ProfilerStep#3 around it: outside
  kernel('gemm', 560, 7, 5),
  // A CUDA graph replayed inside the nested attention [615, 640): its kernels share the
  // replay's correlation, one of them before the call.
  kernel('gemm', 625, 5, 6, 11),
  call('cudaGraphLaunch', MAIN, 620, 6), // forward #2, attention [610, 700) and [615, 640)
  kernel('softmax', 631, 3, 6, 11),
  call('cudaStreamSynchronize', MAIN, 650, 7),
  kernel('orphan', 900, 1, 99) // no launch call in the trace
]

describe('kernels per annotation range from a Chrome trace', () => {
  it('attributes each kernel to every range around its launch, on its thread (values by hand)', async () => {
    const p = await load(write(HAND))
    expect(rows(p)).toEqual({
      // forward #1: gemm 10 + 20 + 12 µs, softmax 4; forward #2: graph gemm 5, softmax 3.
      [nvtxKernelName('forward', 'gemm')]: [47_000, 4, 2],
      [nvtxKernelName('forward', 'softmax')]: [7_000, 2, 2],
      // Main thread: attention [20, 100) 10 µs, [300, 400) 12 µs, [610, 700) 5 µs (once, though
      // [615, 640) holds it too); thread 200: attention [50, 150) 30 µs.
      [nvtxKernelName('attention', 'gemm')]: [57_000, 4, 4],
      [nvtxKernelName('attention', 'softmax')]: [7_000, 2, 2],
      [nvtxKernelName('mlp', 'gemm')]: [20_000, 1, 1],
      [nvtxKernelName('loader', 'copy_kernel')]: [2_000, 1, 1]
    })
    expect(p.tables.nvtxKernels?.get(nvtxKernelName('forward', 'gemm'))).toMatchObject({
      min: 5_000,
      max: 20_000,
      avg: 11_750
    })
    expect(p.meta.reports.nvtxKernels).toBe('chrome-trace')
    // The NVTX table still holds every host range, ProfilerStep#3 included.
    expect(p.tables.nvtx?.get('ProfilerStep#3')?.total).toBe(1_000_000)
    expect(note(p, 'trace-nvtx-kernels')?.message).toMatch(
      /: 8 of 10 kernels were launched inside annotation ranges .*; 1 launched outside every range and 1 kernel without a launch call in the trace are left out/
    )
    expect(note(p, 'trace-nvtx-kernels-capped')).toBeUndefined()
    expect(note(p, 'trace-nvtx-kernels-order')).toBeUndefined()
  })

  it('is the same whatever the order of the ranges among themselves, and keeps its table in profile JSON', async () => {
    const p = await load(write(HAND))
    const ranges = HAND.filter((e) => e.includes('"user_annotation"'))
    const rest = HAND.filter((e) => !e.includes('"user_annotation"'))
    const sorted = await load(write([...ranges].reverse().concat(rest)))
    expect(rows(sorted)).toEqual(rows(p))
    const back = profileFromJson(JSON.parse(JSON.stringify(profileToJson(p))), 'p.json')
    // Keys, names, totals, launches and range instances as they were (deviations are rounded).
    expect([...(back.tables.nvtxKernels?.keys() ?? [])].sort()).toEqual(
      [...(p.tables.nvtxKernels?.keys() ?? [])].sort()
    )
    expect(rows(back)).toEqual(rows(p))
    expect(back.meta.reports.nvtxKernels).toBe('chrome-trace')
  })

  it('has no table without annotation ranges, or with ProfilerStep#N alone', async () => {
    const gpu = HAND.filter((e) => !e.includes('"user_annotation"'))
    expect((await load(write(gpu))).tables.nvtxKernels).toBeUndefined()
    const steps = await load(write([range('ProfilerStep#1', MAIN, 0, 1000), ...gpu]))
    expect(steps.tables.nvtxKernels).toBeUndefined()
    expect(note(steps, 'trace-nvtx-kernels')).toBeUndefined()
    expect(steps.tables.nvtx?.size).toBe(1)
  })

  it('"attention +18 %": compared per range instance, whatever the number of steps', async () => {
    // Base: 2 steps, attention's gemm 100 µs each; head: 4 steps of 118 µs.
    const steps = (n: number, dur: number): string[] => {
      const out: string[] = []
      for (let i = 0; i < n; i++) out.push(range('attention', MAIN, i * 1000, 500))
      for (let i = 0; i < n; i++)
        out.push(
          call('cudaLaunchKernel', MAIN, i * 1000 + 10, i + 1),
          kernel('gemm', i * 1000 + 20, dur, i + 1)
        )
      return out
    }
    const base = await load(write(steps(2, 100)))
    const head = await load(write(steps(4, 118)))
    const diff = compareProfiles([base], [head], buildRules(undefined))
    const table = diff.tables.find((t) => t.table === 'nvtxKernels')
    expect(table?.measure).toBe('perOccurrence')
    const item = table?.items.find((i) => i.name === nvtxKernelName('attention', 'gemm'))
    expect(item?.base?.value).toBe(100_000)
    expect(item?.head?.value).toBe(118_000)
    expect(item?.deltaPct).toBeCloseTo(18, 10)
  })

  it('says when the events do not come in the order the PyTorch profiler writes them', async () => {
    const p = await load(
      write([
        // A kernel and its call before any range: not attributed.
        call('cudaLaunchKernel', MAIN, 30, 1),
        kernel('gemm', 36, 10, 1),
        range('attention', MAIN, 20, 80),
        call('cudaLaunchKernel', MAIN, 210, 2),
        kernel('gemm', 215, 10, 2),
        // A range that holds a call already counted, written after it.
        range('late', MAIN, 200, 50),
        call('cudaLaunchKernel', MAIN, 40, 3),
        kernel('gemm', 45, 3, 3)
      ])
    )
    expect(rows(p)).toEqual({ [nvtxKernelName('attention', 'gemm')]: [3_000, 1, 1] })
    expect(note(p, 'trace-nvtx-kernels-order')?.message).toMatch(
      /1 kernel came before the first annotation range and is not attributed; 1 annotation range came after kernels launched on its thread/
    )
  })
})

describe('what the attribution holds is bounded, and what a bound costs is said', () => {
  const capped = (p: Profile): string => note(p, 'trace-nvtx-kernels-capped')?.message ?? ''

  it('more ranges than held: kernels in the ranges not held are counted', async () => {
    const p = await load(write(HAND), { rangeKernelLimits: { ranges: 4 } })
    // The first 4 ranges are held (main thread: attention ×2, mlp, forward #1); the rest are
    // not: forward #2 and its attentions, thread 200's ranges. The graph's 2 kernels (forward
    // #2) and thread 200's 2 are lost; forward #1's are whole.
    expect(rows(p)).toEqual({
      [nvtxKernelName('forward', 'gemm')]: [42_000, 3, 1],
      [nvtxKernelName('forward', 'softmax')]: [4_000, 1, 1],
      [nvtxKernelName('attention', 'gemm')]: [22_000, 2, 2],
      [nvtxKernelName('attention', 'softmax')]: [4_000, 1, 1],
      [nvtxKernelName('mlp', 'gemm')]: [20_000, 1, 1]
    })
    expect(note(p, 'trace-nvtx-kernels-capped')?.severity).toBe('warning')
    expect(capped(p)).toMatch(
      /: 4 kernels could not be attributed to every annotation range around their launch \(4 not at all, 0 to some of their ranges only\), to keep memory bounded: more than 4 annotation ranges \(or ranges out of order too often\)\. /
    )
  })

  it('a launch call that leaves the ring before its kernel comes', async () => {
    const p = await load(
      write([
        range('attention', MAIN, 0, 500),
        call('cudaLaunchKernel', MAIN, 10, 1),
        call('cudaStreamIsCapturing', MAIN, 20, 2),
        call('cudaStreamIsCapturing', MAIN, 30, 3),
        kernel('gemm', 40, 10, 1),
        call('cudaLaunchKernel', MAIN, 50, 4),
        kernel('gemm', 60, 10, 4)
      ]),
      { rangeKernelLimits: { launches: 2 } }
    )
    expect(rows(p)).toEqual({ [nvtxKernelName('attention', 'gemm')]: [10_000, 1, 1] })
    expect(capped(p)).toMatch(
      /1 kernel could not be attributed .* \(1 not at all, 0 to some .*\), to keep memory bounded: launch calls that left the 2 held before their kernels came\./
    )
  })

  it('a kernel that waits for its launch call past the kernels held', async () => {
    const p = await load(
      write([
        range('attention', MAIN, 0, 500),
        call('cudaLaunchKernel', MAIN, 5, 1),
        kernel('gemm', 8, 1, 1),
        kernel('gemm', 40, 10, 2),
        kernel('gemm', 60, 20, 3),
        call('cudaLaunchKernel', MAIN, 10, 2),
        call('cudaLaunchKernel', MAIN, 20, 3)
      ]),
      { rangeKernelLimits: { kernels: 1 } }
    )
    expect(rows(p)).toEqual({ [nvtxKernelName('attention', 'gemm')]: [21_000, 2, 1] })
    expect(capped(p)).toMatch(
      /1 kernel could not .* \(1 not at all, 0 .*\), to keep memory bounded: kernels that waited for their launch call past the 1 held\./
    )
  })

  it('ranges one after another, each ending where the next starts, do not hold each other', async () => {
    // 300 steps of 10 µs back to back; a launch inside the last. Were a step that ends where the
    // next begins its parent, the walk up from the launch would climb all 300 (past depth 2).
    const steps = Array.from({ length: 300 }, (_, i) => range('step', MAIN, 10 * i, 10))
    const p = await load(
      write([...steps, call('cudaLaunchKernel', MAIN, 2992, 1), kernel('gemm', 3000, 10, 1)]),
      { rangeKernelLimits: { depth: 2 } }
    )
    expect(rows(p)).toEqual({ [nvtxKernelName('step', 'gemm')]: [10_000, 1, 1] })
    expect(note(p, 'trace-nvtx-kernels-capped')).toBeUndefined()
  })

  it('launch calls whose correlations share a cell of the index are both found', async () => {
    // With 4 calls held the index has 1024 cells: correlations 1 and 1025 fall in one.
    const p = await load(
      write([
        range('attention', MAIN, 0, 500),
        call('cudaLaunchKernel', MAIN, 10, 1),
        call('cudaLaunchKernel', MAIN, 20, 1025),
        kernel('gemm', 30, 10, 1),
        kernel('gemm', 40, 20, 1025)
      ]),
      { rangeKernelLimits: { launches: 4 } }
    )
    expect(rows(p)).toEqual({ [nvtxKernelName('attention', 'gemm')]: [30_000, 2, 1] })
    expect(note(p, 'trace-nvtx-kernels-capped')).toBeUndefined()
  })

  it('ranges nested deeper than the walk goes: the outer ones are missed, and counted', async () => {
    const p = await load(
      write([
        range('a', MAIN, 0, 500),
        range('b', MAIN, 10, 400),
        range('c', MAIN, 20, 300),
        call('cudaLaunchKernel', MAIN, 30, 1),
        kernel('gemm', 40, 10, 1)
      ]),
      { rangeKernelLimits: { depth: 2 } }
    )
    expect(rows(p)).toEqual({
      [nvtxKernelName('c', 'gemm')]: [10_000, 1, 1],
      [nvtxKernelName('b', 'gemm')]: [10_000, 1, 1]
    })
    expect(capped(p)).toMatch(
      /\(0 not at all, 1 to some of their ranges only\).*ranges nested deeper than 2/
    )
  })
})

interface JsonEvent {
  ph?: string
  cat?: string
  name?: string
  pid?: unknown
  tid?: unknown
  ts?: number
  dur?: number
  args?: Record<string, unknown>
}

/**
 * The same table computed plainly from the parsed JSON: every kernel, its call by correlation,
 * every annotation on the call's pid and tid that holds the call; per range name, the outermost
 * instance of that name.
 */
function independent(events: JsonEvent[]): Map<string, [number, number, number]> | undefined {
  const cat = (e: JsonEvent): string => (e.cat ?? '').toLowerCase()
  const ranges = events
    .map((e, i) => ({ e, i }))
    .filter(
      ({ e }) =>
        e.ph === 'X' && cat(e) === 'user_annotation' && !/^ProfilerStep#\d+$/.test(e.name ?? '')
    )
  if (ranges.length === 0) return undefined
  const calls = new Map<unknown, JsonEvent>()
  for (const e of events)
    if (e.ph === 'X' && ['cuda_runtime', 'cuda_driver', 'runtime'].includes(cat(e)))
      calls.set(e.args?.correlation, e)
  const out = new Map<string, [number, number, Set<number>]>()
  for (const k of events) {
    if (k.ph !== 'X' || cat(k) !== 'kernel') continue
    const c = calls.get(k.args?.correlation)
    if (!c || k.args?.correlation === undefined) continue
    const outer = new Map<string, { ts: number; dur: number; i: number }>()
    for (const { e, i } of ranges) {
      if (e.pid !== c.pid || e.tid !== c.tid) continue
      if (!(e.ts! <= c.ts! && c.ts! + c.dur! <= e.ts! + e.dur!)) continue
      const seen = outer.get(e.name!)
      if (!seen || e.ts! < seen.ts || (e.ts === seen.ts && e.dur! > seen.dur))
        outer.set(e.name!, { ts: e.ts!, dur: e.dur!, i })
    }
    for (const [name, { i }] of outer) {
      const key = nvtxKernelName(name, k.name!)
      const row = out.get(key) ?? [0, 0, new Set<number>()]
      row[0] += k.dur! * 1000
      row[1] += 1
      row[2].add(i)
      out.set(key, row)
    }
  }
  return new Map([...out].map(([k, [t, n, s]]) => [k, [t, n, s.size]]))
}

describe('the corpus traces', () => {
  /**
   * Rows of each file: the ROCm trace's one range around one kernel; the AlexNet trace's 5 range
   * names over 16 kernels (61 pairs: [param|cuda] and the model hold all 16, each forward 15).
   */
  const ROWS: Record<string, number | undefined> = {
    'HTA_tests-data_amd_mi250_minitoy_train_ROCm6_2_kineto.json.gz': 1,
    'HTA_tests-data_critical_path_simple_add_trace.json.gz': 61,
    // nccl:all_reduce ranges on a thread that launched nothing: a table, empty.
    'HTA_tests-data_ns_resolution_trace_rank-0_2024_EXCERPT.pt.trace.json': 0,
    // ProfilerStep#1 alone, and no annotations: no table.
    'HTA_tests-data_triton_example.json.gz': undefined,
    'kineto_tb_plugin_samples_resnet50_2021_EXCERPT.pt.trace.json': undefined
  }

  it('has an expectation for every trace', () => {
    expect(Object.keys(ROWS).sort()).toEqual(TRACE_FILES)
  })

  it.each(TRACE_FILES)('%s: nvtxKernels matches an independent reader', async (file) => {
    let bytes = readFileSync(join(TRACES, file))
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes)
    const events = (JSON.parse(bytes.toString('utf8')) as { traceEvents: JsonEvent[] }).traceEvents
    const want = independent(events)
    const p = await load(join(TRACES, file))
    const got = p.tables.nvtxKernels
    expect(got?.size).toBe(ROWS[file])
    if (!want || !got) {
      expect(got).toBe(want)
      return
    }
    expect([...got.values()].map((s) => s.name).sort()).toEqual([...want.keys()].sort())
    for (const stat of got.values()) {
      const [total, n, occurrences] = want.get(stat.name)!
      expect(stat.total, stat.name).toBeCloseTo(total, 3)
      expect(stat.instances, stat.name).toBe(n)
      expect(stat.occurrences, stat.name).toBe(occurrences)
    }
    expect(note(p, 'trace-nvtx-kernels-capped')).toBeUndefined()
    expect(note(p, 'trace-nvtx-kernels-order')).toBeUndefined()
  })

  it('reads the values the files hold (by hand)', async () => {
    // MI250: Optimizer.step#SGD.step [612172.655, +266.215] µs on thread 597913 holds
    // hipLaunchKernel correlation 136 (612340.48 µs), whose kernel ran 8.481 µs.
    const amd = await load(
      join(TRACES, 'HTA_tests-data_amd_mi250_minitoy_train_ROCm6_2_kineto.json.gz')
    )
    const [row] = amd.tables.nvtxKernels!.values()
    expect(row?.name).toMatch(
      /^Optimizer\.step#SGD\.step › void at::native::\(anonymous namespace\)::multi_tensor_apply_kernel</
    )
    expect(row).toMatchObject({ total: 8_481, instances: 1, occurrences: 1 })
    expect(note(amd, 'trace-nvtx-kernels')?.message).toMatch(
      /1 of 14 kernels were launched inside annotation ranges .*; 13 launched outside every range are left out/
    )
    // The 2023 AlexNet trace: every kernel inside [param|cuda]; a forward range nested in one of
    // its name counts its kernels once (6 sgemm launches, 3 in each forward: 1366 + 1307 µs).
    const alex = await load(join(TRACES, 'HTA_tests-data_critical_path_simple_add_trace.json.gz'))
    const sgemm = (range: string) =>
      alex.tables.nvtxKernels?.get(nvtxKernelName(range, 'ampere_sgemm_32x32_sliced1x4_tn'))
    expect(sgemm('[param|cuda]')).toMatchObject({ total: 2_673_000, instances: 6 })
    expect(sgemm('[param|pytorch.model.alex_net|0|0|0|warmup|forward]')).toMatchObject({
      total: 1_366_000,
      instances: 3,
      occurrences: 1
    })
    expect(sgemm('[param|pytorch.model.alex_net|0|0|0|measure|forward]')).toMatchObject({
      total: 1_307_000,
      instances: 3,
      occurrences: 1
    })
  })
})
